import type { Kysely } from 'kysely';
import type { Label } from '../../shared/label';
import type { Database } from '../db/schema';
import { decodeFact } from './fact-codec';

/** What the metrics read of a label: its judgement, tags, shown order and time; never the rationale. */
export type MetricLabel = Pick<Label, 'kind' | 'ranks' | 'pairwise' | 'tags' | 'presentedOrder' | 'activeMs'>;

export interface MetricLabelRow {
  taskId: string;
  userId: string;
  receivedAt: string;
  label: MetricLabel;
}

export interface LabelRange {
  /** received_at >= since (ISO) */
  since: string | null;
  /** received_at < until (ISO) */
  until: string | null;
}

/** Overlap tasks read per query: a few thousand labels, so memory stays bounded. */
export const OVERLAP_TASKS_PER_QUERY = 700;

/**
 * The labels of the given overlap tasks (overlapTaskIds, label-counts.ts), in (task_id, id)
 * order, a page of OVERLAP_TASKS_PER_QUERY tasks at a time (one await per page, not per label):
 * every label of a task arrives together, so a task's agreement is computed when its last label
 * has passed and nothing per rating is kept. Read from label_facts (label-facts.ts), never the
 * bodies. Tasks with one label are not read here at all: the database counts what they add
 * (countLabels).
 */
export async function* iterateOverlapTasks(
  db: Kysely<Database>,
  projectId: string,
  range: LabelRange,
  taskIds: readonly string[],
): AsyncGenerator<MetricLabelRow[]> {
  for (let i = 0; i < taskIds.length; i += OVERLAP_TASKS_PER_QUERY) {
    let query = db
      .selectFrom('label_facts as l')
      .select([
        'l.task_id',
        'l.user_id',
        'l.received_at',
        'l.kind',
        'l.judgement',
        'l.presented',
        'l.tags',
        'l.active_ms',
      ])
      .where('l.project_id', '=', projectId)
      .where('l.task_id', 'in', taskIds.slice(i, i + OVERLAP_TASKS_PER_QUERY));
    if (range.since !== null) query = query.where('l.received_at', '>=', range.since);
    if (range.until !== null) query = query.where('l.received_at', '<', range.until);
    const rows = await query.orderBy('l.task_id').orderBy('l.label_id').execute();
    yield rows.map((r) => ({
      taskId: r.task_id,
      userId: r.user_id,
      receivedAt: r.received_at,
      label: decodeFact(r.kind, r.judgement, r.presented, r.tags, r.active_ms),
    }));
  }
}
