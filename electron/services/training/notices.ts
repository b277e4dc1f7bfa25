import type { AttemptDoc, CalibrationDoc, CertificateDoc, ExamDoc } from '../../../shared/training/docs';
import { certificateHolds, certificateStatus } from '../../../shared/training/standing';

/** graded attempts and revealed rounds are news for this long */
export const NOTICE_DAYS = 14;

const day = (iso: string) => iso.slice(0, 10);
const percent = (share: number) => `${Math.round(share * 100)}%`;

export interface NoticeDocs {
  exams: readonly ExamDoc[];
  attempts: readonly AttemptDoc[];
  certificates: readonly CertificateDoc[];
  rounds: readonly CalibrationDoc[];
}

/**
 * The Training area's notices in plain words, most pressing first: re-certification due or a
 * certificate lapsed (with the exam that renews it), exams graded and rounds revealed lately.
 */
export function trainingNotices(docs: NoticeDocs, now: Date): string[] {
  const notices: string[] = [];
  const since = new Date(now.getTime() - NOTICE_DAYS * 24 * 3600_000).toISOString();
  const examFor = (skill: string) => {
    const exam = docs.exams.find((e) => e.skill === skill && !e.retired);
    return exam ? `take the "${exam.title}" exam` : 'ask your lead for the exam';
  };

  const skills = [...new Set(docs.certificates.map((c) => c.skill))].sort();
  for (const skill of skills) {
    const certs = docs.certificates.filter((c) => c.skill === skill);
    const newest = certs.reduce((a, b) => (b.issuedAt > a.issuedAt ? b : a));
    const status = certificateStatus(newest, now);
    if (status === 'due')
      notices.push(`Re-certification due for ${skill} by ${day(newest.dueAt!)}: ${examFor(skill)}.`);
    else if (status === 'expired' && !certs.some((c) => certificateHolds(c, now))) {
      const ended = newest.dueAt && newest.dueAt < newest.expiresAt ? newest.dueAt : newest.expiresAt;
      notices.push(`Your ${skill} certificate expired on ${day(ended)}: ${examFor(skill)} to renew it.`);
    } else if (status === 'revoked' && !certs.some((c) => certificateHolds(c, now)))
      notices.push(`Your ${skill} certificate was revoked on ${day(newest.revokedAt!)}: ask your lead.`);
  }

  for (const exam of docs.exams) {
    const graded = docs.attempts
      .filter((a) => a.examId === exam.id && a.result && a.result.gradedAt >= since)
      .sort((a, b) => b.result!.gradedAt.localeCompare(a.result!.gradedAt));
    const latest = graded[0];
    if (!latest?.result) continue;
    const { score, passed } = latest.result;
    notices.push(
      passed
        ? `"${exam.title}" attempt ${latest.number} passed with ${percent(score)}: you are certified for ${exam.skill}.`
        : `"${exam.title}" attempt ${latest.number} did not pass: ${percent(score)} (the pass mark is ${percent(exam.passMark)}).`,
    );
  }

  for (const round of docs.rounds) {
    if (!round.reveal || round.reveal.revealedAt < since) continue;
    const agreement = round.reveal.agreement;
    notices.push(
      agreement === null
        ? `Calibration round "${round.title}" was revealed: see how the pod answered.`
        : `Calibration round "${round.title}" was revealed: your agreement with the pod is ${percent(agreement)}.`,
    );
  }
  return notices;
}
