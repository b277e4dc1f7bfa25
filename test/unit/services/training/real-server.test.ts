import { afterEach, expect, it } from 'vitest';
import type { TrainingSubmitOutcome } from '../../../../shared/contract';
import { addUser, createProject, importTasks } from '../../../../server/db/admin';
import { createExam, importCourse } from '../../../../server/training/admin';
import { openShadowing } from '../../../../server/training/shadow';
import type { WorkStateInput } from '../../../../shared/label';
import type { TaskBundle } from '../../../../shared/queue';
import type { TrainingItem } from '../../../../shared/training/key';
import type { TrainingRef } from '../../../../shared/training/ref';
import { call } from '../helpers';
import { describeEachDb } from '../../server/each-db';
import { type RealServer, serverTask, startRealServer } from '../sync/real-server';
import { labelSome, openWorkstation, outboxRows, signIn } from '../sync/workstation';
import { course, pairwiseItemTask, ranking, rankingItemTask, sandboxRef } from './fixtures';

const TRAINEE = { username: 'tina', password: 'trainee horse battery' };
const SKILL = 'helpfulness-ranking';

const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop()!;
    await s.stop();
    s.remove();
  }
});

/** the exam's bank: two ranking items (good > fair > bad) and a pairwise one (left, hallucination on right) */
const bank: TrainingItem[] = [
  ...['b1', 'b2'].map((id) => ({ task: rankingItemTask(id), key: course().modules[0]!.items[0]!.key })),
  { task: pairwiseItemTask('b3'), key: course().modules[1]!.items[0]!.key },
];

/**
 * The real server with a course, an exam (draw 3 of 3, promotes who passes) and a project that
 * requires its certificate, holding 3 tasks; the trainee has no certificate yet.
 */
async function trainingServer(dialect: 'sqlite' | 'postgres') {
  const srv = await startRealServer({ dialect, tasks: 0 });
  servers.push(srv);
  const db = srv.db.db;
  const now = new Date();
  await addUser(db, { ...TRAINEE, role: 'trainee' });
  await importCourse(db, course(), now);
  await createExam(
    db,
    {
      id: 'x1',
      title: 'Helpfulness ranking certification',
      skill: SKILL,
      guideline_id: 'default',
      draw: 3,
      pass_mark: 0.8,
      max_attempts: 3,
      cooldown_hours: 24,
      time_limit_min: null,
      valid_days: 180,
      grace_days: 14,
      stratify: null,
      promote: 1,
    },
    bank,
    now,
  );
  await createProject(db, { id: 'gated', requiresCerts: [SKILL] });
  await importTasks(
    db,
    'gated',
    ['g1', 'g2', 'g3'].map((id) => serverTask(id)),
  );
  return srv;
}

/**
 * The right answer to every item of an attempt, from the server's record of what it served (the
 * trainee sees neutral response ids in a random order): task id -> work, given the presented order.
 */
async function rightAnswers(srv: RealServer, attemptId: string) {
  const row = await srv.db.db
    .selectFrom('exam_attempts')
    .select('served')
    .where('id', '=', attemptId)
    .executeTakeFirstOrThrow();
  const served = JSON.parse(row.served) as {
    task: { id: string };
    itemId: string;
    responses: Record<string, string>;
  }[];
  return new Map(
    served.map((item) => {
      const key = bank.find((b) => b.task.id === item.itemId)!.key;
      const toServed = (bankId: string) =>
        Object.keys(item.responses).find((s) => item.responses[s] === bankId)!;
      const work = (presentedOrder: readonly string[]): WorkStateInput => {
        if (key.kind === 'ranking')
          return ranking(
            ...Object.keys(key.ranks)
              .sort((a, b) => key.ranks[a]! - key.ranks[b]!)
              .map(toServed),
          );
        return {
          pairwise: {
            choice: presentedOrder[0] === toServed(key.preferred!) ? 'A' : 'B',
            strength: 'better',
          },
          tags: key.tags.map((t) => ({
            responseId: toServed(t.responseId),
            tagId: t.tagId,
            severity: 'major',
          })),
          activeMs: 15_000,
        };
      };
      return [item.task.id, work] as const;
    }),
  );
}

describeEachDb('training against the real server', (dialect) => {
  it('sandbox, then an exam taken offline: answers accepted, graded result and certificate by pull, gated work leased', async () => {
    const srv = await trainingServer(dialect);
    // a reviewer without the certificate is given none of the gated project's work, and told why
    const uncertified = openWorkstation();
    await signIn(uncertified, srv.url);
    expect(await call(uncertified, 'sync.now')).toMatchObject({
      state: 'online',
      leaseRefusal: 'Certification required: take the Helpfulness ranking certification exam',
    });
    expect((await call(uncertified, 'auth.status')).signedIn).toBe(true);
    expect((await call(uncertified, 'queue.summary')).total).toBe(0);

    const ws = openWorkstation();
    await signIn(ws, srv.url, TRAINEE);
    await call(ws, 'sync.now');

    // the course and the exam came by pull; the gated project gave this trainee nothing
    const before = await call(ws, 'training.overview');
    expect(before.courses.map((c) => c.id)).toEqual(['c1']);
    expect(before.exams).toEqual([
      expect.objectContaining({ attemptsLeft: 3, blockedReason: null, openAttempt: null }),
    ]);
    expect((await call(ws, 'queue.summary')).total).toBe(0);

    // a sandbox item: wrong, retried, right; both tries reach the server
    const ref = sandboxRef('c1-rank');
    const wrong = await call(ws, 'training.submit', { ref, work: ranking('bad', 'fair', 'good') });
    expect(wrong).toMatchObject({ ok: true, bundle: { training: { feedback: { correct: false } } } });
    await call(ws, 'training.retry', { ref });
    const right = await call(ws, 'training.submit', { ref, work: ranking('good', 'fair', 'bad') });
    expect(right).toMatchObject({
      ok: true,
      bundle: { training: { attempts: 2, feedback: { correct: true } } },
    });
    await call(ws, 'sync.now');
    expect(outboxRows(ws).map((r) => r.state)).toEqual(['accepted', 'accepted']);
    const sandbox = await srv.db.db
      .selectFrom('sandbox_answers')
      .select(['task_id', 'attempt', 'score', 'correct'])
      .orderBy('attempt')
      .execute();
    // the server scored each try itself, with the same rules: the same results as the feedback here
    expect(sandbox.map((r) => [r.task_id, r.attempt, r.score, Number(r.correct)])).toEqual([
      ['c1-rank', 1, 0, 0],
      ['c1-rank', 2, 1, 1],
    ]);

    // the exam starts on the server; then the network goes and every item is answered offline
    const { first } = await call(ws, 'training.startExam', { examId: 'x1' });
    if (first.kind !== 'exam') throw new Error('not an exam item');
    const answers = await rightAnswers(srv, first.attemptId);
    await srv.stop();
    let next: TrainingRef | null = first;
    while (next) {
      const bundle: TaskBundle = await call(ws, 'training.open', { ref: next });
      expect(bundle.training).toMatchObject({ locked: false, feedback: null });
      const work: WorkStateInput = answers.get(bundle.task.id)!(bundle.presentedOrder);
      const outcome: TrainingSubmitOutcome = await call(ws, 'training.submit', { ref: next, work });
      expect(outcome).toMatchObject({ ok: true, bundle: { training: { locked: true, feedback: null } } });
      next = outcome.ok ? outcome.bundle.training!.next : null;
    }
    const offline = await call(ws, 'sync.now');
    expect(offline.state).toBe('offline');
    expect((await call(ws, 'training.overview')).exams[0]!.openAttempt).toMatchObject({
      answered: 3,
      total: 3,
      unsent: 3,
    });

    // back online: the answers are taken, the attempt graded, the result and certificate pulled
    await srv.restart();
    expect(await call(ws, 'sync.now')).toMatchObject({
      state: 'online',
      lastError: null,
      leaseRefusal: null,
    });
    expect(outboxRows(ws).map((r) => r.state)).toEqual(Array(5).fill('accepted'));
    const after = await call(ws, 'training.overview');
    expect(after.exams[0]).toMatchObject({
      openAttempt: null,
      blockedReason: `You already hold a valid ${SKILL} certificate.`,
    });
    expect(after.exams[0]!.attempts[0]).toMatchObject({
      state: 'graded',
      result: { passed: true, score: 1 },
    });
    expect(after.certificates).toEqual([expect.objectContaining({ skill: SKILL, status: 'valid' })]);
    const graded = await call(ws, 'training.open', { ref: first });
    expect(graded.training).toMatchObject({ locked: true, feedback: { correct: true } });

    // promoted and certified: the gated project's work is leased now
    expect((await call(ws, 'queue.summary')).total).toBe(3);
  });

  it('shadowing: a set drawn from a reviewer’s labels, answered offline, each set beside the reviewer’s label after sync', async () => {
    const srv = await trainingServer(dialect);
    // a reviewer labels 3 tasks of p1 (a project that requires no certificate)
    await importTasks(
      srv.db.db,
      'p1',
      ['s1', 's2', 's3'].map((id) => serverTask(id)),
    );
    const rita = openWorkstation();
    await signIn(rita, srv.url);
    await call(rita, 'sync.now');
    const labeled = await labelSome(rita, 3);
    await call(rita, 'sync.now');
    await srv.db.db.transaction().execute((trx) => openShadowing(trx, 'p1', 2, new Date()));

    const ws = openWorkstation();
    await signIn(ws, srv.url, TRAINEE);
    await call(ws, 'sync.now');
    const before = await call(ws, 'training.overview');
    expect(before.shadowing).toEqual([
      {
        project: { kind: 'shadow-project', id: 'p1', name: 'p1', setSize: 2, open: true },
        openSet: null,
        setsDone: 0,
        meanScore: null,
      },
    ]);
    const { first } = await call(ws, 'training.startShadow', { projectId: 'p1' });
    if (first.kind !== 'shadow') throw new Error('not a shadowing task');
    const reference = new Map(
      (await srv.labels()).map((l) => [
        l.task_id,
        (JSON.parse(l.body) as { ranks: Record<string, number> }).ranks,
      ]),
    );

    // offline: the first answered as the reviewer did, the second the other way round
    await srv.stop();
    let next: TrainingRef | null = first;
    let n = 0;
    while (next) {
      const bundle: TaskBundle = await call(ws, 'training.open', { ref: next });
      expect(labeled).toContain(bundle.task.id);
      expect(bundle.training).toMatchObject({ locked: false, feedback: null, key: null });
      const ranks = { ...reference.get(bundle.task.id)! };
      if (n++ === 1) for (const id of Object.keys(ranks)) ranks[id] = 4 - ranks[id]!;
      const outcome: TrainingSubmitOutcome = await call(ws, 'training.submit', {
        ref: next,
        work: { ranks, rankingTouched: true, activeMs: 20_000 },
      });
      // saved and locked; nothing to set it beside until the server has it
      expect(outcome).toMatchObject({ ok: true, bundle: { training: { locked: true, feedback: null } } });
      next = outcome.ok ? outcome.bundle.training!.next : null;
    }
    expect((await call(ws, 'training.overview')).shadowing[0]!.openSet).toBeNull();
    await srv.restart();
    await call(ws, 'sync.now');
    const agree = await call(ws, 'training.open', { ref: first });
    expect(agree.training).toMatchObject({
      locked: true,
      feedback: {
        correct: true,
        score: 1,
        judgement: { kind: 'ranking', expected: reference.get(agree.task.id) },
      },
    });
    const after = await call(ws, 'training.overview');
    expect(after.shadowing[0]).toMatchObject({ openSet: null, setsDone: 1, meanScore: 0.5 });
    // a submitted shadowing answer is final
    expect(await ws.dispatch('training.save', { ref: first, work: {} })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'this shadowing answer was already submitted and cannot change' },
    });
    // the trainee's answers are training data: not labels of the project
    expect((await srv.labels()).length).toBe(3);
  });
});
