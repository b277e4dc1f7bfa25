import { expect, it } from 'vitest';
import { describeEachDb } from '../each-db';
import { HOUR, makeLabel, submit, useServer, type ServerEnv, type Session, type UserKey } from '../helpers';
import { addGold, exportRows, leaseNew, pullNew } from './helpers';

/** in every key's explanation, response note and guideline section: never in any response */
const SENTINEL = 'Gq4GOLDKEYx7';

async function pushLabels(e: ServerEnv, s: Session, tokens: Map<string, number>, firstId = 1) {
  const labels = [...tokens.keys()].map((taskId) => makeLabel(taskId));
  const mutations = labels.map((l, i) => submit(firstId + i, l, tokens.get(l.taskId)!));
  const res = await e.call(s, 'POST', '/v1/sync/push', { deviceId: s.deviceId, mutations });
  expect(res.status).toBe(200);
  return { labels, outcomes: res.json.outcomes as Record<string, unknown>[] };
}

describeEachDb('silent gold', (dialect) => {
  const env = useServer(dialect, {}, { batchSize: 10, tasks: 30 });

  it('mixes gold into leases looking like any task, and never gives one to a reviewer twice', async () => {
    const e = env();
    const gold = await addGold(e, 6, 0.5, SENTINEL);
    const s = await e.login('reviewer');
    const first = await leaseNew(e, s);
    expect(first.lease.leased).toBe(10);
    const firstGold = first.assignments.filter((a) => gold.has(a.task.id));
    // at rate 0.5 over 10 slots, no gold at all has probability 2^-10 per lease: lease three times
    const others = [await leaseNew(e, await e.login('reviewer2')), await leaseNew(e, await e.login('lead'))];
    const goldSeen = [first, ...others].flatMap((l) => l.assignments.filter((a) => gold.has(a.task.id)));
    expect(goldSeen.length).toBeGreaterThan(0);
    // the same fields, the same expiry, a proof, no meta: nothing tells a gold assignment apart
    const shape = (a: (typeof first.assignments)[number]) =>
      JSON.stringify([
        Object.keys(a).sort(),
        Object.keys(a.task).sort(),
        a.leaseExpiresAt,
        typeof a.leaseProof,
      ]);
    for (const a of goldSeen)
      expect(shape(a)).toBe(shape(first.assignments.find((x) => !gold.has(x.task.id))!));
    // the open count is regular work only (gold never counts as open)
    expect(first.lease.open).toBe(30 - 10 + firstGold.length);
    // the leases run out: regular tasks may come back to the reviewer, the gold they held may not
    e.clock.advance(73 * HOUR);
    const again = await e.call(s, 'POST', '/v1/sync/lease', { projectId: 'prod' });
    expect(again.json.leased).toBe(10);
    const active = await e.sdb.db
      .selectFrom('leases')
      .select('task_id')
      .where('user_id', '=', e.userIds.reviewer)
      .where('state', '=', 'active')
      .execute();
    const againIds = active.map((l) => l.task_id);
    for (const g of firstGold) expect(againIds).not.toContain(g.task.id);
    expect(new Set(againIds).size).toBe(againIds.length);
  });

  it('grades a gold label on push with the same answer as any label, and re-grades an edit', async () => {
    const e = env();
    const gold = await addGold(e, 10, 0.5, SENTINEL);
    const s = await e.login('reviewer');
    const { assignments } = await leaseNew(e, s);
    const tokens = new Map(assignments.map((a) => [a.task.id, a.leaseToken]));
    const { labels, outcomes } = await pushLabels(e, s, tokens);
    // every outcome the same plain accept (mutation ids aside)
    expect(new Set(outcomes.map(({ mutationId: _, ...rest }) => JSON.stringify(rest))).size).toBe(1);
    const goldTasks = [...tokens.keys()].filter((t) => gold.has(t));
    const answers = await e.sdb.db.selectFrom('gold_answers').selectAll().orderBy('task_id').execute();
    expect(answers.map((a) => a.task_id)).toEqual(goldTasks.sort());
    for (const a of answers) {
      // makeLabel prefers a, "better": right on the keys that prefer a (even ids), wrong on the others
      const prefersA = (Number(a.task_id.slice(1)) - 101) % 2 === 0;
      expect([a.correct, a.score]).toEqual(prefersA ? [1, 1] : [0, 0]);
      expect(a.user_id).toBe(e.userIds.reviewer);
    }
    // gold labels are stored like labels (the reviewer's own list shows them as any other)
    const mine = await e.call(s, 'GET', '/v1/labels/mine');
    expect(mine.json.items).toHaveLength(tokens.size);
    // an edit (revision 2, now preferring b) is graded again
    if (goldTasks.length) {
      const taskId = goldTasks[0]!;
      const label = labels.find((l) => l.taskId === taskId)!;
      const edited = {
        ...label,
        revision: 2,
        pairwise: { preferredResponseId: 'b', choice: 'B' as const, strength: 'better' as const },
      };
      await e.call(s, 'POST', '/v1/sync/push', {
        deviceId: s.deviceId,
        mutations: [submit(labels.length + 1, edited, tokens.get(taskId)!)],
      });
      const row = await e.sdb.db
        .selectFrom('gold_answers')
        .selectAll()
        .where('task_id', '=', taskId)
        .executeTakeFirstOrThrow();
      expect(row.revision).toBe(2);
      expect(row.correct).toBe((Number(taskId.slice(1)) - 101) % 2 === 0 ? 0 : 1);
    }
    // the pod's lead sees the results as numbers only
    const graded = await e.sdb.db.selectFrom('gold_answers').selectAll().execute();
    const res = await e.call(await e.login('lead'), 'GET', '/v1/pods/pod-a/gold');
    expect(res.status).toBe(200);
    expect(res.json.reviewers).toEqual(
      graded.length
        ? [
            {
              username: 'rita',
              projectId: 'prod',
              answered: graded.length,
              correct: graded.filter((g) => g.correct).length,
              meanScore:
                Math.round((graded.reduce((sum, g) => sum + g.score, 0) / graded.length) * 1e6) / 1e6,
              lastAnsweredAt: graded[0]!.received_at,
            },
          ]
        : [],
    );
  });

  it('never exports a gold label (raw, trl, openai)', async () => {
    const e = env();
    const gold = await addGold(e, 10, 0.5, SENTINEL);
    let goldLabeled = 0;
    for (const who of ['reviewer', 'reviewer2', 'lead'] as const) {
      const s = await e.login(who);
      const { assignments } = await leaseNew(e, s);
      const tokens = new Map(assignments.map((a) => [a.task.id, a.leaseToken]));
      goldLabeled += [...tokens.keys()].filter((t) => gold.has(t)).length;
      await pushLabels(e, s, tokens);
    }
    expect(goldLabeled).toBeGreaterThan(0);
    const stored = await e.sdb.db.selectFrom('labels').select('task_id').execute();
    const regular = stored.filter((l) => !gold.has(l.task_id)).length;
    const raw = await exportRows(e, 'prod', 'raw');
    expect(raw).toHaveLength(regular);
    expect(raw.filter((r) => gold.has(r.taskId as string))).toEqual([]);
    for (const format of ['trl', 'openai'] as const) {
      const rows = await exportRows(e, 'prod', format);
      // one pairwise preference per label: one row each; no row carries a gold task's prompt
      expect(rows).toHaveLength(regular);
      expect(JSON.stringify(rows)).not.toMatch(/Prompt for t1(0[1-9]|10)\b/);
    }
  });

  it('no response of any endpoint holds a byte of a gold key, for a reviewer, a lead or an admin', async () => {
    const e = env();
    await addGold(e, 10, 0.5, SENTINEL);
    for (const who of ['reviewer', 'lead', 'admin'] as const satisfies readonly UserKey[]) {
      const s = await e.login(who);
      const bodies: string[] = [];
      const call = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
        const res = await e.call(s, method, url, body);
        bodies.push(JSON.stringify(res.json));
        return res;
      };
      await call('GET', '/v1/health');
      await call('GET', '/v1/auth/me');
      await call('POST', '/v1/sync/lease', { projectId: 'prod' });
      await call('POST', '/v1/sync/lease', {});
      await call('POST', '/v1/sync/lease', { projectId: 'prod', queue: 'qa' });
      const changes = await pullNew(e, s);
      bodies.push(JSON.stringify(changes));
      const tokens = new Map(
        changes.flatMap((c) => (c.type === 'assignment' ? [[c.task.id, c.leaseToken] as const] : [])),
      );
      const labels = [...tokens.keys()].map((t) => makeLabel(t));
      await call('POST', '/v1/sync/push', {
        deviceId: s.deviceId,
        mutations: labels.map((l, i) => submit(i + 1, l, tokens.get(l.taskId)!)),
      });
      bodies.push(JSON.stringify(await pullNew(e, s)));
      await call('GET', '/v1/labels/mine');
      await call('GET', '/v1/pods/pod-a/labels');
      await call('GET', '/v1/pods/pod-a/gold');
      await call('GET', '/v1/pods/pod-b/gold');
      await call('GET', `/v1/qa/ratings/${labels[0]?.id ?? 'none'}/comparison`);
      await call('GET', '/v1/admin/users');
      await call('POST', '/v1/auth/logout');
      for (const body of bodies) expect(body).not.toContain(SENTINEL);
    }
    // the calls reached the gold: some were graded
    expect((await e.sdb.db.selectFrom('gold_answers').selectAll().execute()).length).toBeGreaterThan(0);
  });
});
