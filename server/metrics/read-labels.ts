import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Label } from '../../shared/label';
import type { Dialect } from '../db/dialect';
import type { Database } from '../db/schema';

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
 * The label body without its heavy, unused fields, cut by the database (rationale texts are most
 * of a body's bytes; leaving them in the database halves the read). SQLite's json_remove and
 * PostgreSQL's jsonb `-` both parse in C.
 */
function slimBody(dialect: Dialect) {
  return dialect === 'postgres'
    ? sql<string>`(l.body::jsonb - 'rationale' - 'acknowledgedWarnings' - 'orderSeed' - 'deviceId')::text`
    : sql<string>`json_remove(l.body, '$.rationale', '$.acknowledgedWarnings', '$.orderSeed', '$.deviceId')`;
}

/**
 * A project's labels in (task_id, id) order, a page at a time by keyset pagination (the pattern of
 * db/admin.ts iterateLabels, ordered by task here so every label of a task arrives together and a
 * task's agreement is computed when its last label has passed: no per-rating state is kept).
 * Labels of withdrawn tasks are skipped (as in exports). Index: labels_project_task.
 */
export async function* iterateMetricLabels(
  db: Kysely<Database>,
  dialect: Dialect,
  projectId: string,
  range: LabelRange,
  pageSize = METRIC_PAGE,
): AsyncGenerator<MetricLabelRow> {
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
      .selectFrom('labels as l')
      .select(['l.id', 'l.task_id', 'l.user_id', 'l.received_at', slimBody(dialect).as('slim')])
      .where('l.project_id', '=', projectId);
    if (range.since !== null) query = query.where('l.received_at', '>=', range.since);
    if (range.until !== null) query = query.where('l.received_at', '<', range.until);
    if (afterTask !== null) {
      const task = afterTask;
      query = query.where(sql<boolean>`(l.task_id, l.id) > (${task}, ${afterId})`);
    }
    const rows = await query.orderBy('l.task_id').orderBy('l.id').limit(pageSize).execute();
    for (const r of rows) {
      if (withdrawn.has(r.task_id)) continue;
      yield {
        taskId: r.task_id,
        userId: r.user_id,
        receivedAt: r.received_at,
        label: JSON.parse(r.slim) as MetricLabel,
      };
    }
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    afterTask = last.task_id;
    afterId = last.id;
  }
}
