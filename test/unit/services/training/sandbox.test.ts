import Database from 'better-sqlite3-multiple-ciphers';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../../electron/services/index';
import { call } from '../helpers';
import { outboxRows, query } from '../sync/workstation';
import {
  course,
  fakeWithDocs,
  pairwise,
  ranking,
  sandboxRef,
  traineeAt,
  trainingRows,
  tries,
} from './fixtures';

describe('sandbox training on the workstation', () => {
  it('a wrong answer gets feedback at once, offline; a retry starts afresh and the right answer scores 1', async () => {
    const f = await fakeWithDocs(course());
    const ws = await traineeAt(f);
    await f.close(); // from here on the server is unreachable: feedback must not need it
    const ref = sandboxRef('c1-rank');

    const opened = await call(ws, 'training.open', { ref });
    expect(opened.task.id).toBe('c1-rank');
    expect(opened.state).toBe('pending');
    expect(opened.training).toMatchObject({
      title: 'Ranking basics',
      section: 'Order by quality',
      position: { index: 1, count: 2 },
      locked: false,
      feedback: null,
      attempts: 0,
      next: sandboxRef('c1-pair'),
    });
    // the order is seeded per user and item: the same on reopen
    expect((await call(ws, 'training.open', { ref })).presentedOrder).toEqual(opened.presentedOrder);

    const wrong = await call(ws, 'training.submit', { ref, work: ranking('bad', 'fair', 'good') });
    if (!wrong.ok) throw new Error('submit refused');
    const feedback = wrong.bundle.training!.feedback!;
    expect(feedback).toMatchObject({
      correct: false,
      score: 0,
      explanation: 'EXPLAIN-RANK: correctness first.',
    });
    expect(feedback.judgement).toMatchObject({ kind: 'ranking', topMatches: false });
    expect(wrong.bundle).toMatchObject({ state: 'submitted', training: { attempts: 1, locked: false } });
    expect(wrong.bundle.label?.ranks).toEqual({ bad: 1, fair: 2, good: 3 });

    const again = await call(ws, 'training.retry', { ref });
    expect(again).toMatchObject({ state: 'pending', work: null, label: null });
    expect(again.training).toMatchObject({ feedback: null, attempts: 1 });

    const right = await call(ws, 'training.submit', { ref, work: ranking('good', 'fair', 'bad') });
    if (!right.ok) throw new Error('submit refused');
    expect(right.bundle.training).toMatchObject({ attempts: 2, feedback: { correct: true, score: 1 } });

    // both tries recorded, each with its outbox row (training.answer, no lease)
    expect(tries(ws)).toEqual([
      { ref_key: 'sandbox:c1:c1-rank', attempt: 1, score: 0, correct: 0 },
      { ref_key: 'sandbox:c1:c1-rank', attempt: 2, score: 1, correct: 1 },
    ]);
    const rows = query<{
      type: string;
      task_id: string;
      lease_token: number;
      lease_proof: string | null;
      payload: string;
    }>(ws, 'SELECT type, task_id, lease_token, lease_proof, payload FROM outbox ORDER BY seq');
    expect(rows.map((r) => [r.type, r.task_id, r.lease_token, r.lease_proof])).toEqual([
      ['training.answer', 'c1-rank', 0, null],
      ['training.answer', 'c1-rank', 0, null],
    ]);
    expect(rows.map((r) => (JSON.parse(r.payload) as { attempt: number }).attempt)).toEqual([1, 2]);

    const overview = await call(ws, 'training.overview');
    expect(overview.courses[0]!.modules[0]!.items[0]).toMatchObject({
      attempts: 2,
      bestScore: 1,
      correct: true,
    });
    expect(overview.courses[0]!.progress).toEqual({ done: 1, total: 2 });
  });

  it('pairwise: the key is compared by response id whatever side it was shown on; a missed required tag costs', async () => {
    const f = await fakeWithDocs(course());
    const ws = await traineeAt(f);
    const ref = sandboxRef('c1-pair');
    const { presentedOrder, training } = await call(ws, 'training.open', { ref });
    expect(training).toMatchObject({
      section: 'Spot hallucinations',
      position: { index: 2, count: 2 },
      next: null,
    });

    const outcome = await call(ws, 'training.submit', { ref, work: pairwise(presentedOrder, 'left') });
    if (!outcome.ok) throw new Error('submit refused');
    const feedback = outcome.bundle.training!.feedback!;
    expect(feedback.judgement).toMatchObject({ kind: 'pairwise', directionCorrect: true, correct: true });
    expect(feedback.tags.checks).toEqual([
      expect.objectContaining({ responseId: 'right', tagId: 'hallucination', met: false, given: null }),
    ]);
    expect(feedback).toMatchObject({ correct: false, score: 0.7, guidelineSection: 'Hallucinations' });
  });

  it('drafts autosave and come back on reopen; the checks block or warn exactly as production submit does', async () => {
    const f = await fakeWithDocs(course());
    const ws = await traineeAt(f);
    const ref = sandboxRef('c1-pair');
    const { presentedOrder } = await call(ws, 'training.open', { ref });

    await call(ws, 'training.save', { ref, work: { pairwise: { choice: 'A', strength: null } } });
    const reopened = await call(ws, 'training.open', { ref });
    expect(reopened.state).toBe('draft');
    expect(reopened.work?.pairwise).toEqual({ choice: 'A', strength: null });

    // incomplete: blocked
    const blocked = await call(ws, 'training.submit', {
      ref,
      work: { pairwise: { choice: 'A', strength: null } },
    });
    expect(blocked).toEqual({
      ok: false,
      checks: [
        { id: 'incomplete', level: 'block', message: 'choose how much better the preferred response is' },
      ],
    });
    // a strong preference needs a rationale (the template asks for one): blocked, whatever is acknowledged
    const noRationale = await call(ws, 'training.submit', {
      ref,
      work: pairwise(presentedOrder, 'left', 'significantly'),
      acknowledgedWarnings: ['rationaleMissing'],
    });
    expect(noRationale.ok).toBe(false);
    if (!noRationale.ok)
      expect(noRationale.checks.map((c) => [c.id, c.level])).toEqual([['rationaleMissing', 'block']]);
    // a critical tag on the preferred response is a warning: refused until acknowledged
    const critical = {
      ...pairwise(presentedOrder, 'left'),
      tags: [{ responseId: 'left', tagId: 'hallucination', severity: 'critical' }],
      rationale: { decisive: 'The right answer invents a citation, the left one is careful and correct.' },
    };
    const warned = await call(ws, 'training.submit', { ref, work: critical });
    expect(warned.ok).toBe(false);
    if (!warned.ok)
      expect(warned.checks.map((c) => [c.id, c.level])).toEqual([['topRankedCritical', 'warn']]);
    expect(tries(ws)).toEqual([]);
    expect(outboxRows(ws)).toEqual([]);
    const taken = await call(ws, 'training.submit', {
      ref,
      work: critical,
      acknowledgedWarnings: ['topRankedCritical'],
    });
    expect(taken.ok).toBe(true);
    if (taken.ok) expect(taken.bundle.label?.acknowledgedWarnings).toEqual(['topRankedCritical']);

    // a tag outside the taxonomy is bad input, not a check
    const bad = await ws.dispatch('training.submit', {
      ref,
      work: {
        ...pairwise(presentedOrder, 'left'),
        tags: [{ responseId: 'left', tagId: 'nope', severity: 'minor' }],
      },
    });
    expect(bad).toMatchObject({ ok: false, status: 400 });
  });

  it('editing a submitted sandbox item starts a new try: it becomes a draft, the earlier try stays recorded', async () => {
    const f = await fakeWithDocs(course());
    const ws = await traineeAt(f);
    const ref = sandboxRef('c1-rank');
    await call(ws, 'training.submit', { ref, work: ranking('fair', 'good', 'bad') });
    await call(ws, 'training.save', { ref, work: ranking('good', 'bad', 'fair') });
    const bundle = await call(ws, 'training.open', { ref });
    expect(bundle).toMatchObject({ state: 'draft', label: null, training: { feedback: null, attempts: 1 } });
    expect(tries(ws)).toHaveLength(1);
  });

  it('unknown courses and items are not found, in plain words', async () => {
    const f = await fakeWithDocs(course());
    const ws = await traineeAt(f);
    expect(await ws.dispatch('training.open', { ref: sandboxRef('nope') })).toMatchObject({
      ok: false,
      status: 404,
      error: { message: 'course "Ranking basics" has no item "nope"' },
    });
    expect(
      await ws.dispatch('training.open', { ref: { kind: 'sandbox', courseId: 'zz', taskId: 'c1-rank' } }),
    ).toMatchObject({ ok: false, status: 404 });
    expect(
      await ws.dispatch('training.retry', { ref: { kind: 'exam', attemptId: 'a1', taskId: 'q1' } }),
    ).toMatchObject({
      ok: false,
      status: 409,
    });
  });

  it('the answer, its scored try and its outbox row commit together or not at all', async () => {
    const f = await fakeWithDocs(course());
    const ws = await traineeAt(f);
    const ref = sandboxRef('c1-rank');
    // the outbox refuses the row (as a disk error or a kill between statements would stop it)
    const db = new Database(path.join(ws.dataDir, DB_FILE));
    db.exec(
      `CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;`,
    );
    const failed = await ws.dispatch('training.submit', { ref, work: ranking('good', 'fair', 'bad') });
    expect(failed.ok).toBe(false);
    expect(trainingRows(ws)).toEqual([]);
    expect(tries(ws)).toEqual([]);
    expect(outboxRows(ws)).toEqual([]);

    db.exec('DROP TRIGGER refuse_outbox');
    db.close();
    const taken = await call(ws, 'training.submit', { ref, work: ranking('good', 'fair', 'bad') });
    expect(taken.ok).toBe(true);
    const [answer] = trainingRows(ws);
    expect(answer).toMatchObject({ ref_key: 'sandbox:c1:c1-rank', state: 'submitted', attempts: 1 });
    expect(outboxRows(ws).map((r) => r.seq)).toEqual([answer!.outbox_seq]);
    expect(tries(ws)).toHaveLength(1);
  });
});
