import type { Kysely, Transaction } from 'kysely';
import type { Label } from '../../shared/label';
import { positionCode } from '../../shared/metrics/position-bias';
import { weekStart } from '../../shared/metrics/weeks';
import type { Database } from '../db/schema';
import { decodeFact, labelFact } from './fact-codec';
import type { LabelFactRow } from './fact-codec';
import { refreshTaskSummaries } from './task-summary';

/**
 * label_facts: the few fields of a label the metrics judge, in plain columns, written with the
 * label in the same transaction (docs/metrics.md, "Reading"); the row's encoding is fact-codec.ts.
 * Each write also rewrites the summaries of the tasks it touches (task-summary.ts, migration 0019).
 */
export { decodeFact, labelFact } from './fact-codec';
export type { LabelFactRow, LabelPlace } from './fact-codec';

type Writer = Kysely<Database> | Transaction<Database>;

/** Rows per statement: 11 columns x 500 stays under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/**
 * Inserts fact rows, or replaces a label's row with a newer revision of the same reviewer's label
 * on the same task: the guard the labels upsert uses (server/sync/push-batch.ts), so the two tables
 * change together. received_at stays the first arrival's, as in labels.
 */
export async function writeLabelFacts(db: Writer, rows: readonly LabelFactRow[]): Promise<void> {
  await upsertFacts(db, rows, true);
  await refreshTaskSummaries(
    db,
    rows.map((r) => ({ projectId: r.project_id, taskId: r.task_id })),
  );
}

/**
 * The upsert itself. `withPositionCode` false: migration 0013's backfill, run before 0015 added
 * `week` and `position_code` (the rows then carry neither).
 */
async function upsertFacts(
  db: Writer,
  rows: readonly (LabelFactRow | Fact0013)[],
  withPositionCode: boolean,
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto('label_facts')
      .values(rows.slice(i, i + CHUNK) as LabelFactRow[])
      .onConflict((oc) =>
        oc
          .column('label_id')
          .doUpdateSet((eb) => ({
            revision: eb.ref('excluded.revision'),
            kind: eb.ref('excluded.kind'),
            judgement: eb.ref('excluded.judgement'),
            presented: eb.ref('excluded.presented'),
            tags: eb.ref('excluded.tags'),
            active_ms: eb.ref('excluded.active_ms'),
            ...(withPositionCode ? { position_code: eb.ref('excluded.position_code') } : {}),
          }))
          .where((eb) =>
            eb.and([
              eb('label_facts.revision', '<', eb.ref('excluded.revision')),
              eb('label_facts.user_id', '=', eb.ref('excluded.user_id')),
              eb('label_facts.task_id', '=', eb.ref('excluded.task_id')),
            ]),
          ),
      )
      .execute();
}

/** The columns migration 0013 created; 0015 added week and position_code. */
type Fact0013 = Omit<LabelFactRow, 'week' | 'position_code'>;

/**
 * Fact rows for stored labels that have none (or an older revision's): migration 0013_label_facts
 * for the labels stored before it (`only0013`: the columns that exist then; 0015 fills the rest),
 * and fixtures that insert label rows directly. A page of 1,000 bodies at a time.
 */
export async function backfillLabelFacts(db: Writer, only0013 = false): Promise<void> {
  let after = '';
  for (;;) {
    const page = await db
      .selectFrom('labels')
      .select(['id', 'project_id', 'task_id', 'user_id', 'received_at', 'body'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(1000)
      .execute();
    if (page.length === 0) return;
    const facts = page.map((l) =>
      labelFact(JSON.parse(l.body) as Label, {
        projectId: l.project_id,
        taskId: l.task_id,
        userId: l.user_id,
        receivedAt: l.received_at,
      }),
    );
    if (only0013) await writeFacts0013(db, facts);
    else await writeLabelFacts(db, facts);
    after = page[page.length - 1]!.id;
  }
}

/** writeLabelFacts for migration 0013, before 0015 added its columns. */
async function writeFacts0013(db: Writer, rows: readonly LabelFactRow[]): Promise<void> {
  const legacy: Fact0013[] = rows.map(({ week: _week, position_code: _code, ...rest }) => rest);
  await upsertFacts(db, legacy, false);
}

/**
 * Migration 0015: week and position_code of the fact rows written before it, from the row's own
 * columns (no label body), a page of 1,000 at a time.
 */
export async function backfillMetricColumns(db: Writer): Promise<void> {
  let after = '';
  for (;;) {
    const page = await db
      .selectFrom('label_facts')
      .select(['label_id', 'received_at', 'kind', 'judgement', 'presented', 'tags', 'active_ms'])
      .where('label_id', '>', after)
      .orderBy('label_id')
      .limit(1000)
      .execute();
    if (page.length === 0) return;
    for (const f of page) {
      const label = decodeFact(f.kind, f.judgement, f.presented, f.tags, f.active_ms);
      await db
        .updateTable('label_facts')
        .set({ week: weekStart(f.received_at), position_code: positionCode(label) })
        .where('label_id', '=', f.label_id)
        .execute();
    }
    after = page[page.length - 1]!.label_id;
  }
}
