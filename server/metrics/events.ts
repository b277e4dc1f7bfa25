import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { LabelRange } from './read-labels';

/** Skips and escalations of one reviewer on one day. */
export interface EventCount {
  userId: string;
  type: 'skip' | 'escalate';
  /** YYYY-MM-DD (UTC) */
  day: string;
  count: number;
}

/**
 * A project's skips and escalations counted by reviewer, type and day in the database (a few
 * thousand rows however many events), for the escalation and skip rates.
 */
export async function countTaskEvents(
  db: Kysely<Database>,
  projectId: string,
  range: LabelRange,
): Promise<EventCount[]> {
  const day = sql<string>`substr(created_at, 1, 10)`;
  let query = db
    .selectFrom('task_events')
    .select(['user_id', 'type', day.as('day'), (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('project_id', '=', projectId);
  if (range.since !== null) query = query.where('created_at', '>=', range.since);
  if (range.until !== null) query = query.where('created_at', '<', range.until);
  const rows = await query.groupBy(['user_id', 'type', day]).execute();
  return rows.map((r) => ({ userId: r.user_id, type: r.type, day: r.day, count: Number(r.n) }));
}
