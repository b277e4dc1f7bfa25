import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { Database } from '../db/schema';
import type { LabelRange } from './read-labels';

/** Labels of one reviewer in one week with one position code, counted by the database. */
export interface LabelCount {
  userId: string;
  /** the Monday (label_facts.week) */
  week: string;
  /** shared/metrics/position-bias.ts positionCode */
  positionCode: string;
  labels: number;
  /** of those, received inside each window asked for (same order as `windows`) */
  inWindow: number[];
  /** their active ms joined by ',' (every label's own value: quantiles stay exact) */
  activeMs: string;
}

/** A rolling window: received_at >= since and < until. */
export interface CountWindow {
  since: string;
  until: string;
}

/** The project's labels in range whose task is not withdrawn (as in exports). */
export function labelScope(projectId: string, range: LabelRange): RawBuilder<unknown> {
  const since = range.since === null ? sql`` : sql` and l.received_at >= ${range.since}`;
  const until = range.until === null ? sql`` : sql` and l.received_at < ${range.until}`;
  return sql`l.project_id = ${projectId}${since}${until}
    and l.task_id not in (select id from tasks where project_id = ${projectId} and revoked_at is not null)`;
}

/**
 * One reviewer's labels in a project counted by week and position code in the database (in that
 * order), with
 * their active times joined into one text per row: what each label adds on its own (labels,
 * tasks, active time, position bias, the week grid) without handing each label to Node
 * (docs/metrics.md, "Reading"). One reviewer at a time keeps the texts in memory small. The
 * grouping follows the index label_facts_counted (migration 0015), which holds every column used:
 * SQLite reads the index alone, in order, without a sort.
 */
export async function countLabels(
  db: Kysely<Database>,
  dialect: Dialect,
  projectId: string,
  userId: string,
  range: LabelRange,
  windows: readonly CountWindow[],
): Promise<LabelCount[]> {
  const joined =
    dialect === 'postgres' ? sql`string_agg(l.active_ms::text, ',')` : sql`group_concat(l.active_ms, ',')`;
  const windowSums = windows.map(
    (w, i) =>
      sql`, sum(case when l.received_at >= ${w.since} and l.received_at < ${w.until} then 1 else 0 end) as ${sql.ref(`w${i}`)}`,
  );
  const result = await sql<Record<string, string | number>>`
    select l.user_id, l.week, l.position_code, count(*) as n, ${joined} as times${sql.join(windowSums, sql``)}
    from label_facts l
    where l.user_id = ${userId} and ${labelScope(projectId, range)}
    group by l.user_id, l.week, l.position_code
    order by l.week, l.position_code`.execute(db);
  return result.rows.map((r) => ({
    userId: r.user_id as string,
    week: r.week as string,
    positionCode: r.position_code as string,
    labels: Number(r.n),
    inWindow: windows.map((_, i) => Number(r[`w${i}`])),
    // SQLite prints a REAL column's whole numbers as '61234.0': Number() reads both forms alike
    activeMs: String(r.times ?? ''),
  }));
}

/**
 * The project's overlap tasks: tasks with two or more labels in range (not withdrawn), in id
 * order. From the index label_facts_project_task alone when no dates are given.
 */
export async function overlapTaskIds(
  db: Kysely<Database>,
  projectId: string,
  range: LabelRange,
): Promise<string[]> {
  const result = await sql<{ task_id: string }>`
    select l.task_id from label_facts l
    where ${labelScope(projectId, range)}
    group by l.task_id having count(*) > 1
    order by l.task_id`.execute(db);
  return result.rows.map((r) => r.task_id);
}
