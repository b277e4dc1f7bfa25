import type { Kysely } from 'kysely';
import type { Label } from '../../shared/label';
import type { ExportRow } from '../db/admin';
import type { Database } from '../db/schema';
import { chunks } from '../db/batch';
import { qualitySettings } from './settings';

type Db = Kysely<Database>;

/**
 * How a raw export row stands to QA (docs/lead-workspace.md, "Blind QA re-rating"): the original
 * label of a sample that was re-rated, or a re-rating. `inTraining` says which of the two the
 * training formats (trl, openai) export: the re-rating when the project says it replaces the
 * original, else the original.
 */
export type QaMark = { sampleId: string; role: 'original' | 'rerating'; inTraining: boolean };

type Rating = {
  sampleId: string;
  labelId: string;
  label: Label;
  username: string;
  userId: string;
  receivedAt: string;
};

/** Labels read per look-up of their re-ratings. */
const PAGE = 500;

/**
 * The export's labels with their QA re-ratings: the raw format gets each re-rating as a row of its
 * own beside the original (both marked); trl and openai get the first re-rating in place of the
 * original when the project's `qa_replaces` is set, else the original alone. A project with no
 * re-rating costs one query.
 */
export async function* withQaRatings(
  db: Db,
  projectId: string,
  labels: AsyncIterable<ExportRow>,
  format: 'raw' | 'trl' | 'openai',
): AsyncGenerator<{ item: ExportRow; qa: QaMark | null }> {
  const any = await db
    .selectFrom('qa_samples')
    .select('id')
    .where('project_id', '=', projectId)
    .where('rated_at', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  if (!any) {
    for await (const item of labels) yield { item, qa: null };
    return;
  }
  const replaces = ((await qualitySettings(db, projectId))?.qa_replaces ?? 0) === 1;
  let page: ExportRow[] = [];
  const drain = async function* (rows: ExportRow[]) {
    const ratings = await ratingsOf(
      db,
      rows.map((r) => r.label.id),
    );
    for (const item of rows) {
      const mine = ratings.get(item.label.id);
      if (!mine?.length) {
        yield { item, qa: null };
        continue;
      }
      const sampleId = mine[0]!.sampleId;
      if (format !== 'raw') {
        const first = mine[0]!;
        yield replaces
          ? {
              item: { ...item, label: first.label, userId: first.userId, username: first.username },
              qa: { sampleId, role: 'rerating' as const, inTraining: true },
            }
          : { item, qa: { sampleId, role: 'original' as const, inTraining: true } };
        continue;
      }
      yield { item, qa: { sampleId, role: 'original' as const, inTraining: !replaces } };
      for (const [i, r] of mine.entries())
        yield {
          item: {
            ...item,
            label: r.label,
            userId: r.userId,
            username: r.username,
            deviceId: r.label.deviceId,
            flagged: null,
            revision: r.label.revision,
            createdAt: r.label.createdAt,
            receivedAt: r.receivedAt,
            updatedAt: r.label.updatedAt,
          },
          qa: { sampleId, role: 'rerating' as const, inTraining: replaces && i === 0 },
        };
    }
  };
  for await (const item of labels) {
    page.push(item);
    if (page.length >= PAGE) {
      yield* drain(page);
      page = [];
    }
  }
  if (page.length) yield* drain(page);
}

/** the re-ratings of these labels, by original label id, earliest first */
async function ratingsOf(db: Db, labelIds: string[]): Promise<Map<string, Rating[]>> {
  const out = new Map<string, Rating[]>();
  for (const batch of chunks(labelIds)) {
    const rows = await db
      .selectFrom('qa_samples as s')
      .innerJoin('qa_ratings as r', 'r.sample_id', 's.id')
      .innerJoin('users as u', 'u.id', 'r.rater_id')
      .select([
        's.label_id',
        's.id as sample_id',
        'r.id',
        'r.label',
        'r.received_at',
        'u.username',
        'u.id as user_id',
      ])
      .where('s.label_id', 'in', batch)
      .orderBy('r.received_at')
      .orderBy('r.id')
      .execute();
    for (const r of rows)
      out.set(r.label_id, [
        ...(out.get(r.label_id) ?? []),
        {
          sampleId: r.sample_id,
          labelId: r.id,
          label: JSON.parse(r.label) as Label,
          username: r.username,
          userId: r.user_id,
          receivedAt: r.received_at,
        },
      ]);
  }
  return out;
}
