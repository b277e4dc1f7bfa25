import { expect, it } from 'vitest';
import { PushResponse } from '../../../shared/sync';
import { describeEachDb } from './each-db';
import {
  countLabels,
  HOUR,
  leaseAndPull,
  makeLabel,
  submit,
  useServer,
  type ServerEnv,
  type Session,
} from './helpers';

const push = async (env: ServerEnv, s: Session, mutations: unknown[]) => {
  const res = await env.call(s, 'POST', '/v1/sync/push', { deviceId: s.deviceId, mutations });
  return { status: res.status, json: res.status === 200 ? PushResponse.parse(res.json) : res.json };
};

describeEachDb('push: exactly once', (dialect) => {
  const env = useServer(dialect);

  async function ready() {
    const s = await env().login('reviewer');
    const { tokens } = await leaseAndPull(env(), s);
    const labels = ['t1', 't2', 't3', 't4', 't5'].map((t) => makeLabel(t));
    const muts = labels.map((l, i) => submit(i + 1, l, tokens.get(l.taskId)!));
    return { s, tokens, labels, muts };
  }

  it('applies a batch once; a retried batch is a no-op', async () => {
    const { s, muts } = await ready();
    const first = await push(env(), s, muts);
    expect(first.json.lastMutationId).toBe(5);
    expect(first.json.outcomes.map((o: { status: string }) => o.status)).toEqual(Array(5).fill('accepted'));
    const retry = await push(env(), s, muts);
    expect(retry.json).toEqual({ lastMutationId: 5, outcomes: [] });
    expect(await countLabels(env().sdb)).toBe(5);
  });

  it('applies only the new part of overlapping batches', async () => {
    const { s, muts } = await ready();
    await push(env(), s, muts.slice(0, 3));
    const overlap = await push(env(), s, muts.slice(1));
    expect(overlap.json.outcomes.map((o: { mutationId: number }) => o.mutationId)).toEqual([4, 5]);
    expect(await countLabels(env().sdb)).toBe(5);
  });

  it('refuses a gap in mutation ids with a clear 400 and stores nothing', async () => {
    const { s, muts } = await ready();
    const res = await push(env(), s, [muts[0], muts[2]]);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('mutation-gap');
    expect(res.json.error.message).toMatch(/mutations\.1\.id is 3 but 2 was expected/);
    expect(await countLabels(env().sdb)).toBe(0);
    // a push that starts after ids the server never applied: the device believes the server holds
    // more than it does (a restore), so it is told the server's point to re-send from
    const late = await push(env(), s, [{ ...muts[0]!, id: 7 }]);
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('server-behind');
    expect(late.json.error.history).toEqual({ id: 0, digest: '' });
    expect(await countLabels(env().sdb)).toBe(0);
  });

  it('serialises concurrent and duplicated pushes from one device', async () => {
    const { s, muts } = await ready();
    const results = await Promise.all([
      push(env(), s, muts),
      push(env(), s, muts),
      push(env(), s, muts.slice(1, 3)),
      push(env(), s, muts),
    ]);
    // the 2..3 push continues mutation 1, which its base names: applied, or refused as a whole if it
    // came after the full batch (it would stop below the server's last id: not a retry of a batch)
    const full = [results[0]!, results[1]!, results[3]!];
    expect(full.every((r) => r.status === 200)).toBe(true);
    expect([200, 409]).toContain(results[2]!.status);
    const applied = results
      .filter((r) => r.status === 200)
      .flatMap((r) => r.json.outcomes.map((o: { mutationId: number }) => o.mutationId));
    expect(applied.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await countLabels(env().sdb)).toBe(5);
  });

  it('a failing push does not undo pushes committed with it (group commit on SQLite)', async () => {
    const { s, muts } = await ready();
    const rob = await env().login('reviewer2');
    const robLeases = await leaseAndPull(env(), rob);
    const [bad, good, robs] = await Promise.all([
      push(env(), s, [muts[0]!, { ...muts[1]!, id: 99 }]), // a gap whichever push the database takes first
      push(env(), s, muts.slice(0, 1)),
      push(env(), rob, [submit(1, makeLabel('t6'), robLeases.tokens.get('t6')!)]),
    ]);
    expect(bad.status).toBe(400);
    expect(good.json.lastMutationId).toBe(1);
    expect(robs.json.outcomes[0].status).toBe('accepted');
    expect(await countLabels(env().sdb)).toBe(2);
  });

  it('keeps an edit (same label id, higher revision) as one label', async () => {
    const { s, tokens, labels, muts } = await ready();
    await push(env(), s, muts.slice(0, 1));
    const edited = {
      ...labels[0]!,
      revision: 2,
      pairwise: { preferredResponseId: 'b', choice: 'B' as const, strength: 'slightly' as const },
    };
    const res = await push(env(), s, [
      submit(2, edited, tokens.get('t1')!),
      submit(3, { ...labels[0]!, revision: 1 }, tokens.get('t1')!),
    ]);
    expect(res.json.outcomes.map((o: { status: string }) => o.status)).toEqual(['accepted', 'accepted']);
    const row = await env()
      .sdb.db.selectFrom('labels')
      .selectAll()
      .where('id', '=', labels[0]!.id)
      .executeTakeFirstOrThrow();
    expect(row.revision).toBe(2);
    expect(JSON.parse(row.body).pairwise.choice).toBe('B');
    expect(await countLabels(env().sdb)).toBe(1);
  });

  it('rejects work on tasks never leased, labels that contradict the task, and stolen label ids', async () => {
    const { s, tokens, labels } = await ready();
    const rob = await env().login('reviewer2');
    const robLeases = await leaseAndPull(env(), rob);
    const res = await push(env(), s, [
      submit(1, makeLabel('t6'), robLeases.tokens.get('t6')!), // rob's task
      submit(
        2,
        makeLabel('t2', { pairwise: { preferredResponseId: 'zzz', choice: 'A', strength: null } }),
        tokens.get('t2')!,
      ),
      submit(
        3,
        makeLabel('t3', { kind: 'ranking', ranks: { a: 1, b: 2 }, pairwise: null }),
        tokens.get('t3')!,
      ),
      submit(4, makeLabel('nope'), 1),
      submit(5, labels[0]!, tokens.get('t1')!),
    ]);
    expect(
      res.json.outcomes.map((o: { status: string; reason: string | null }) => o.reason ?? o.status),
    ).toEqual(['not-assigned', 'invalid', 'invalid', 'invalid', 'accepted']);
    expect(res.json.outcomes[1].message).toMatch(/unknown response "zzz"/);
    // rob reuses rita's label id on his own task
    const stolen = await push(env(), rob, [
      submit(1, { ...labels[0]!, taskId: 't6' }, robLeases.tokens.get('t6')!),
    ]);
    expect(stolen.json.outcomes[0].reason).toBe('label-conflict');
    expect(await countLabels(env().sdb)).toBe(1);
  });

  it('keeps and flags work on an expired or lost lease, never drops it', async () => {
    const e = env();
    const { s, muts } = await ready();
    e.clock.advance(73 * HOUR);
    // t1's lease expired and nobody took it yet; then rob takes t2..t5 with newer tokens
    const expired = await push(e, s, muts.slice(0, 1));
    expect(expired.json.outcomes[0]).toMatchObject({ status: 'accepted', flagged: 'lease-expired' });
    const rob = await e.login('reviewer2');
    const robLeases = await leaseAndPull(e, rob);
    expect(robLeases.tokens.get('t2')).toBe(2);
    const lost = await push(e, s, muts.slice(1));
    expect(lost.json.outcomes.map((o: { flagged: string | null }) => o.flagged)).toEqual(
      Array(4).fill('lease-lost'),
    );
    // rob's work on the same tasks is accepted normally
    const robPush = await push(e, rob, [submit(1, makeLabel('t2'), robLeases.tokens.get('t2')!)]);
    expect(robPush.json.outcomes[0]).toMatchObject({ status: 'accepted', flagged: null });
    const flagged = await e.sdb.db
      .selectFrom('labels')
      .select(['task_id', 'flagged'])
      .orderBy('task_id')
      .execute();
    expect(flagged.filter((f) => f.flagged).length).toBe(5);
    expect(await countLabels(e.sdb)).toBe(6);
  });

  it('records skips and escalations as task events with the reviewer work', async () => {
    const { s, tokens } = await ready();
    const res = await push(env(), s, [
      {
        id: 1,
        type: 'task.skip',
        taskId: 't1',
        leaseToken: tokens.get('t1'),
        reason: 'too-long',
        note: 'long',
      },
      {
        id: 2,
        type: 'task.escalate',
        taskId: 't2',
        leaseToken: tokens.get('t2'),
        reason: 'guideline-gap',
        note: 'unclear',
        work: {
          ranks: {},
          rankingTouched: false,
          pairwise: { choice: 'A', strength: null },
          tags: [],
          rationale: {},
          activeMs: 5,
        },
      },
    ]);
    expect(res.json.outcomes.map((o: { status: string }) => o.status)).toEqual(['accepted', 'accepted']);
    const events = await env().sdb.db.selectFrom('task_events').selectAll().orderBy('id').execute();
    expect(events.map((ev) => [ev.task_id, ev.type, ev.reason])).toEqual([
      ['t1', 'skip', 'too-long'],
      ['t2', 'escalate', 'guideline-gap'],
    ]);
    expect(JSON.parse(events[1]!.work!).activeMs).toBe(5);
    const leases = await env()
      .sdb.db.selectFrom('leases')
      .select(['task_id', 'state'])
      .where('task_id', 'in', ['t1', 't2'])
      .orderBy('task_id')
      .execute();
    expect(leases.map((l) => l.state)).toEqual(['released', 'escalated']);
  });

  it('shows a reviewer only their own labels and a lead their pod', async () => {
    const e = env();
    const { s, muts } = await ready();
    await push(e, s, muts);
    const rob = await e.login('reviewer2');
    const robLeases = await leaseAndPull(e, rob);
    await push(e, rob, [submit(1, makeLabel('t6'), robLeases.tokens.get('t6')!)]);
    expect((await e.call(s, 'GET', '/v1/labels/mine')).json.items).toHaveLength(5);
    const robMine = await e.call(rob, 'GET', '/v1/labels/mine');
    expect(robMine.json.items.map((i: { label: { taskId: string } }) => i.label.taskId)).toEqual(['t6']);
    const lead = await e.login('lead');
    const pod = await e.call(lead, 'GET', '/v1/pods/pod-a/labels?limit=3');
    expect(pod.json.items).toHaveLength(3);
    expect(pod.json.items.every((i: { username: string }) => i.username === 'rita')).toBe(true);
    const rest = await e.call(lead, 'GET', `/v1/pods/pod-a/labels?limit=3&after=${pod.json.next}`);
    expect(rest.json.items).toHaveLength(2);
    expect(rest.json.next).toBeNull();
    const bad = await e.call(lead, 'GET', '/v1/pods/pod-a/labels?limit=0');
    expect(bad.json.error.issues[0].path).toBe('limit');
  });
});
