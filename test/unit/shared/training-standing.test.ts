import { describe, expect, it } from 'vitest';
import type { AttemptDoc, CertificateDoc, ExamDoc } from '../../../shared/training/docs';
import {
  certificateHolds,
  certificateStatus,
  examStanding,
  majorVersion,
  standingMessage,
} from '../../../shared/training/standing';

const HOUR = 3600_000;
const T0 = Date.parse('2026-03-01T09:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * HOUR);
const iso = (hours: number) => at(hours).toISOString();

const exam = (extra: Partial<ExamDoc> = {}): ExamDoc => ({
  kind: 'exam',
  id: 'exam-qa',
  title: 'QA ranking',
  skill: 'qa-ranking',
  draw: 10,
  passMark: 0.8,
  maxAttempts: 3,
  cooldownHours: 24,
  timeLimitMin: 60,
  validDays: 180,
  guidelineId: 'qa-guide',
  retired: false,
  ...extra,
});

const task = {
  id: 'att.1',
  kind: 'pairwise' as const,
  prompt: 'p',
  responses: [
    { id: 'r1', text: 'a' },
    { id: 'r2', text: 'b' },
  ],
};

/** an attempt started at `start` (hours after T0), graded at `graded` (null = still open) */
const attempt = (
  id: string,
  start: number,
  graded: number | null,
  extra: Partial<AttemptDoc> = {},
): AttemptDoc => ({
  kind: 'attempt',
  id,
  examId: 'exam-qa',
  number: 1,
  startedAt: iso(start),
  deadline: null,
  items: [task],
  state: graded === null ? 'open' : 'graded',
  result:
    graded === null
      ? null
      : { score: 0.5, passed: false, gradedAt: iso(graded), items: [], certificateId: null },
  ...extra,
});

const cert = (extra: Partial<CertificateDoc> = {}): CertificateDoc => ({
  kind: 'certificate',
  id: 'cert-1',
  skill: 'qa-ranking',
  examId: 'exam-qa',
  guidelineId: 'qa-guide',
  guidelineVersion: '1.0',
  issuedAt: iso(0),
  expiresAt: iso(180 * 24),
  dueAt: null,
  revokedAt: null,
  ...extra,
});

describe('certificateStatus', () => {
  it('valid until it expires; expired at expiresAt exactly', () => {
    expect(certificateStatus(cert(), at(1))).toBe('valid');
    expect(certificateStatus(cert(), new Date(Date.parse(cert().expiresAt) - 1))).toBe('valid');
    expect(certificateStatus(cert(), new Date(cert().expiresAt))).toBe('expired');
  });

  it('due (re-certification asked for) until dueAt, then expired', () => {
    const due = cert({ dueAt: iso(48) });
    expect(certificateStatus(due, at(47))).toBe('due');
    expect(certificateStatus(due, at(48))).toBe('expired');
    // expiry comes first when it is earlier than the due date
    expect(certificateStatus(cert({ dueAt: iso(48), expiresAt: iso(10) }), at(20))).toBe('expired');
  });

  it('revoked whatever its dates', () => {
    expect(certificateStatus(cert({ revokedAt: iso(2) }), at(3))).toBe('revoked');
    expect(certificateStatus(cert({ revokedAt: iso(2), dueAt: iso(100) }), at(3))).toBe('revoked');
  });

  it('holds for production while valid or due', () => {
    expect(certificateHolds(cert(), at(1))).toBe(true);
    expect(certificateHolds(cert({ dueAt: iso(48) }), at(1))).toBe(true);
    expect(certificateHolds(cert({ dueAt: iso(48) }), at(49))).toBe(false);
    expect(certificateHolds(cert({ revokedAt: iso(0) }), at(1))).toBe(false);
  });
});

describe('examStanding', () => {
  it('a first attempt: nothing used, nothing blocks', () => {
    const standing = examStanding(exam(), [], [], at(0));
    expect(standing).toEqual({
      certified: false,
      openAttemptId: null,
      attemptsUsed: 0,
      attemptsLeft: 3,
      nextAttemptAt: null,
      blocked: null,
    });
    expect(standingMessage(exam(), standing)).toBeNull();
  });

  it('an open attempt blocks a second one and counts as used', () => {
    const standing = examStanding(exam(), [attempt('a1', 0, null)], [], at(1));
    expect(standing).toMatchObject({
      openAttemptId: 'a1',
      attemptsUsed: 1,
      attemptsLeft: 2,
      blocked: 'open-attempt',
    });
    expect(standingMessage(exam(), standing)).toBe('Finish the attempt you have started first.');
  });

  it('the cool-down runs from the previous attempt’s grading, not its start', () => {
    // started at 0, graded at 5: the next attempt may start at 29 (24 h cool-down)
    const attempts = [attempt('a1', 0, 5)];
    const cooling = examStanding(exam(), attempts, [], at(25));
    expect(cooling).toMatchObject({
      attemptsUsed: 1,
      attemptsLeft: 2,
      blocked: 'cooldown',
      nextAttemptAt: iso(29),
    });
    expect(standingMessage(exam(), cooling)).toBe(`The next attempt can start at ${iso(29)}.`);
    expect(examStanding(exam(), attempts, [], new Date(T0 + 29 * HOUR - 1)).blocked).toBe('cooldown');
    expect(examStanding(exam(), attempts, [], at(29))).toMatchObject({ blocked: null, nextAttemptAt: null });
    // the newest grading counts
    const two = [attempt('a1', 0, 5), attempt('a2', 30, 31)];
    expect(examStanding(exam(), two, [], at(40))).toMatchObject({ attemptsUsed: 2, nextAttemptAt: iso(55) });
    expect(examStanding(exam({ cooldownHours: 0 }), two, [], at(31)).blocked).toBeNull();
  });

  it('all attempts of the cycle used: no attempts left, no next time even while cooling', () => {
    const attempts = [attempt('a1', 0, 1), attempt('a2', 30, 31), attempt('a3', 60, 61)];
    const standing = examStanding(exam(), attempts, [], at(62));
    expect(standing).toMatchObject({
      attemptsUsed: 3,
      attemptsLeft: 0,
      blocked: 'no-attempts-left',
      nextAttemptAt: null,
    });
    expect(standingMessage(exam(), standing)).toBe('You have used all 3 attempts: ask your lead.');
  });

  it('attempts at other exams do not count', () => {
    const other = attempt('b1', 0, 1, { examId: 'exam-other' });
    expect(examStanding(exam(), [other], [], at(2))).toMatchObject({ attemptsUsed: 0, blocked: null });
  });

  it('a retired exam takes no attempt', () => {
    const standing = examStanding(exam({ retired: true }), [], [], at(0));
    expect(standing.blocked).toBe('retired');
    expect(standingMessage(exam(), standing)).toBe('This exam no longer takes attempts.');
  });

  it('a valid certificate for the skill: certified, nothing to take', () => {
    const passed = [attempt('a1', 0, 1)];
    const standing = examStanding(exam(), passed, [cert({ issuedAt: iso(1) })], at(2));
    expect(standing).toMatchObject({ certified: true, blocked: 'certified' });
    expect(standingMessage(exam(), standing)).toBe('You already hold a valid qa-ranking certificate.');
    // a certificate for another skill does not count
    expect(examStanding(exam(), [], [cert({ skill: 'code-review' })], at(2)).certified).toBe(false);
  });

  it('a certificate that fell due or lapsed starts a new cycle: earlier attempts no longer count', () => {
    const earlier = [attempt('a1', 0, 1), attempt('a2', 30, 31), attempt('a3', 60, 61)];
    const due = cert({ issuedAt: iso(61), dueAt: iso(2000) });
    const standing = examStanding(exam(), earlier, [due], at(1000));
    expect(standing).toMatchObject({ certified: false, attemptsUsed: 0, attemptsLeft: 3, blocked: null });
    // and attempts after its issue count in the new cycle
    const again = [...earlier, attempt('a4', 1000, 1001)];
    expect(examStanding(exam(), again, [due], at(1002))).toMatchObject({
      attemptsUsed: 1,
      attemptsLeft: 2,
      blocked: 'cooldown',
      nextAttemptAt: iso(1025),
    });
    const expired = cert({ issuedAt: iso(61), expiresAt: iso(500) });
    expect(examStanding(exam(), earlier, [expired], at(600))).toMatchObject({
      certified: false,
      attemptsUsed: 0,
    });
  });

  it('a revoked certificate does not certify', () => {
    const revoked = cert({ issuedAt: iso(1), revokedAt: iso(5) });
    expect(examStanding(exam(), [attempt('a1', 0, 1)], [revoked], at(6))).toMatchObject({
      certified: false,
      blocked: null,
    });
  });
});

describe('majorVersion', () => {
  it('reads the first number of a version string', () => {
    expect(majorVersion('2.1')).toBe(2);
    expect(majorVersion('2.1.7')).toBe(2);
    expect(majorVersion('v3')).toBe(3);
    expect(majorVersion('10.0')).toBe(10);
    expect(majorVersion('draft')).toBe(0);
    expect(majorVersion('2.9') < majorVersion('3.0')).toBe(true);
    expect(majorVersion('2.0') === majorVersion('2.9')).toBe(true);
  });
});
