import type { AttemptDoc, CertificateDoc, ExamDoc } from './docs';

/**
 * Where a user stands with an exam and a skill. Pure, used by the server to enforce (it is the
 * authority) and by the workstation to show attempts left and cool-downs offline.
 */

export type CertificateStatus = 'valid' | 'due' | 'expired' | 'revoked';

/** valid: counts for production leases; due: valid until dueAt, re-certification asked for */
export function certificateStatus(cert: CertificateDoc, now: Date): CertificateStatus {
  const t = now.toISOString();
  if (cert.revokedAt) return 'revoked';
  if (cert.expiresAt <= t) return 'expired';
  if (cert.dueAt !== null) return cert.dueAt <= t ? 'expired' : 'due';
  return 'valid';
}

/** a certificate that still lets its holder take production work (valid, or due but in grace) */
export const certificateHolds = (cert: CertificateDoc, now: Date) => {
  const status = certificateStatus(cert, now);
  return status === 'valid' || status === 'due';
};

export type ExamStanding = {
  /** holds a certificate for the exam's skill that is valid and not due: no attempt needed */
  certified: boolean;
  openAttemptId: string | null;
  /** attempts of this certification cycle (after the latest certificate for the skill was issued) */
  attemptsUsed: number;
  attemptsLeft: number;
  /** cool-down: the next attempt may start at this time (null = now, or never when none left) */
  nextAttemptAt: string | null;
  /** why no attempt can start now; null when one can */
  blocked: null | 'certified' | 'open-attempt' | 'no-attempts-left' | 'cooldown' | 'retired';
};

/**
 * The cycle starts when the newest certificate for the skill was issued (a first cycle starts
 * at the beginning of time): after a certificate lapses or falls due, attempts count afresh.
 * The cool-down runs from the end (grading) of the previous attempt in the cycle.
 */
export function examStanding(
  exam: ExamDoc,
  attempts: readonly AttemptDoc[],
  certificates: readonly CertificateDoc[],
  now: Date,
): ExamStanding {
  const skillCerts = certificates.filter((c) => c.skill === exam.skill);
  const certified = skillCerts.some((c) => certificateStatus(c, now) === 'valid');
  const cycleStart = skillCerts.reduce((latest, c) => (c.issuedAt > latest ? c.issuedAt : latest), '');
  const mine = attempts.filter((a) => a.examId === exam.id);
  const open = mine.find((a) => a.state === 'open') ?? null;
  const inCycle = mine.filter((a) => a.startedAt > cycleStart);
  const attemptsUsed = inCycle.length;
  const attemptsLeft = Math.max(0, exam.maxAttempts - attemptsUsed);
  const lastEnd = inCycle
    .map((a) => a.result?.gradedAt ?? a.startedAt)
    .reduce((latest, t) => (t > latest ? t : latest), '');
  const cooldownEnds = lastEnd
    ? new Date(Date.parse(lastEnd) + exam.cooldownHours * 3600_000).toISOString()
    : null;
  const cooling = cooldownEnds !== null && cooldownEnds > now.toISOString();
  let blocked: ExamStanding['blocked'] = null;
  if (open) blocked = 'open-attempt';
  else if (certified) blocked = 'certified';
  else if (exam.retired) blocked = 'retired';
  else if (attemptsLeft === 0) blocked = 'no-attempts-left';
  else if (cooling) blocked = 'cooldown';
  return {
    certified,
    openAttemptId: open?.id ?? null,
    attemptsUsed,
    attemptsLeft,
    nextAttemptAt: attemptsLeft > 0 && cooling ? cooldownEnds : null,
    blocked,
  };
}

/** The plain-word reason an exam cannot be started, for both the server's 409 and the UI. */
export function standingMessage(exam: ExamDoc, standing: ExamStanding): string | null {
  switch (standing.blocked) {
    case null:
      return null;
    case 'certified':
      return `You already hold a valid ${exam.skill} certificate.`;
    case 'open-attempt':
      return 'Finish the attempt you have started first.';
    case 'retired':
      return 'This exam no longer takes attempts.';
    case 'no-attempts-left':
      return `You have used all ${exam.maxAttempts} attempts: ask your lead.`;
    case 'cooldown':
      return `The next attempt can start at ${standing.nextAttemptAt}.`;
  }
}

/** Major version of a guideline version string ("2.1" -> 2, "v3" -> 3, "draft" -> 0). */
export function majorVersion(version: string): number {
  const match = /(\d+)/.exec(version);
  return match ? Number(match[1]) : 0;
}
