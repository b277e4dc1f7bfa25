import { afterEach, expect, it } from 'vitest';
import { addUser, createPod } from '../../../../server/db/admin';
import { updateQualitySettings } from '../../../../server/quality/settings';
import type { Channel, ChannelInput } from '../../../../shared/contract';
import { describeEachDb } from '../../server/each-db';
import { call, rankingWork } from '../helpers';
import { type RealServer, REVIEWER, startRealServer } from '../sync/real-server';
import { openWorkstation, query, signIn, type Workstation } from '../sync/workstation';

const LEAD = { username: 'lena', password: 'lead horse battery staple' };
/** the original reviewer's name, display name and rationale: none may reach the lead before submit */
const ORIGINAL = { username: 'qx5origname', password: 'original horse battery staple' };
const DISPLAY_SENTINEL = 'Qx5 Original Display';
const RATIONALE_SENTINEL = 'Qx5ORIGINALRATIONALEz3';

/** the session token in memory: these tests are about QA, not about keeping the token at rest */
const workstation = () => openWorkstation({ secret: null });

const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop()!;
    await s.stop();
    s.remove();
  }
});

/** pod-a: the original reviewer labels 6 tasks with a sentinel rationale (and holds 6 more); QA share 0.5 */
async function sampledServer(dialect: 'sqlite' | 'postgres') {
  const srv = await startRealServer({ dialect, tasks: 14, batchSize: 6 });
  servers.push(srv);
  const db = srv.db.db;
  await createPod(db, { id: 'pod-a' });
  const originalId = await addUser(db, {
    ...ORIGINAL,
    role: 'reviewer',
    podId: 'pod-a',
    displayName: DISPLAY_SENTINEL,
  });
  await addUser(db, { ...LEAD, role: 'lead', podId: 'pod-a' });
  const original = workstation();
  await signIn(original, srv.url, ORIGINAL);
  await call(original, 'sync.now');
  const pending = await call(original, 'queue.list', { state: 'pending', limit: 10 });
  expect(pending).toHaveLength(6);
  for (const { taskId } of pending) {
    const bundle = await call(original, 'task.open', { taskId });
    const work = {
      ...rankingWork(bundle.presentedOrder),
      rationale: { decisive: `Because ${RATIONALE_SENTINEL}${taskId}.` },
    };
    expect((await call(original, 'label.submit', { taskId, work })).ok).toBe(true);
  }
  await call(original, 'sync.now');
  await updateQualitySettings(db, 'p1', { qa_share: 0.5, qa_seed: 'fixed' }, new Date());
  return { srv, originalId };
}

/** every reply (and refusal) the workstation gives, kept raw to look for the sentinels */
function recorder(ws: Workstation) {
  const replies: string[] = [];
  const seen = async <C extends Channel>(channel: C, input?: ChannelInput<C>) => {
    try {
      const out = await call(ws, channel, input);
      replies.push(JSON.stringify(out));
      return out;
    } catch (error) {
      replies.push(String(error));
      throw error;
    }
  };
  const expectBlind = (originalId: string) => {
    expect(replies.length).toBeGreaterThan(0);
    for (const body of replies) {
      expect(body).not.toContain(RATIONALE_SENTINEL);
      expect(body.toLowerCase()).not.toContain(ORIGINAL.username);
      expect(body).not.toContain(DISPLAY_SENTINEL);
      expect(body).not.toContain(originalId);
    }
  };
  return { seen, expectBlind };
}

describeEachDb('workstation: blind QA re-rating against the real server', (dialect) => {
  it('a lead leases QA work apart from their queue, re-rates blind, compares and classifies', async () => {
    const { srv, originalId } = await sampledServer(dialect);
    const lena = workstation();
    // signed out: the online channels say so in plain words
    await expect(call(lena, 'qa.lease', {})).rejects.toThrow(/\(503\): QA re-rating needs a connection/);
    await signIn(lena, srv.url, LEAD);
    await call(lena, 'sync.now'); // the lead's own production work: the 2 tasks nobody labeled
    const { seen, expectBlind } = recorder(lena);

    const leased = await seen('qa.lease', { projectId: 'p1' });
    expect(leased.leased).toBe(3); // ceil(0.5 x 6)
    expect(leased.tasks).toHaveLength(3);
    expect(leased.tasks.every((t) => t.state === 'open' && t.labelId === null && !t.sent)).toBe(true);
    const qaIds = leased.tasks.map((t) => t.taskId);
    const samples = await srv.db.db.selectFrom('qa_samples').select('task_id').execute();
    expect(qaIds.sort()).toEqual(samples.map((s) => s.task_id).sort());
    expect((await seen('qa.list')).tasks.map((t) => t.taskId).sort()).toEqual(qaIds);

    // the production queue does not show them
    const production = await seen('queue.list', { state: 'pending', limit: 50 });
    expect(production).toHaveLength(2);
    expect(production.some((i) => qaIds.includes(i.taskId))).toBe(false);
    expect((await seen('queue.summary')).pending).toBe(2);
    const next = await seen('task.next');
    expect(qaIds).not.toContain(next!.task.id);

    // the QA task on the labeling screen: qa mode, fresh, nothing of the original
    const [first, second] = qaIds as [string, string, string];
    const bundle = await seen('qa.open', { taskId: first });
    expect(bundle.qa?.projectId).toBe('p1');
    expect(bundle.work).toBeNull();
    expect(bundle.label).toBeNull();
    // no comparison before the re-rating
    await expect(seen('qa.comparison', { taskId: first })).rejects.toThrow(/\(409\): Re-rate .* first/);
    await expect(seen('qa.open', { taskId: next!.task.id })).rejects.toThrow(/\(404\)/);
    await seen('sync.now');
    await seen('qa.list');
    // the disagreement explorer leaves a sampled label out until it is re-rated
    await expect(seen('metrics.taskLabels', { projectId: 'p1', taskId: first })).rejects.toThrow(/\(404\)/);
    expectBlind(originalId);

    // the re-rating: the unchanged label.submit; the production queue's next task comes back
    const submitted = await call(lena, 'label.submit', {
      taskId: first,
      work: {
        ranks: Object.fromEntries(bundle.presentedOrder.map((id, i) => [id, i + 1])),
        rankingTouched: true,
        activeMs: 30_000,
        rationale: { decisive: 'The first one is clearer.' },
      },
    });
    expect(submitted.ok && submitted.next && !qaIds.includes(submitted.next.task.id)).toBe(true);
    const listed = (await call(lena, 'qa.list')).tasks;
    expect(listed.map((t) => t.taskId)).toEqual([second, qaIds[2], first]); // open first
    expect(listed[2]).toMatchObject({ state: 'submitted', sent: false });

    // the comparison sends the re-rating first, then names the reviewer
    const comparison = await call(lena, 'qa.comparison', { taskId: first });
    expect((await call(lena, 'qa.list')).tasks.find((t) => t.taskId === first)?.sent).toBe(true);
    expect(comparison.reviewer.username).toBe(ORIGINAL.username);
    expect(comparison.parts.map((p) => p.part)).toEqual([
      'preference',
      'strength',
      'tags',
      'severity',
      'rationale',
    ]);
    const rationale = comparison.parts.find((p) => p.part === 'rationale')!;
    expect(rationale.discrepant).toBe(true);
    expect(JSON.stringify(rationale)).toContain(RATIONALE_SENTINEL);
    const stored = await srv.db.db.selectFrom('qa_ratings').select(['id', 'task_id']).execute();
    expect(stored).toEqual([{ id: submitted.ok ? submitted.labelId : '', task_id: first }]);

    // classify, then classify again: the second replaces the first on the server
    const classified = await call(lena, 'qa.classify', {
      taskId: first,
      classification: {
        parts: [{ part: 'rationale', class: 'reviewer-error', errorType: 'weak-rationale' }],
      },
    });
    expect(classified.classification?.parts).toEqual([
      { part: 'rationale', class: 'reviewer-error', errorType: 'weak-rationale' },
    ]);
    await call(lena, 'qa.classify', {
      taskId: first,
      classification: { parts: [{ part: 'rationale', class: 'acceptable' }] },
    });
    const row = await srv.db.db
      .selectFrom('qa_ratings')
      .select('classification')
      .where('task_id', '=', first)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.classification!)).toMatchObject({
      parts: [{ part: 'rationale', class: 'acceptable' }],
    });
    // a part both agree on is refused in the server's words, naming it
    const agreed = comparison.parts.find((p) => !p.discrepant)!;
    await expect(
      call(lena, 'qa.classify', {
        taskId: first,
        classification: { parts: [{ part: agreed.part, class: 'acceptable' }] },
      }),
    ).rejects.toThrow(/parts\.0\.part/);

    // offline: a re-rating is kept and the comparison says why it cannot open yet; lists still work
    await srv.stop();
    const two = await call(lena, 'qa.open', { taskId: second });
    const ranks = Object.fromEntries(two.presentedOrder.map((id, i) => [id, i + 1]));
    await call(lena, 'label.submit', {
      taskId: second,
      work: { ranks, rankingTouched: true, activeMs: 9000 },
    });
    await expect(call(lena, 'qa.comparison', { taskId: second })).rejects.toThrow(
      /\(503\).*safe on this computer/,
    );
    await expect(call(lena, 'qa.lease', {})).rejects.toThrow(/\(503\): QA re-rating needs a connection/);
    await expect(
      call(lena, 'qa.classify', {
        taskId: first,
        classification: { parts: [{ part: 'rationale', class: 'qa-error' }] },
      }),
    ).rejects.toThrow(/\(503\)/);
    expect((await call(lena, 'qa.list')).tasks).toHaveLength(3);
    // back online: the comparison of the second opens (the re-rating goes first)
    await srv.restart();
    expect((await call(lena, 'qa.comparison', { taskId: second })).reviewer.username).toBe(ORIGINAL.username);

    // another account on this computer: the marker was lena's; nothing of her QA work is listed
    await call(lena, 'auth.signOut');
    await signIn(lena, srv.url, REVIEWER);
    expect((await call(lena, 'qa.list')).tasks).toEqual([]);
    expect(query(lena, 'SELECT task_id FROM qa_tasks')).toEqual([]);
  });
});
