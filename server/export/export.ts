import type { Kysely } from 'kysely';
import type { LabelReceipt } from '../../shared/export';
import { toOpenAiRows, toRawRow, toTrlRows } from '../../shared/export';
import type { ExportRow } from '../db/admin';
import { iterateLabels } from '../db/admin';
import type { Database } from '../db/schema';
import { encodeJsonInto, JsonlChunk } from './encode';
import type { EncodeMemo } from './encode';
import type { ChunkWriter } from './write';
import { withQaRatings } from '../quality/export';

export const EXPORT_FORMATS = ['raw', 'trl', 'openai'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  format: ExportFormat;
  /** trl: conversational rows */
  messages: boolean;
  /** trl: add the margin column */
  margin: boolean;
}

export interface ExportCounts {
  labels: number;
  rows: number;
}

/** Labels read per query, and bytes buffered per write: bound memory whatever the project size. */
const PAGE = 500;
const CHUNK_BYTES = 1 << 18;

function rowsOf(item: ExportRow, projectId: string, options: ExportOptions): unknown[] {
  switch (options.format) {
    case 'raw': {
      const receipt: LabelReceipt = {
        reviewer: item.username,
        projectId,
        receivedAt: item.receivedAt,
        flagged: item.flagged,
        ruling: item.ruling,
      };
      return [toRawRow(item.task, item.label, receipt)];
    }
    case 'trl':
      return toTrlRows(item.task, item.label, options);
    case 'openai':
      return toOpenAiRows(item.task, item.label);
  }
}

/**
 * Streams a project's labels (latest revision each, in label id order) as JSONL rows of the
 * chosen format: labels come from the database a page at a time and leave in chunks of about
 * CHUNK_BYTES through `write`, which waits when the output is slower than the database.
 */
export async function exportProject(
  db: Kysely<Database>,
  projectId: string,
  options: ExportOptions,
  write: ChunkWriter,
  onProgress: (counts: ExportCounts) => void = () => undefined,
): Promise<ExportCounts> {
  const counts: ExportCounts = { labels: 0, rows: 0 };
  const chunk = new JsonlChunk(CHUNK_BYTES * 2);
  // QA re-ratings beside (raw) or, when the project says so, instead of (trl, openai) their originals
  const labels = withQaRatings(db, projectId, iterateLabels(db, projectId, PAGE), options.format);
  for await (const { item, qa } of labels) {
    const memo: EncodeMemo = new Map(); // per label: its rows share prompt and answers
    for (const row of rowsOf(item, projectId, options)) {
      if (options.format === 'raw') chunk.text(JSON.stringify(qa ? { ...(row as object), qa } : row));
      else encodeJsonInto(row, memo, chunk);
      chunk.text('\n');
      counts.rows++;
    }
    counts.labels++;
    if (chunk.size >= CHUNK_BYTES) {
      await write(chunk.take());
      onProgress(counts);
    }
  }
  if (chunk.size > 0) await write(chunk.take());
  onProgress(counts);
  return counts;
}

export async function countLabels(db: Kysely<Database>, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('labels')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    // gold answers are never training data (docs/lead-workspace.md, "Silent gold")
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('gold_keys as g').select('g.task_id').whereRef('g.task_id', '=', 'labels.task_id'),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
