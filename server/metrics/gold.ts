import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { LabelRange } from './read-labels';

/** Gold answers of one reviewer on one day. */
export interface GoldCount {
  userId: string;
  /** YYYY-MM-DD (UTC) */
  day: string;
  answered: number;
  correct: number;
}

/**
 * Gold accuracy's source: the `gold_answers` table (user_id, project_id, correct 0/1,
 * received_at) of the lead workspace's gold tasks, when the database has it. Without that table,
 * or with no gold answer in the project, there is no gold figure (null, "no gold tasks in this
 * project"). Counted by reviewer and day in the database.
 */
export async function countGoldAnswers(
  db: Kysely<Database>,
  projectId: string,
  range: LabelRange,
): Promise<GoldCount[]> {
  const tables = await db.introspection.getTables();
  const gold = tables.find((t) => t.name === 'gold_answers');
  const needed = ['user_id', 'project_id', 'correct', 'received_at'];
  if (!gold || !needed.every((c) => gold.columns.some((column) => column.name === c))) return [];
  const since = range.since === null ? sql`` : sql` and received_at >= ${range.since}`;
  const until = range.until === null ? sql`` : sql` and received_at < ${range.until}`;
  const result = await sql<{
    user_id: string;
    day: string;
    answered: number | string;
    correct: number | string;
  }>`
    select user_id, substr(received_at, 1, 10) as day, count(*) as answered, sum(correct) as correct
    from gold_answers where project_id = ${projectId}${since}${until}
    group by user_id, substr(received_at, 1, 10)`.execute(db);
  return result.rows.map((r) => ({
    userId: r.user_id,
    day: r.day,
    answered: Number(r.answered),
    correct: Number(r.correct),
  }));
}
