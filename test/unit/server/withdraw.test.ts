import { expect, it } from 'vitest';
import { PullResponse, type Change } from '../../../shared/sync';
import { withdrawTasks } from '../../../server/db/withdraw';
import { describeEachDb } from './each-db';
import { HOUR, leaseAndPull, makeLabel, submit, useServer, type Session } from './helpers';

describeEachDb('withdrawn tasks and the verdict feed', (dialect) => {
  const env = useServer(dialect, {}, { batchSize: 4, tasks: 6 });

  const pullAll = async (s: Session): Promise<Change[]> => {
    const res = await env().call(s, 'POST', '/v1/sync/pull', {
      deviceId: s.deviceId,
      cursor: null,
      epoch: null,
      limit: 2000,
    });
    expect(res.status).toBe(200);
    return PullResponse.parse(res.json).changes;
  };

  it('withdraws tasks: holders are told, the pool shrinks, later pushes are rejected and reach the feed', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { tokens } = await leaseAndPull(e, rita);
    expect([...tokens.keys()]).toEqual(['t1', 't2', 't3', 't4']);

    await expect(withdrawTasks(e.sdb.db, 'prod', ['t1', 'nope', 'x1'])).rejects.toThrow(
      'not tasks of project prod: nope, x1; nothing withdrawn',
    );
    const revoked = await e.sdb.db
      .selectFrom('tasks')
      .select('id')
      .where('revoked_at', 'is not', null)
      .execute();
    expect(revoked).toEqual([]); // all or nothing
    const result = await withdrawTasks(e.sdb.db, 'prod', ['t1', 't5', 't1']);
    expect(result).toEqual({ withdrawn: 2, already: 0, notified: 1 });
    const again = await withdrawTasks(e.sdb.db, 'prod', ['t1']);
    expect(again).toMatchObject({ withdrawn: 0, already: 1, notified: 0 });

    // from the start: her assignment of t1, rewritten in place (withdraw-feed.test.ts), then the
    // revoke the withdrawal added for a holder who had already pulled that assignment
    const revokes = (await pullAll(rita)).filter((c) => c.type === 'revoke');
    expect(revokes).toEqual([
      { type: 'revoke', taskId: 't1', reason: 'revoked' },
      { type: 'revoke', taskId: 't1', reason: 'revoked' },
    ]);

    // t1 and t5 are never leased again: rob gets what is left (t6 only; t2-t4 are rita's)
    const rob = await e.login('reviewer2');
    const robLease = await leaseAndPull(e, rob);
    expect([...robLease.tokens.keys()]).toEqual(['t6']);
    expect(robLease.lease.open).toBe(0);

    const push = await e.call(rita, 'POST', '/v1/sync/push', {
      deviceId: rita.deviceId,
      mutations: [
        submit(1, makeLabel('t1'), tokens.get('t1')!),
        submit(2, makeLabel('t2'), tokens.get('t2')!),
      ],
    });
    expect(push.status).toBe(200);
    expect(push.json.outcomes.map((o: { status: string }) => o.status)).toEqual(['rejected', 'accepted']);
    const verdicts = (await pullAll(rita)).filter((c) => c.type === 'outcome');
    expect(verdicts).toEqual([
      {
        type: 'outcome',
        deviceId: rita.deviceId,
        outcome: {
          mutationId: 1,
          status: 'rejected',
          reason: 'task-revoked',
          message: 'task "t1" was withdrawn',
          flagged: null,
        },
      },
    ]);
    // verdicts are per user: rob's feed has none of rita's
    expect((await pullAll(rob)).filter((c) => c.type === 'outcome')).toEqual([]);
  });

  it('flagged accepts reach the feed too; plain accepts and retried batches add nothing', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { tokens } = await leaseAndPull(e, rita);
    e.clock.advance(73 * HOUR); // every lease has expired
    const mutations = [
      submit(1, makeLabel('t1'), tokens.get('t1')!),
      submit(2, makeLabel('t2'), tokens.get('t2')!),
    ];
    const first = await e.call(rita, 'POST', '/v1/sync/push', { deviceId: rita.deviceId, mutations });
    expect(first.json.outcomes.map((o: { flagged: string }) => o.flagged)).toEqual([
      'lease-expired',
      'lease-expired',
    ]);
    const retry = await e.call(rita, 'POST', '/v1/sync/push', { deviceId: rita.deviceId, mutations });
    expect(retry.json).toEqual({ lastMutationId: 2, outcomes: [] });
    const verdicts = (await pullAll(rita)).filter((c) => c.type === 'outcome');
    expect(verdicts.map((c) => c.type === 'outcome' && [c.outcome.mutationId, c.outcome.flagged])).toEqual([
      [1, 'lease-expired'],
      [2, 'lease-expired'],
    ]);

    const rob = await e.login('reviewer2');
    const robTokens = (await leaseAndPull(e, rob)).tokens;
    const plain = await e.call(rob, 'POST', '/v1/sync/push', {
      deviceId: rob.deviceId,
      mutations: [submit(1, makeLabel('t3'), robTokens.get('t3')!)],
    });
    expect(plain.json.outcomes[0]).toMatchObject({ status: 'accepted', flagged: null });
    expect((await pullAll(rob)).filter((c) => c.type === 'outcome')).toEqual([]);
  });
});
