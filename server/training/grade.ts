import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Label } from '../../shared/label';
import type { AttemptItemResult, AttemptResult } from '../../shared/training/docs';
import type { TrainingItem } from '../../shared/training/key';
import { attemptScore, passes, scoreItem, type ItemFeedback } from '../../shared/training/score';
import { chunks } from '../db/batch';
import type { Database, ServerRole } from '../db/schema';
import { attemptDoc, certificateDoc, recordTrainingChanges, type TrainingChange } from './docs';
import type { AttemptRow, CertificateRow, ExamRow } from './docs';
import { servedKey, type ServedItem } from './serve';

/**
 * Time limits (docs/training.md, "Time limits"): an answer the server receives later than the
 * attempt's deadline plus this grace (clock skew, a slow link) is kept and marked late, and counts 0
 * in the attempt's score. The server's receipt time decides, never the workstation's clock. An
 * attempt whose deadline and grace have passed is graded at its owner's next contact (push, pull,
 * lease, a new attempt), whatever is still unanswered counting 0.
 */
export const LATE_GRACE_MS = 2 * 60_000;

/** Received after the deadline and its grace (no deadline: never late). */
export const isLate = (deadline: string | null, atIso: string) =>
  deadline !== null && Date.parse(atIso) > Date.parse(deadline) + LATE_GRACE_MS;

/** An answer as stored (exam_answers), parsed. */
export type StoredAnswer = {
  taskId: string;
  label: Label;
  late: boolean;
  /** what the item counts in the attempt's score: 0 when late */
  score: number;
  feedback: ItemFeedback;
};

/** The answer graded against the key in the served ids, so the feedback speaks of what was shown. */
export const answerFeedback = (served: ServedItem, bank: TrainingItem, label: Label): ItemFeedback =>
  scoreItem(servedKey(bank.key, served.responses), label);

/** an unanswered item: graded as an empty answer, so its feedback still shows the key and explanation */
const NO_ANSWER = { ranks: null, pairwise: null, tags: [] };

export type Graded = {
  attempt: AttemptRow;
  served: ServedItem[];
  certificate: CertificateRow | null;
  /** the trainee becomes a reviewer (the exam promotes) */
  promote: boolean;
};

export type GradeInput = {
  exam: ExamRow;
  attempt: AttemptRow;
  served: ServedItem[];
  /** bank items by item id (at least those served) */
  bank: ReadonlyMap<string, TrainingItem>;
  /** the attempt's answers by served task id */
  answers: ReadonlyMap<string, StoredAnswer>;
  /** the owner's role now */
  role: ServerRole;
  /** the current version of the exam's guideline ('' when none is known) */
  guidelineVersion: string;
  nowIso: string;
};

/**
 * Grades an attempt (pure): the score is the mean item score (unanswered and late items 0,
 * shared/training/score.ts), passing issues a certificate valid for the exam's `valid_days`,
 * earned under the guideline's current version.
 */
export function gradeAttempt(input: GradeInput): Graded {
  const { exam, attempt, served, bank, answers, nowIso } = input;
  const items: AttemptItemResult[] = served.map((item) => {
    const answer = answers.get(item.task.id);
    const key = bank.get(item.itemId)?.key;
    return {
      taskId: item.task.id,
      answered: answer !== undefined,
      late: answer?.late ?? false,
      feedback: answer?.feedback ?? (key ? scoreItem(servedKey(key, item.responses), NO_ANSWER) : null),
      answer: answer?.label ?? null,
    };
  });
  const score = attemptScore(served.map((item) => answers.get(item.task.id)?.score ?? null));
  const passed = passes(score, exam.pass_mark);
  const certificate: CertificateRow | null = passed
    ? {
        id: randomUUID(),
        user_id: attempt.user_id,
        skill: exam.skill,
        exam_id: exam.id,
        attempt_id: attempt.id,
        guideline_id: exam.guideline_id,
        guideline_version: input.guidelineVersion,
        issued_at: nowIso,
        expires_at: new Date(Date.parse(nowIso) + exam.valid_days * 86_400_000).toISOString(),
        due_at: null,
        revoked_at: null,
      }
    : null;
  const result: AttemptResult = {
    score,
    passed,
    gradedAt: nowIso,
    items,
    certificateId: certificate?.id ?? null,
  };
  return {
    attempt: {
      ...attempt,
      state: 'graded',
      score,
      passed: passed ? 1 : 0,
      graded_at: nowIso,
      result: JSON.stringify(result),
    },
    served,
    certificate,
    promote: passed && exam.promote === 1 && input.role === 'trainee',
  };
}

/**
 * Writes graded attempts in the caller's transaction: the attempt (only if still open, so a
 * concurrent grading cannot count twice), its certificate, the promotion, and the owner's
 * documents in the feed (the graded attempt, then the certificate).
 */
export async function writeGrades(
  trx: Transaction<Database>,
  grades: readonly Graded[],
  nowIso: string,
): Promise<void> {
  const changes: TrainingChange[] = [];
  const certificates: CertificateRow[] = [];
  const promoted = new Set<string>();
  for (const g of grades) {
    const a = g.attempt;
    const updated = await trx
      .updateTable('exam_attempts')
      .set({ state: 'graded', score: a.score, passed: a.passed, graded_at: a.graded_at, result: a.result })
      .where('id', '=', a.id)
      .where('state', '=', 'open')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) continue;
    changes.push({ userId: a.user_id, doc: attemptDoc(a, g.served) });
    if (g.certificate) {
      certificates.push(g.certificate);
      changes.push({ userId: a.user_id, doc: certificateDoc(g.certificate) });
    }
    if (g.promote) promoted.add(a.user_id);
  }
  for (const batch of chunks(certificates)) await trx.insertInto('certificates').values(batch).execute();
  if (promoted.size)
    await trx
      .updateTable('users')
      .set({ role: 'reviewer' })
      .where('id', 'in', [...promoted])
      .where('role', '=', 'trainee')
      .execute();
  await recordTrainingChanges(trx, changes, nowIso);
}
