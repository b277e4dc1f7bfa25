import { describe, expect, it } from 'vitest';
import { call } from '../helpers';
import { outboxRows } from '../sync/workstation';
import {
  attempt,
  docChange,
  exam,
  examRef,
  fakeWithDocs,
  pairwise,
  ranking,
  round,
  roundRef,
  script,
  traineeAt,
  trainingRows,
} from './fixtures';
import { openWorkstation } from '../sync/workstation';

const START = 'training/exams/x1/attempts';

describe('exams on the workstation', () => {
  it('starting an exam asks the server and keeps the attempt: its items open without feedback', async () => {
    const f = await fakeWithDocs(exam());
    const ws = await traineeAt(f);
    script(f, START, 201, { attempt: attempt({ deadline: '2999-01-01T01:00:00.000Z' }) });
    expect(await call(ws, 'training.startExam', { examId: 'x1' })).toEqual({ first: examRef('q1') });

    const first = await call(ws, 'training.open', { ref: examRef('q1') });
    expect(first.training).toMatchObject({
      title: 'Helpfulness ranking certification',
      section: null,
      position: { index: 1, count: 2 },
      deadline: '2999-01-01T01:00:00.000Z',
      locked: false,
      feedback: null,
      next: examRef('q2'),
    });
    const overview = await call(ws, 'training.overview');
    expect(overview.exams[0]).toMatchObject({
      blockedReason: 'Finish the attempt you have started first.',
      openAttempt: { id: 'a1', answered: 0, total: 2, unsent: 0, deadline: '2999-01-01T01:00:00.000Z' },
    });
    // the open attempt is listed too: after a restart its items are how the trainee resumes
    expect(overview.exams[0]!.attempts.map((a) => [a.id, a.state])).toEqual([['a1', 'open']]);
  });

  it('cannot start offline, signed out, or when the server refuses (its words come through)', async () => {
    const f = await fakeWithDocs(exam());
    const ws = await traineeAt(f);
    script(f, START, 409, {
      error: { code: 'exam-unavailable', message: 'The next attempt can start at 2025-03-02.' },
    });
    expect(await ws.dispatch('training.startExam', { examId: 'x1' })).toMatchObject({
      ok: false,
      status: 409,
      error: { message: 'The next attempt can start at 2025-03-02.' },
    });
    await f.close();
    const offline = await ws.dispatch('training.startExam', { examId: 'x1' });
    expect(offline).toMatchObject({ ok: false, status: 503 });
    if (!offline.ok)
      expect(offline.error.message).toMatch(/^Starting an exam needs a connection to the server/);

    const never = openWorkstation();
    const signedOut = await never.dispatch('training.startExam', { examId: 'x1' });
    expect(signedOut).toMatchObject({ ok: false, status: 503 });
    if (!signedOut.ok) expect(signedOut.error.message).toMatch(/Sign in first/);
  });

  it('a submitted exam answer locks: no second submit, no draft; nothing is scored on this computer', async () => {
    const f = await fakeWithDocs(exam(), attempt());
    const ws = await traineeAt(f);
    await f.close(); // the exam is taken offline
    const ref = examRef('q1');
    const outcome = await call(ws, 'training.submit', { ref, work: ranking('good', 'fair', 'bad') });
    if (!outcome.ok) throw new Error('refused');
    expect(outcome.bundle).toMatchObject({
      state: 'submitted',
      training: { locked: true, feedback: null, attempts: 1, next: examRef('q2') },
    });
    expect(await ws.dispatch('training.submit', { ref, work: ranking('bad', 'fair', 'good') })).toMatchObject(
      {
        ok: false,
        status: 409,
        error: { message: 'this exam answer was already submitted and cannot change' },
      },
    );
    expect(await ws.dispatch('training.save', { ref, work: ranking('bad', 'fair', 'good') })).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(outboxRows(ws).map((r) => [r.type, r.task_id, r.state])).toEqual([
      ['training.answer', 'q1', 'queued'],
    ]);
    expect(trainingRows(ws)).toEqual([
      expect.objectContaining({ ref_key: 'exam:a1:q1', state: 'submitted', attempts: 1 }),
    ]);
    const overview = await call(ws, 'training.overview');
    expect(overview.exams[0]!.openAttempt).toMatchObject({ answered: 1, total: 2, unsent: 1 });
  });

  it('an answer after the deadline is still taken (the server decides what it is worth) and locks', async () => {
    const f = await fakeWithDocs(
      exam({ timeLimitMin: 30 }),
      attempt({ deadline: '2001-01-01T00:30:00.000Z' }),
    );
    const ws = await traineeAt(f);
    const outcome = await call(ws, 'training.submit', {
      ref: examRef('q1'),
      work: ranking('good', 'fair', 'bad'),
    });
    expect(outcome).toMatchObject({
      ok: true,
      bundle: { training: { locked: true, deadline: '2001-01-01T00:30:00.000Z' } },
    });
  });

  it('answers sync, then the graded attempt arrives by pull with per-item feedback; the attempt takes no more answers', async () => {
    const f = await fakeWithDocs(exam(), attempt());
    const ws = await traineeAt(f);
    const first = await call(ws, 'training.submit', {
      ref: examRef('q1'),
      work: ranking('good', 'fair', 'bad'),
    });
    if (!first.ok) throw new Error('refused');
    await call(ws, 'sync.now');
    expect(outboxRows(ws).map((r) => r.state)).toEqual(['accepted']);
    expect((await call(ws, 'training.overview')).exams[0]!.openAttempt).toMatchObject({
      answered: 1,
      unsent: 0,
    });

    const label = first.bundle.label!;
    f.changes.push(
      docChange(
        attempt({
          state: 'graded',
          result: {
            score: 0.5,
            passed: false,
            gradedAt: '2025-03-01T09:00:00.000Z',
            certificateId: null,
            items: [
              {
                taskId: 'q1',
                answered: true,
                late: false,
                answer: label,
                feedback: {
                  score: 1,
                  correct: true,
                  judgement: {
                    kind: 'ranking',
                    correct: true,
                    score: 1,
                    topMatches: true,
                    tau: 1,
                    minTau: 0.6,
                    expected: { good: 1, fair: 2, bad: 3 },
                    given: { good: 1, fair: 2, bad: 3 },
                  },
                  tags: { score: 1, checks: [], unmentioned: [] },
                  explanation: 'GRADED-EXPLANATION',
                  responseNotes: {},
                  guidelineSection: null,
                },
              },
              { taskId: 'q2', answered: false, late: false, answer: null, feedback: null },
            ],
          },
        }),
      ),
      // a stale open copy arriving after the graded one never reopens the attempt
      docChange(attempt()),
    );
    await call(ws, 'sync.now');
    const graded = await call(ws, 'training.open', { ref: examRef('q1') });
    expect(graded.training).toMatchObject({ locked: true, feedback: { explanation: 'GRADED-EXPLANATION' } });
    const unanswered = await call(ws, 'training.open', { ref: examRef('q2') });
    expect(unanswered.training).toMatchObject({ locked: true, feedback: null });
    const late = await ws.dispatch('training.submit', {
      ref: examRef('q2'),
      work: pairwise(unanswered.presentedOrder, 'left'),
    });
    expect(late).toMatchObject({
      ok: false,
      status: 409,
      error: { message: 'this exam attempt has been graded: it takes no more answers' },
    });
    const overview = await call(ws, 'training.overview');
    expect(overview.exams[0]).toMatchObject({ openAttempt: null, attemptsUsed: 1, attemptsLeft: 2 });
    expect(overview.exams[0]!.attempts.map((a) => [a.id, a.state])).toEqual([['a1', 'graded']]);
  });

  it('calibration answers lock once submitted; a revealed round shows its feedback and takes no more', async () => {
    const f = await fakeWithDocs(round());
    const ws = await traineeAt(f);
    const ref = roundRef('k1');
    expect((await call(ws, 'training.open', { ref })).training).toMatchObject({
      title: 'Week 9',
      next: roundRef('k2'),
    });
    await call(ws, 'training.submit', { ref, work: ranking('fair', 'good', 'bad') });
    expect(await ws.dispatch('training.submit', { ref, work: ranking('good', 'fair', 'bad') })).toMatchObject(
      {
        status: 409,
      },
    );
    expect((await call(ws, 'training.overview')).calibration[0]).toMatchObject({ answered: 1, total: 2 });

    f.changes.push(
      docChange(
        round({
          state: 'revealed',
          reveal: {
            revealedAt: '2999-01-01T00:00:00.000Z',
            members: 3,
            submitted: 3,
            agreement: 0.5,
            items: [
              {
                taskId: 'k1',
                distribution: [{ answer: 'fair > good > bad', count: 1, mine: true }],
                answers: 3,
                referenceSource: 'lead',
                reference: 'good > fair > bad',
                feedback: null,
                explanation: null,
                agreement: 0.5,
                disagreement: 0.66,
              },
            ],
          },
        }),
      ),
    );
    await call(ws, 'sync.now');
    const k2 = await call(ws, 'training.open', { ref: roundRef('k2') });
    expect(k2.training).toMatchObject({ locked: true });
    expect(
      await ws.dispatch('training.save', { ref: roundRef('k2'), work: ranking('good', 'fair', 'bad') }),
    ).toMatchObject({
      status: 409,
      error: { message: 'this calibration round has been revealed: it takes no more answers' },
    });
    expect((await call(ws, 'training.overview')).notices).toContain(
      'Calibration round "Week 9" was revealed: your agreement with the pod is 50%.',
    );
  });
});
