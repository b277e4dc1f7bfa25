import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Label } from '../../shared/label';
import type { Dialect } from '../db/dialect';
import type { Database } from '../db/schema';
import { decodeFact } from './label-facts';

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

/** Labels read per query: memory stays bounded however large the project. */
export const METRIC_PAGE = 2000;

/**
 * A project's labels in (task_id, id) order, read and handed over a page at a time (one await per
 * page, not per label) by keyset pagination (the pattern of db/admin.ts iterateLabels, ordered by
 * task here so every label of a task arrives together and a task's agreement is computed when its
 * last label has passed: no per-rating state is kept).
 * Read from label_facts (label-facts.ts), never the bodies. Labels of withdrawn tasks are skipped
 * (as in exports). Index: label_facts_project_task.
 */
export async function* iterateMetricPages(
  db: Kysely<Database>,
  dialect: Dialect,
  projectId: string,
  range: LabelRange,
  pageSize = METRIC_PAGE,
): AsyncGenerator<MetricLabelRow[]> {
  const withdrawn = new Set(
    (
      await db
        .selectFrom('tasks')
        .select('id')
        .where('project_id', '=', projectId)
        .where('revoked_at', 'is not', null)
        .execute()
    ).map((t) => t.id),
  );
  let afterTask: string | null = null;
  let afterId = '';
  for (;;) {
    let query = db
      .selectFrom('label_facts as l')
      .select([
        'l.label_id',
        'l.task_id',
        'l.user_id',
        'l.received_at',
        'l.kind',
        'l.judgement',
        'l.presented',
        'l.tags',
        'l.active_ms',
      ])
      .where('l.project_id', '=', projectId);
    if (range.since !== null) query = query.where('l.received_at', '>=', range.since);
    if (range.until !== null) query = query.where('l.received_at', '<', range.until);
    if (afterTask !== null) {
      const task = afterTask;
      query = query.where(sql<boolean>`(l.task_id, l.label_id) > (${task}, ${afterId})`);
    }
    const rows = await query.orderBy('l.task_id').orderBy('l.label_id').limit(pageSize).execute();
    const page: MetricLabelRow[] = [];
    for (const r of rows) {
      if (withdrawn.has(r.task_id)) continue;
      page.push({
        taskId: r.task_id,
        userId: r.user_id,
        receivedAt: r.received_at,
        label: decodeFact(r.kind, r.judgement, r.presented, r.tags, r.active_ms),
      });
    }
    yield page;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    afterTask = last.task_id;
    afterId = last.label_id;
  }
}
