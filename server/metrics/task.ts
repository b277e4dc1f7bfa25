import { kendallWOfRankings } from '../../shared/metrics/kendall';
import { preferencesOfLabel } from '../../shared/metrics/preferences';
import type { PairOutcome } from '../../shared/metrics/preferences';
import type { MetricLabelRow } from './read-labels';

/** Outcome codes of an implied pair preference: the nominal values agreement is computed on. */
export const OUTCOME_CODES: Record<PairOutcome, number> = { a: 0, b: 1, tie: 2 };
export const OUTCOMES = 3;

/** One (task, response pair) rated by two or more reviewers. */
export interface PreferenceItem {
  /** ratings per outcome code */
  counts: number[];
  /** per rating: the index of its label in the task and its outcome code */
  ratings: { label: number; outcome: number }[];
}

/** One tag put on one response by some of the task's reviewers. */
export interface TagUse {
  tagId: string;
  /** indices of the labels that put it there */
  labels: number[];
}

/** What the agreement keeps of a label: who, when, which kind. */
export interface TaskLabel {
  userId: string;
  receivedAt: string;
  kind: 'ranking' | 'pairwise';
}

/** What one overlap task (two or more labels) adds to agreement. */
export interface TaskAgreement {
  taskId: string;
  kind: 'ranking' | 'pairwise';
  /** labels, one per reviewer (a second label of a reviewer is left out) */
  labels: TaskLabel[];
  preferences: PreferenceItem[];
  /** mean over the pairable preference items of the share of agreeing reviewer pairs (null: none) */
  agreement: number | null;
  /** responses shown (union of presentedOrder): the items of per-tag agreement */
  responses: number;
  tags: TagUse[];
  /** Kendall's W of the task's rankings (null: fewer than two rankings, or undefined) */
  kendallW: number | null;
  /** latest received_at among the labels: the week the task's agreement belongs to */
  completedAt: string;
}

/** The agreement a task's labels give (task-ordered reading hands every label of a task at once). */
export function taskAgreement(rows: readonly MetricLabelRow[]): TaskAgreement {
  const seen = new Set<string>();
  const labels = rows.filter((r) => !seen.has(r.userId) && seen.add(r.userId));
  const byPair = new Map<string, PreferenceItem>();
  labels.forEach((row, index) => {
    for (const p of preferencesOfLabel(row.label)) {
      const key = `${p.a} ${p.b}`;
      let item = byPair.get(key);
      if (!item) byPair.set(key, (item = { counts: [0, 0, 0], ratings: [] }));
      const outcome = OUTCOME_CODES[p.outcome];
      item.counts[outcome]!++;
      item.ratings.push({ label: index, outcome });
    }
  });
  const preferences = [...byPair.values()].filter((item) => item.ratings.length >= 2);
  let shareSum = 0;
  for (const { counts, ratings } of preferences) {
    const m = ratings.length;
    shareSum += counts.reduce((sum, c) => sum + c * (c - 1), 0) / (m * (m - 1));
  }

  const responses = new Set<string>();
  const tagUses = new Map<string, TagUse & { responseId: string }>();
  labels.forEach((row, index) => {
    for (const id of row.label.presentedOrder) responses.add(id);
    for (const tag of row.label.tags) {
      const key = `${tag.responseId} ${tag.tagId}`;
      let use = tagUses.get(key);
      if (!use) tagUses.set(key, (use = { tagId: tag.tagId, responseId: tag.responseId, labels: [] }));
      if (use.labels[use.labels.length - 1] !== index) use.labels.push(index); // two severities: once
    }
  });

  return {
    taskId: labels[0]!.taskId,
    kind: labels[0]!.label.kind,
    labels: labels.map((row) => ({ userId: row.userId, receivedAt: row.receivedAt, kind: row.label.kind })),
    preferences,
    agreement: preferences.length ? shareSum / preferences.length : null,
    responses: responses.size,
    tags: [...tagUses.values()]
      .filter((use) => responses.has(use.responseId))
      .map((use) => ({ tagId: use.tagId, labels: use.labels })),
    kendallW: taskKendallW(labels),
    completedAt: labels.reduce((latest, r) => (r.receivedAt > latest ? r.receivedAt : latest), ''),
  };
}

/** Kendall's W of one task: judges = reviewers who ranked it, objects = responses. */
function taskKendallW(labels: readonly MetricLabelRow[]): number | null {
  const rankings = labels.filter((r) => r.label.kind === 'ranking' && r.label.ranks);
  if (rankings.length < 2) return null;
  return kendallWOfRankings(rankings.map((r) => r.label.ranks!));
}
