import type { Label } from '../label';
import type { BootstrapOptions } from './bootstrap';
import { krippendorffAlpha } from './krippendorff';
import type { KrippendorffAlpha } from './krippendorff';
import { percentAgreement } from './percent';
import { RatingsTable } from './ratings';
import type { Coefficient } from './result';

/** How a judgement orders one pair of responses `a` < `b` (ids compared as strings). */
export type PairOutcome = 'a' | 'b' | 'tie';
export interface ImpliedPreference {
  a: string;
  b: string;
  outcome: PairOutcome;
}

/** Every pair of ranked responses and which one the ranking puts first (lower rank; equal: tie). */
export function preferencesFromRanks(ranks: Readonly<Record<string, number>>): ImpliedPreference[] {
  const ids = Object.keys(ranks).sort();
  const pairs: ImpliedPreference[] = [];
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i]!;
      const b = ids[j]!;
      const outcome = ranks[a]! < ranks[b]! ? 'a' : ranks[a]! > ranks[b]! ? 'b' : 'tie';
      pairs.push({ a, b, outcome });
    }
  return pairs;
}

export type JudgedLabel = Pick<Label, 'kind' | 'ranks' | 'pairwise' | 'presentedOrder'>;

/**
 * The pairwise preferences a label states: all pairs of a ranking; the one pair of a pairwise
 * label (its two responses from presentedOrder; preferredResponseId null = tie). Strength is
 * not compared: direction only.
 */
export function preferencesOfLabel(label: JudgedLabel): ImpliedPreference[] {
  if (label.kind === 'ranking') return label.ranks ? preferencesFromRanks(label.ranks) : [];
  if (!label.pairwise || label.presentedOrder.length !== 2) return [];
  const [a, b] = [...label.presentedOrder].sort() as [string, string];
  const preferred = label.pairwise.preferredResponseId;
  return [{ a, b, outcome: preferred === null ? 'tie' : preferred === a ? 'a' : 'b' }];
}

/** Adds a label's preferences to a table: item = task and pair, rater = reviewer, value = outcome. */
export function addPreferences(
  table: RatingsTable,
  label: JudgedLabel & Pick<Label, 'taskId' | 'reviewerId'>,
): void {
  for (const { a, b, outcome } of preferencesOfLabel(label)) {
    table.add(`${label.taskId} ${a} ${b}`, label.reviewerId, outcome);
  }
}

export interface PreferenceAgreement {
  /** share of agreeing reviewer pairs per response pair, averaged over response pairs */
  percent: Coefficient;
  /** Krippendorff's alpha, nominal, over the outcomes a / b / tie */
  alpha: KrippendorffAlpha;
}

/**
 * Agreement on the pairwise preferences that labels imply: each (task, response pair) is an
 * item, each reviewer a rater, the outcome (first id preferred, second, tie) a nominal value.
 * Rankings and pairwise labels of one task compare directly. One label per reviewer and task.
 */
export function preferenceAgreement(
  labels: Iterable<JudgedLabel & Pick<Label, 'taskId' | 'reviewerId'>>,
  options: { bootstrap?: BootstrapOptions | false } = {},
): PreferenceAgreement {
  const table = new RatingsTable();
  for (const label of labels) addPreferences(table, label);
  const counts = table.itemCounts();
  return {
    percent: percentAgreement(counts, options),
    alpha: krippendorffAlpha(counts, 'nominal', null, options),
  };
}
