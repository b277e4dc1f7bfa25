import type { Selectable, Transaction } from 'kysely';
import type { Change } from '../../shared/sync';
import type {
  AttemptDoc,
  AttemptResult,
  CertificateDoc,
  ExamDoc,
  TrainingDoc,
} from '../../shared/training/docs';
import { chunks } from '../db/batch';
import type { CertificatesTable, Database, ExamAttemptsTable, ExamsTable } from '../db/schema';
import type { ServedItem } from './serve';

/**
 * Rows to the training documents of the pull feed (shared/training/docs.ts). The server judges
 * standing (shared/training/standing.ts) on these same documents, so it and the workstation run
 * one code path.
 */

export type ExamRow = Selectable<ExamsTable>;
export type AttemptRow = Selectable<ExamAttemptsTable>;
export type CertificateRow = Selectable<CertificatesTable>;

/** The rules of an exam, never its bank. */
export const examDoc = (row: ExamRow): ExamDoc => ({
  kind: 'exam',
  id: row.id,
  title: row.title,
  skill: row.skill,
  draw: row.draw,
  passMark: row.pass_mark,
  maxAttempts: row.max_attempts,
  cooldownHours: row.cooldown_hours,
  timeLimitMin: row.time_limit_min,
  validDays: row.valid_days,
  guidelineId: row.guideline_id,
  retired: row.retired === 1,
});

export const servedItems = (row: Pick<AttemptRow, 'served'>): ServedItem[] =>
  JSON.parse(row.served) as ServedItem[];

/** An attempt as its owner sees it: served tasks only (no bank ids), the result once graded. */
export const attemptDoc = (row: AttemptRow, served: ServedItem[] = servedItems(row)): AttemptDoc => ({
  kind: 'attempt',
  id: row.id,
  examId: row.exam_id,
  number: row.number,
  startedAt: row.started_at,
  deadline: row.deadline,
  items: served.map((s) => s.task),
  state: row.state,
  result: row.result === null ? null : (JSON.parse(row.result) as AttemptResult),
});

export const certificateDoc = (row: CertificateRow): CertificateDoc => ({
  kind: 'certificate',
  id: row.id,
  skill: row.skill,
  examId: row.exam_id,
  guidelineId: row.guideline_id,
  guidelineVersion: row.guideline_version,
  issuedAt: row.issued_at,
  expiresAt: row.expires_at,
  dueAt: row.due_at,
  revokedAt: row.revoked_at,
});

/**
 * A `training` change: to one user, or to everyone (userId null: courses and exams); the document,
 * or the Change already as JSON (graded attempts, grade.ts).
 */
export type TrainingChange = { userId: string | null } & ({ doc: TrainingDoc } | { payload: string });

/** Appends training documents to the change feed, in order, in the caller's transaction. */
export async function recordTrainingChanges(
  trx: Transaction<Database>,
  changes: readonly TrainingChange[],
  nowIso: string,
): Promise<void> {
  for (const batch of chunks([...changes]))
    await trx
      .insertInto('changes')
      .values(
        batch.map((change) => ({
          user_id: change.userId,
          type: 'training',
          payload:
            'payload' in change
              ? change.payload
              : JSON.stringify({ type: 'training', doc: change.doc } satisfies Change),
          created_at: nowIso,
        })),
      )
      .execute();
}
