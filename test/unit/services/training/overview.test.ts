import { describe, expect, it } from 'vitest';
import type { AttemptResult } from '../../../../shared/training/docs';
import { call } from '../helpers';
import { attempt, certificate, course, exam, fakeWithDocs, round, traineeAt } from './fixtures';

/** the workstation's clock for these tests: standing and notices depend on it */
const NOW = new Date('2025-03-10T12:00:00.000Z');
const clock = () => NOW;

const graded = (score: number, passed: boolean, gradedAt: string): AttemptResult => ({
  score,
  passed,
  gradedAt,
  items: [],
  certificateId: passed ? 'cert1' : null,
});

describe('the Training overview', () => {
  it('exams show attempts used and left and the cool-down, by the same rule the server enforces', async () => {
    const f = await fakeWithDocs(
      exam(),
      exam({ id: 'x2', title: 'Safety tagging', skill: 'safety-tagging', maxAttempts: 1 }),
      attempt({
        id: 'a1',
        number: 1,
        startedAt: '2025-03-09T09:00:00.000Z',
        state: 'graded',
        result: graded(0.5, false, '2025-03-09T10:00:00.000Z'),
      }),
      attempt({
        id: 'a0',
        number: 1,
        examId: 'x2',
        startedAt: '2025-02-01T09:00:00.000Z',
        state: 'graded',
        result: graded(0.4, false, '2025-02-01T10:00:00.000Z'),
      }),
    );
    const ws = await traineeAt(f, { clock });
    const { exams, notices } = await call(ws, 'training.overview');
    expect(exams.map((e) => e.exam.id)).toEqual(['x1', 'x2']);
    expect(exams[0]).toMatchObject({
      attemptsUsed: 1,
      attemptsLeft: 2,
      // the 24-hour cool-down after the graded attempt is over
      nextAttemptAt: null,
      blockedReason: null,
      openAttempt: null,
    });
    expect(exams[1]).toMatchObject({
      attemptsUsed: 1,
      attemptsLeft: 0,
      blockedReason: 'You have used all 1 attempts: ask your lead.',
    });
    expect(notices).toEqual([
      '"Helpfulness ranking certification" attempt 1 did not pass: 50% (the pass mark is 80%).',
    ]);
  });

  it('a cool-down still running blocks the next attempt, in words', async () => {
    const f = await fakeWithDocs(
      exam({ cooldownHours: 48 }),
      attempt({ state: 'graded', result: graded(0.5, false, '2025-03-09T10:00:00.000Z') }),
    );
    const ws = await traineeAt(f, { clock });
    const [summary] = (await call(ws, 'training.overview')).exams;
    expect(summary).toMatchObject({
      nextAttemptAt: '2025-03-11T10:00:00.000Z',
      blockedReason: 'The next attempt can start at 2025-03-11T10:00:00.000Z.',
    });
  });

  it('certificates carry their status; re-certification due and a pass are notices', async () => {
    const f = await fakeWithDocs(
      exam(),
      exam({ id: 'x2', title: 'Safety tagging', skill: 'safety-tagging' }),
      certificate({ dueAt: '2025-04-01T00:00:00.000Z' }),
      certificate({
        id: 'cert2',
        skill: 'safety-tagging',
        examId: 'x2',
        issuedAt: '2025-03-09T10:00:00.000Z',
      }),
      certificate({
        id: 'cert0',
        skill: 'old-skill',
        issuedAt: '2024-09-01T00:00:00.000Z',
        expiresAt: '2025-03-01T00:00:00.000Z',
      }),
      attempt({
        id: 'a9',
        examId: 'x2',
        startedAt: '2025-03-09T09:00:00.000Z',
        state: 'graded',
        result: graded(0.9, true, '2025-03-09T10:00:00.000Z'),
      }),
    );
    const ws = await traineeAt(f, { clock });
    const overview = await call(ws, 'training.overview');
    expect(overview.certificates.map((c) => [c.id, c.status])).toEqual([
      ['cert2', 'valid'],
      ['cert1', 'due'],
      ['cert0', 'expired'],
    ]);
    expect(overview.notices).toEqual([
      'Re-certification due for helpfulness-ranking by 2025-04-01: take the "Helpfulness ranking certification" exam.',
      'Your old-skill certificate expired on 2025-03-01: ask your lead for the exam to renew it.',
      '"Safety tagging" attempt 1 passed with 90%: you are certified for safety-tagging.',
    ]);
    // due but in grace: the exam may be taken again (the skill counts as not certified)
    expect(overview.exams.find((e) => e.exam.id === 'x1')).toMatchObject({
      blockedReason: null,
      attemptsLeft: 3,
    });
    expect(overview.exams.find((e) => e.exam.id === 'x2')).toMatchObject({
      blockedReason: 'You already hold a valid safety-tagging certificate.',
    });
  });

  it('courses list their modules, lessons and items; rounds show answered of total, open ones first', async () => {
    const f = await fakeWithDocs(
      course(),
      round({
        id: 'r0',
        title: 'Week 8',
        state: 'revealed',
        reveal: {
          revealedAt: '2025-01-01T00:00:00.000Z',
          members: 2,
          submitted: 2,
          items: [],
          agreement: null,
        },
      }),
      round(),
    );
    const ws = await traineeAt(f, { clock });
    const overview = await call(ws, 'training.overview');
    expect(overview.courses).toEqual([
      {
        id: 'c1',
        title: 'Ranking basics',
        description: 'Start here.',
        progress: { done: 0, total: 2 },
        modules: [
          {
            id: 'm1',
            title: 'Order by quality',
            lesson: 'Correct beats fluent.',
            items: [
              {
                ref: { kind: 'sandbox', courseId: 'c1', taskId: 'c1-rank' },
                promptPreview: 'Rank the answers to c1-rank',
                attempts: 0,
                bestScore: null,
                correct: false,
              },
            ],
          },
          expect.objectContaining({ id: 'm2', title: 'Spot hallucinations' }),
        ],
      },
    ]);
    expect(overview.calibration.map((c) => [c.round.id, c.answered, c.total])).toEqual([
      ['r1', 0, 2],
      ['r0', 0, 2],
    ]);
    // revealed long ago: no longer news
    expect(overview.notices).toEqual([]);
  });
});
