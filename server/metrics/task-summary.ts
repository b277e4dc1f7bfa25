import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { decodeFact } from './fact-codec';
import type { MetricLabelRow } from './read-labels';
import { taskAgreement } from './task';
import type { TaskAgreement, TaskLabel } from './task';

/**
 * task_agreement (migration 0019): what a task with two or more labels adds to agreement, kept
 * when a label lands (docs/metrics.md, "Reading"), so a report over all dates reads one short row
 * per overlap task instead of reading, decoding and comparing every label of it.
 *
 * The summary is compact text (ids never contain ' ', ',', ';', '=' or '|': shared/task.ts Id;
 * user ids are UUIDs), six sections joined by '|':
 * 1. every fact row of the task in label id order: `userId receivedAt r|p` joined by ';'
 *    (a reviewer's second label too: it still counts as one of the task's labels)
 * 2. preference items rated two or more times: `a,b,tie ratings` with ratings `label=outcome`
 *    joined by ',' (label: index among the task's labels, one per reviewer; outcome 0 a, 1 b, 2 tie)
 * 3. the task's agreement (mean share of agreeing pairs; '' none)
 * 4. responses shown
 * 5. tag uses: `tagId labels` (indices joined by ',') joined by ';'
 * 6. Kendall's W of its rankings ('' none)
 * Numbers are written by String() and read by Number(): the same double.
 */
export interface TaskSummaryRow {
  project_id: string;
  task_id: string;
  /** the task's fact rows */
  labels: number;
  summary: string;
}

type Writer = Kysely<Database> | Transaction<Database>;

/** The summary of a task from its fact rows (all of them, in label id order). */
export function encodeTaskSummary(rows: readonly MetricLabelRow[]): string {
  const task = taskAgreement(rows);
  return [
    rows.map((r) => `${r.userId} ${r.receivedAt} ${r.label.kind === 'ranking' ? 'r' : 'p'}`).join(';'),
    task.preferences
      .map(
        (item) => `${item.counts.join(',')} ${item.ratings.map((r) => `${r.label}=${r.outcome}`).join(',')}`,
      )
      .join(';'),
    task.agreement === null ? '' : String(task.agreement),
    String(task.responses),
    task.tags.map((use) => `${use.tagId} ${use.labels.join(',')}`).join(';'),
    task.kendallW === null ? '' : String(task.kendallW),
  ].join('|');
}

export interface SummarizedTask {
  /** every fact row: each counts as one of the task's labels in its groups */
  rows: TaskLabel[];
  /** what taskAgreement gives for those rows */
  task: TaskAgreement;
}

/** encodeTaskSummary read back: taskAgreement's answer, without the labels. */
export function decodeTaskSummary(taskId: string, summary: string): SummarizedTask {
  const [rowsText, itemsText, agreement, responses, tagsText, kendallW] = summary.split('|') as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const rows: TaskLabel[] = rowsText.split(';').map((part) => {
    const [userId, receivedAt, kind] = part.split(' ') as [string, string, string];
    return { userId, receivedAt, kind: kind === 'r' ? 'ranking' : 'pairwise' };
  });
  // one label per reviewer, the first in label id order (as taskAgreement)
  const seen = new Set<string>();
  const labels = rows.filter((r) => !seen.has(r.userId) && seen.add(r.userId));
  const preferences =
    itemsText === ''
      ? []
      : itemsText.split(';').map((part) => {
          const space = part.indexOf(' ');
          return {
            counts: part.slice(0, space).split(',').map(Number),
            ratings: part
              .slice(space + 1)
              .split(',')
              .map((rating) => {
                const eq = rating.indexOf('=');
                return { label: Number(rating.slice(0, eq)), outcome: Number(rating.slice(eq + 1)) };
              }),
          };
        });
  const tags =
    tagsText === ''
      ? []
      : tagsText.split(';').map((part) => {
          const space = part.indexOf(' ');
          return {
            tagId: part.slice(0, space),
            labels: part
              .slice(space + 1)
              .split(',')
              .map(Number),
          };
        });
  return {
    rows,
    task: {
      taskId,
      kind: labels[0]!.kind,
      labels,
      preferences,
      agreement: agreement === '' ? null : Number(agreement),
      responses: Number(responses),
      tags,
      kendallW: kendallW === '' ? null : Number(kendallW),
      completedAt: labels.reduce((latest, r) => (r.receivedAt > latest ? r.receivedAt : latest), ''),
    },
  };
}

/** Tasks per query: the task ids are parameters. */
const TASKS_PER_QUERY = 500;

/**
 * Writes the summary of each of these tasks that has two or more fact rows, from its fact rows
 * as they are now: called by writeLabelFacts after its upsert, in the same transaction, so the
 * summary changes with the labels (a new label, a newer revision, a lead's ruling).
 */
export async function refreshTaskSummaries(
  db: Writer,
  tasks: readonly { projectId: string; taskId: string }[],
): Promise<void> {
  const byProject = new Map<string, Set<string>>();
  for (const t of tasks) {
    let ids = byProject.get(t.projectId);
    if (!ids) byProject.set(t.projectId, (ids = new Set()));
    ids.add(t.taskId);
  }
  for (const [projectId, ids] of byProject) {
    const all = [...ids];
    for (let i = 0; i < all.length; i += TASKS_PER_QUERY) {
      const facts = await db
        .selectFrom('label_facts')
        .select(['task_id', 'user_id', 'received_at', 'kind', 'judgement', 'presented', 'tags', 'active_ms'])
        .where('project_id', '=', projectId)
        .where('task_id', 'in', all.slice(i, i + TASKS_PER_QUERY))
        .orderBy('task_id')
        .orderBy('label_id')
        .execute();
      const summaries: TaskSummaryRow[] = [];
      let current: MetricLabelRow[] = [];
      const flush = () => {
        if (current.length >= 2) {
          summaries.push({
            project_id: projectId,
            task_id: current[0]!.taskId,
            labels: current.length,
            summary: encodeTaskSummary(current),
          });
        }
        current = [];
      };
      for (const f of facts) {
        if (current.length > 0 && current[0]!.taskId !== f.task_id) flush();
        current.push({
          taskId: f.task_id,
          userId: f.user_id,
          receivedAt: f.received_at,
          label: decodeFact(f.kind, f.judgement, f.presented, f.tags, f.active_ms),
        });
      }
      flush();
      if (summaries.length > 0)
        await db
          .insertInto('task_agreement')
          .values(summaries)
          .onConflict((oc) =>
            oc.columns(['project_id', 'task_id']).doUpdateSet((eb) => ({
              labels: eb.ref('excluded.labels'),
              summary: eb.ref('excluded.summary'),
            })),
          )
          .execute();
    }
  }
}

/**
 * Migration 0019: the summaries of the tasks stored before it (two or more fact rows), a few
 * hundred tasks at a time.
 */
export async function backfillTaskSummaries(db: Writer): Promise<void> {
  const overlap = await db
    .selectFrom('label_facts')
    .select(['project_id', 'task_id'])
    .groupBy(['project_id', 'task_id'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .orderBy('project_id')
    .orderBy('task_id')
    .execute();
  for (let i = 0; i < overlap.length; i += TASKS_PER_QUERY)
    await refreshTaskSummaries(
      db,
      overlap.slice(i, i + TASKS_PER_QUERY).map((t) => ({ projectId: t.project_id, taskId: t.task_id })),
    );
}

/** Summaries read per query. */
const SUMMARIES_PER_QUERY = 5000;

/**
 * The project's task summaries in task id order, leaving out withdrawn tasks (as the labels'
 * reading does), a page at a time.
 */
export async function* iterateTaskSummaries(
  db: Kysely<Database>,
  projectId: string,
): AsyncGenerator<{ taskId: string; summary: string }[]> {
  let after = '';
  for (;;) {
    const page = await db
      .selectFrom('task_agreement')
      .select(['task_id', 'summary'])
      .where('project_id', '=', projectId)
      .where('task_id', '>', after)
      .where('task_id', 'not in', (eb) =>
        eb
          .selectFrom('tasks')
          .select('id')
          .where('project_id', '=', projectId)
          .where('revoked_at', 'is not', null),
      )
      .orderBy('task_id')
      .limit(SUMMARIES_PER_QUERY)
      .execute();
    if (page.length === 0) return;
    yield page.map((r) => ({ taskId: r.task_id, summary: r.summary }));
    after = page[page.length - 1]!.task_id;
  }
}
