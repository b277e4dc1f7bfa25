import type { Kysely, Transaction } from 'kysely';
import type { Label } from '../../shared/label';
import type { Database, LabelFactsTable } from '../db/schema';
import type { MetricLabel } from './read-labels';

/**
 * label_facts: the few fields of a label the metrics judge, in plain columns, written with the
 * label in the same transaction (docs/metrics.md, "Reading"), so metrics never parse label bodies.
 *
 * Compact text (ids never contain ' ', ',' or '=': shared/task.ts Id):
 * - judgement, ranking: `id=rank,id=rank` in the ranks' key order ('' = {}; NULL = ranks null);
 *   pairwise: `choice,strength,preferredId` ('' for a null strength or a tie; NULL = pairwise null)
 * - presented: presentedOrder joined by ','
 * - tags: `responseId tagId severity` joined by ','
 */
export type LabelFactRow = LabelFactsTable;

type Writer = Kysely<Database> | Transaction<Database>;

export interface LabelPlace {
  projectId: string;
  taskId: string;
  userId: string;
  receivedAt: string;
}

export function labelFact(label: Label, place: LabelPlace): LabelFactRow {
  return {
    label_id: label.id,
    project_id: place.projectId,
    task_id: place.taskId,
    user_id: place.userId,
    received_at: place.receivedAt,
    revision: label.revision,
    kind: label.kind,
    judgement: encodeJudgement(label),
    presented: label.presentedOrder.join(','),
    tags: label.tags.map((t) => `${t.responseId} ${t.tagId} ${t.severity}`).join(','),
    active_ms: label.activeMs,
  };
}

function encodeJudgement(label: Label): string | null {
  if (label.kind === 'ranking') {
    if (!label.ranks) return null;
    return Object.entries(label.ranks)
      .map(([id, rank]) => `${id}=${rank}`)
      .join(',');
  }
  if (!label.pairwise) return null;
  const p = label.pairwise;
  return `${p.choice},${p.strength ?? ''},${p.preferredResponseId ?? ''}`;
}

/** What the metrics read of a label, rebuilt from its fact row's columns. */
export function decodeFact(
  kind: string,
  judgement: string | null,
  presented: string,
  tags: string,
  activeMs: number,
): MetricLabel {
  let ranks: MetricLabel['ranks'] = null;
  let pairwise: MetricLabel['pairwise'] = null;
  if (kind === 'ranking') {
    if (judgement !== null) {
      ranks = {};
      if (judgement !== '')
        for (const part of judgement.split(',')) {
          const eq = part.indexOf('=');
          ranks[part.slice(0, eq)] = Number(part.slice(eq + 1));
        }
    }
  } else if (judgement !== null) {
    const [choice, strength, preferred] = judgement.split(',') as [string, string, string];
    pairwise = {
      choice: choice as NonNullable<MetricLabel['pairwise']>['choice'],
      strength: strength === '' ? null : (strength as NonNullable<MetricLabel['pairwise']>['strength']),
      preferredResponseId: preferred === '' ? null : preferred,
    };
  }
  return {
    kind: kind as MetricLabel['kind'],
    ranks,
    pairwise,
    presentedOrder: presented === '' ? [] : presented.split(','),
    tags:
      tags === ''
        ? []
        : tags.split(',').map((t) => {
            const [responseId, tagId, severity] = t.split(' ') as [string, string, string];
            return { responseId, tagId, severity: severity as MetricLabel['tags'][number]['severity'] };
          }),
    activeMs,
  };
}

/** Rows per statement: 11 columns x 500 stays under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/**
 * Inserts fact rows, or replaces a label's row with a newer revision of the same reviewer's label
 * on the same task: the guard the labels upsert uses (server/sync/push-batch.ts), so the two tables
 * change together. received_at stays the first arrival's, as in labels.
 */
export async function writeLabelFacts(db: Writer, rows: readonly LabelFactRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto('label_facts')
      .values(rows.slice(i, i + CHUNK))
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

/**
 * Fact rows for stored labels that have none (or an older revision's): migration 0013_label_facts
 * for the labels stored before it, and fixtures that insert label rows directly. A page of 1,000
 * bodies at a time.
 */
export async function backfillLabelFacts(db: Writer): Promise<void> {
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
    await writeLabelFacts(
      db,
      page.map((l) =>
        labelFact(JSON.parse(l.body) as Label, {
          projectId: l.project_id,
          taskId: l.task_id,
          userId: l.user_id,
          receivedAt: l.received_at,
        }),
      ),
    );
    after = page[page.length - 1]!.id;
  }
}
