import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Label } from '../../shared/label';
import type { Database } from '../db/schema';
import type { LabelRange } from './read-labels';

/** A reviewer's label beside a blind QA re-rating of the same task (docs/lead-workspace.md). */
export interface QaPair {
  /** the original label's reviewer */
  userId: string;
  original: Label;
  rerate: Label;
}

/**
 * The project's QA re-ratings, each with the reviewer's label it re-rates (qa_ratings ->
 * qa_samples -> labels): the original as stored now (its latest revision) and the re-rating as
 * submitted. The date range bounds the original's received_at, as for every label figure;
 * withdrawn tasks are left out. QA samples are a small share of the labels, so their bodies are
 * read whole.
 */
export async function readQaPairs(
  db: Kysely<Database>,
  projectId: string,
  range: LabelRange,
): Promise<QaPair[]> {
  const since = range.since === null ? sql`` : sql` and l.received_at >= ${range.since}`;
  const until = range.until === null ? sql`` : sql` and l.received_at < ${range.until}`;
  const result = await sql<{ reviewer_id: string; original: string; rerate: string }>`
    select s.reviewer_id, l.body as original, r.label as rerate
    from qa_ratings r
    join qa_samples s on s.id = r.sample_id
    join labels l on l.id = s.label_id
    join tasks t on t.id = s.task_id
    where s.project_id = ${projectId} and t.revoked_at is null${since}${until}
    order by r.id`.execute(db);
  return result.rows.map((row) => ({
    userId: row.reviewer_id,
    original: JSON.parse(row.original) as Label,
    rerate: JSON.parse(row.rerate) as Label,
  }));
}
