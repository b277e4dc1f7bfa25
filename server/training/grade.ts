import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Label } from '../../shared/label';
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

/**
 * An answer as stored (exam_answers). Its label and feedback stay JSON text: a graded result is
 * assembled from these pieces (gradeAttempt), never parsed and serialised again; grading 1,000
 * attempts at once spends its time writing, not re-encoding (test/bench/training-grade.ts).
 */
export type StoredAnswer = {
  taskId: string;
  late: boolean;
  /** what the item counts in the attempt's score: 0 when late */
  score: number;
  /** Label JSON */
  label: string;
  /** ItemFeedback JSON */
  feedback: string;
};

/** The answer graded against the key in the served ids, so the feedback speaks of what was shown. */
export const answerFeedback = (served: ServedItem, bank: TrainingItem, label: Label): ItemFeedback =>
  scoreItem(servedKey(bank.key, served.responses), label);

/** an unanswered item: graded as an empty answer, so its feedback still shows the key and explanation */
const NO_ANSWER = { ranks: null, pairwise: null, tags: [] };

export type Graded = {
  /** the attempt row as graded (result: AttemptResult JSON) */
  attempt: AttemptRow;
  /** the `training` Change (JSON) carrying the graded AttemptDoc to its owner */
  change: string;
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

const json = JSON.stringify;

/**
 * Grades an attempt (pure): the score is the mean item score (unanswered and late items 0,
 * shared/training/score.ts), passing issues a certificate valid for the exam's `valid_days`,
 * earned under the guideline's current version. The result is AttemptResult JSON and the change
 * a `training` Change with the AttemptDoc, their fields in schema order (shared/training/docs.ts),
 * with the stored answers' JSON put in as it is.
 */
export function gradeAttempt(input: GradeInput): Graded {
  const { exam, attempt, served, bank, answers, nowIso } = input;
  const items = served.map((item) => {
    const answer = answers.get(item.task.id);
    if (answer)
      return `{"taskId":${json(item.task.id)},"answered":true,"late":${answer.late},"feedback":${answer.feedback},"answer":${answer.label}}`;
    const key = bank.get(item.itemId)?.key;
    const feedback = key ? scoreItem(servedKey(key, item.responses), NO_ANSWER) : null;
    return json({ taskId: item.task.id, answered: false, late: false, feedback, answer: null });
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
  const result = `{"score":${score},"passed":${passed},"gradedAt":${json(nowIso)},"items":[${items.join(',')}],"certificateId":${json(certificate?.id ?? null)}}`;
  const open = attemptDoc({ ...attempt, state: 'graded', result: null }, served);
  const { result: _none, ...head } = open;
  const doc = `${json(head).slice(0, -1)},"result":${result}}`;
  return {
    attempt: { ...attempt, state: 'graded', score, passed: passed ? 1 : 0, graded_at: nowIso, result },
    change: `{"type":"training","doc":${doc}}`,
    certificate,
    promote: passed && exam.promote === 1 && input.role === 'trainee',
  };
}

/**
 * Marks attempts graded in one statement per chunk (UPDATE … FROM a VALUES list: SQLite and
 * PostgreSQL both take it), only those still open, so a concurrent grading cannot count twice.
 * Returns the ids it updated.
 */
async function markGraded(trx: Transaction<Database>, attempts: readonly AttemptRow[]): Promise<Set<string>> {
  const updated = new Set<string>();
  for (const batch of chunks(attempts, 200)) {
    const values = sql.join(
      batch.map((a) => sql`(${a.id}, ${a.score}, ${a.passed}, ${a.graded_at}, ${a.result})`),
    );
    const rows = await sql<{ id: string }>`with v (id, score, passed, graded_at, result) as (values ${values})
      update exam_attempts set state = 'graded', score = cast(v.score as double precision),
        passed = cast(v.passed as integer), graded_at = v.graded_at, result = v.result
      from v where exam_attempts.id = v.id and exam_attempts.state = 'open'
      returning exam_attempts.id`.execute(trx);
    for (const row of rows.rows) updated.add(row.id);
  }
  return updated;
}

/**
 * Writes graded attempts in the caller's transaction: the attempt (only if still open), its
 * certificate, the promotion, and the owner's documents in the feed (the graded attempt, then the
 * certificate).
 */
export async function writeGrades(
  trx: Transaction<Database>,
  grades: readonly Graded[],
  nowIso: string,
): Promise<void> {
  const changes: TrainingChange[] = [];
  const certificates: CertificateRow[] = [];
  const promoted = new Set<string>();
  const updated = await markGraded(
    trx,
    grades.map((g) => g.attempt),
  );
  for (const g of grades) {
    const a = g.attempt;
    if (!updated.has(a.id)) continue;
    changes.push({ userId: a.user_id, payload: g.change });
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
