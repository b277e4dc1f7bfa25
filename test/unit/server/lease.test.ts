import { expect, it } from 'vitest';
import { PullResponse } from '../../../shared/sync';
import { agreementSample, createProject, importTasks, ratingsRequired } from '../../../server/db/admin';
import { describeEachDb } from './each-db';
import { HOUR, leaseAndPull, makeLabel, makeTask, submit, useServer } from './helpers';

describeEachDb('assignment leases', (dialect) => {
  const env = useServer(dialect);

  it('leases a batch of the project size, in import order, once per caller', async () => {
    const s = await env().login('reviewer');
    const { lease, tokens, pull } = await leaseAndPull(env(), s);
    PullResponse.parse(pull);
    expect(lease).toEqual({ leased: 5, open: 7 });
    expect([...tokens.keys()]).toEqual(['t1', 't2', 't3', 't4', 't5']);
    // holding a full batch: asking again leases nothing more
    const again = await env().call(s, 'POST', '/v1/sync/lease', { projectId: 'prod' });
    expect(again.json).toEqual({ leased: 0, open: 7 });
    // another reviewer gets the next tasks, never the same ones (1 rating per task)
    const other = await leaseAndPull(env(), await env().login('reviewer2'));
    expect([...other.tokens.keys()]).toEqual(['t6', 't7', 't8', 't9', 't10']);
  });

  it('strips task meta (gold answers, secrets) for everyone but an admin', async () => {
    const reviewer = await leaseAndPull(env(), await env().login('reviewer'));
    const task = reviewer.pull.changes.find((c: { type: string }) => c.type === 'assignment').task;
    expect(task.meta).toBeUndefined();
    expect(JSON.stringify(reviewer.pull)).not.toContain('gold');
    const admin = await leaseAndPull(env(), await env().login('admin'));
    const adminTask = admin.pull.changes.find((c: { type: string }) => c.type === 'assignment').task;
    expect(adminTask.meta).toEqual({ gold: 'a', secret: 's' });
  });

  it('refuses trainees production work but leases them training tasks', async () => {
    const s = await env().login('trainee');
    const prod = await env().call(s, 'POST', '/v1/sync/lease', { projectId: 'prod' });
    expect(prod.status).toBe(403);
    const any = await env().call(s, 'POST', '/v1/sync/lease', {});
    expect(any.json.leased).toBe(3);
  });

  it('issues monotonic tokens and returns expired leases to the pool', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const first = await leaseAndPull(e, rita);
    expect(first.tokens.get('t1')).toBe(1);
    e.clock.advance(73 * HOUR);
    const rob = await e.login('reviewer2');
    const second = await leaseAndPull(e, rob);
    // t1..t5 came back: rob gets them with newer tokens
    expect([...second.tokens.entries()].slice(0, 5)).toEqual([
      ['t1', 2],
      ['t2', 2],
      ['t3', 2],
      ['t4', 2],
      ['t5', 2],
    ]);
    // rita is told her tasks were withdrawn
    const pull = await e.call(rita, 'POST', '/v1/sync/pull', {
      deviceId: rita.deviceId,
      cursor: first.pull.cursor,
      epoch: first.pull.epoch,
    });
    const revoked = pull.json.changes.filter((c: { type: string }) => c.type === 'revoke');
    expect(revoked.map((c: { taskId: string }) => c.taskId).sort()).toEqual(['t1', 't2', 't3', 't4', 't5']);
    expect(revoked[0].reason).toBe('lease-expired');
  });

  it('gives sampled tasks extra ratings for agreement and never the same task twice to one reviewer', async () => {
    const e = env();
    await createProject(e.sdb.db, { id: 'agree', batchSize: 50, agreementShare: 0.5, agreementRatings: 2 });
    const tasks = Array.from({ length: 20 }, (_, i) => makeTask(`g${i}`));
    await importTasks(e.sdb.db, 'agree', tasks);
    const doubles = tasks.filter((t) => agreementSample(t.id) < 0.5).map((t) => t.id);
    expect(doubles.length).toBeGreaterThan(0);
    expect(ratingsRequired('g0', { ratings_per_task: 1, agreement_share: 0, agreement_ratings: 2 })).toBe(1);
    const rita = await e.login('reviewer');
    const a = await leaseAndPull(e, rita, 'agree');
    expect(a.lease.leased).toBe(20);
    const b = await leaseAndPull(e, await e.login('reviewer2'), 'agree');
    expect([...b.tokens.keys()].sort()).toEqual([...doubles].sort());
    const c = await leaseAndPull(e, await e.login('lead'), 'agree');
    expect(c.lease.leased).toBe(0);
    // a submitted label keeps its slot: rita's labels do not reopen tasks
    const t = 'g0';
    await e.call(rita, 'POST', '/v1/sync/push', {
      deviceId: rita.deviceId,
      mutations: [submit(1, makeLabel(t), a.tokens.get(t)!)],
    });
    expect((await e.call(rita, 'POST', '/v1/sync/lease', { projectId: 'agree' })).json.leased).toBe(0);
  });

  it('releases a skipped task to others but not back to the skipper', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const a = await leaseAndPull(e, rita);
    const push = await e.call(rita, 'POST', '/v1/sync/push', {
      deviceId: rita.deviceId,
      mutations: [
        {
          id: 1,
          type: 'task.skip',
          taskId: 't1',
          leaseToken: a.tokens.get('t1'),
          reason: 'language',
          note: '',
        },
      ],
    });
    expect(push.json.outcomes[0].status).toBe('accepted');
    const again = await e.call(rita, 'POST', '/v1/sync/lease', { projectId: 'prod' });
    expect(again.json.leased).toBe(1); // t6, not t1
    const rob = await leaseAndPull(e, await e.login('reviewer2'));
    expect(rob.tokens.get('t1')).toBe(2);
  });
});
