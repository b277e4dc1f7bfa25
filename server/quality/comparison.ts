import type { Kysely, Transaction } from 'kysely';
import type { Label } from '../../shared/label';
import {
  compareLabels,
  QaClassification,
  type QaClassificationRequest,
  type QaComparison,
} from '../../shared/qa';
import type { Task } from '../../shared/task';
import { audit } from '../audit/audit';
import type { Caller } from '../context';
import type { Database } from '../db/schema';
import { HttpError } from '../errors';
import { visibleProject } from '../auth/project-access';
import { taskForCaller } from '../sync/lease';

type Trx = Transaction<Database> | Kysely<Database>;

/** the same words for a re-rating that does not exist and one of someone else: no oracle */
const notYours = () => new HttpError(404, 'not-found', 'no such QA re-rating of yours');

async function load(trx: Trx, caller: Caller, id: string) {
  const row = await trx
    .selectFrom('qa_ratings as r')
    .innerJoin('qa_samples as s', 's.id', 'r.sample_id')
    .innerJoin('labels as l', 'l.id', 's.label_id')
    .innerJoin('tasks as t', 't.id', 's.task_id')
    .innerJoin('users as reviewer', 'reviewer.id', 's.reviewer_id')
    .innerJoin('users as rater', 'rater.id', 'r.rater_id')
    .select(['r.id', 'r.sample_id', 'r.rater_id', 'r.label as rating', 'r.received_at', 'r.revealed_at'])
    .select([
      'r.classification',
      's.project_id',
      'l.id as label_id',
      'l.body as original',
      'l.received_at as original_at',
    ])
    .select(['t.body as task', 'reviewer.username', 'reviewer.display_name', 'rater.username as rater'])
    .where('r.id', '=', id)
    .executeTakeFirst();
  // only the re-rater (who has submitted: the row exists) and an admin
  if (!row || (caller.role !== 'admin' && row.rater_id !== caller.userId)) throw notYours();
  // a project taken from the caller's pod since: as if the re-rating did not exist
  if (!(await visibleProject(trx, caller, row.project_id))) throw notYours();
  return row;
}

type Loaded = Awaited<ReturnType<typeof load>>;

function comparisonOf(row: Loaded, caller: Caller): QaComparison {
  return {
    ratingId: row.id,
    sampleId: row.sample_id,
    projectId: row.project_id,
    task: taskForCaller(JSON.parse(row.task) as Task, caller),
    reviewer: { username: row.username, displayName: row.display_name },
    rater: { username: row.rater },
    original: { labelId: row.label_id, receivedAt: row.original_at },
    rerating: { labelId: row.id, receivedAt: row.received_at },
    parts: compareLabels(JSON.parse(row.original) as Label, JSON.parse(row.rating) as Label),
    classification: row.classification ? QaClassification.parse(JSON.parse(row.classification)) : null,
  };
}

/** the re-rater opening the comparison locks their blind re-rating from then on */
async function reveal(trx: Trx, row: Loaded, caller: Caller, nowIso: string): Promise<void> {
  if (row.revealed_at !== null || row.rater_id !== caller.userId) return;
  await trx.updateTable('qa_ratings').set({ revealed_at: nowIso }).where('id', '=', row.id).execute();
}

/**
 * GET QA_PATHS.comparison: the re-rating beside the original, part by part, the original reviewer
 * named now (docs/lead-workspace.md, "Blind QA re-rating"). The re-rater only (an admin any);
 * anyone else gets the same 404 as for an unknown id.
 */
export async function qaComparison(trx: Trx, caller: Caller, id: string, now: Date): Promise<QaComparison> {
  const row = await load(trx, caller, id);
  await reveal(trx, row, caller, now.toISOString());
  return comparisonOf(row, caller);
}

/**
 * POST QA_PATHS.classification: one class per discrepant part (a part without a discrepancy is
 * refused, naming it); a later classification replaces the earlier one (the audit log keeps both).
 */
export async function classifyQa(
  trx: Trx,
  caller: Caller,
  id: string,
  body: QaClassificationRequest,
  now: Date,
): Promise<QaComparison> {
  const row = await load(trx, caller, id);
  const comparison = comparisonOf(row, caller);
  const issues = body.parts.flatMap((p, i) =>
    comparison.parts.find((c) => c.part === p.part)?.discrepant
      ? []
      : [{ path: `parts.${i}.part`, message: `the re-rating agrees with the original on "${p.part}"` }],
  );
  if (issues.length)
    throw new HttpError(
      400,
      'invalid-request',
      `invalid request body: ${issues[0]!.path}: ${issues[0]!.message}`,
      issues,
    );
  const nowIso = now.toISOString();
  const classification: QaClassification = {
    parts: body.parts,
    classifiedBy: caller.username,
    classifiedAt: nowIso,
  };
  await reveal(trx, row, caller, nowIso);
  await trx
    .updateTable('qa_ratings')
    .set({ classification: JSON.stringify(classification), classified_at: nowIso })
    .where('id', '=', row.id)
    .execute();
  await audit(trx, {
    actor: caller,
    action: 'qa.classify',
    targetType: 'qa-rating',
    targetId: row.id,
    before: comparison.classification ?? undefined,
    after: classification,
    at: now,
  });
  return { ...comparison, classification };
}
