import type { BootstrapOptions } from './bootstrap';
import { everyUnit, withInterval } from './bootstrap';
import type { RatingsTable } from './ratings';
import { DuplicateRatingError, MetricInputError } from './ratings';
import type { Coefficient } from './result';
import { undefinedCoefficient } from './result';

/**
 * Kendall's tau-b between two rankings of the same ids (lower rank = better), ties corrected:
 * (C - D) / sqrt((n0 - n1)(n0 - n2)) over the ids both rank. Null when either side ties
 * everything (undefined). O(k^2) in the ids: rankings here have at most 9 responses.
 */
export function kendallTauB(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): number | null {
  const ids = Object.keys(a).filter((id) => id in b);
  let concordant = 0;
  let discordant = 0;
  let tiedA = 0;
  let tiedB = 0;
  let pairs = 0;
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      pairs++;
      const da = Math.sign(a[ids[i]!]! - a[ids[j]!]!);
      const db = Math.sign(b[ids[i]!]! - b[ids[j]!]!);
      if (da === 0) tiedA++;
      if (db === 0) tiedB++;
      if (da !== 0 && db !== 0) {
        if (da === db) concordant++;
        else discordant++;
      }
    }
  const denominator = Math.sqrt((pairs - tiedA) * (pairs - tiedB));
  if (denominator === 0) return null;
  return Math.max(-1, Math.min(1, (concordant - discordant) / denominator));
}

/** Mid-ranks (1-based, ties share their mean rank) and the tie term sum (t^3 - t) over tie groups. */
export function midRanks(values: ArrayLike<number>): { ranks: Float64Array; ties: number } {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((i, j) => values[i]! - values[j]!);
  const ranks = new Float64Array(values.length);
  let ties = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    const t = j - i + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = (i + j) / 2 + 1;
    ties += t ** 3 - t;
    i = j + 1;
  }
  return { ranks, ties };
}

export interface KendallW extends Coefficient {
  /** objects left out because some judge did not rank them (W needs complete rankings) */
  dropped: number;
  /** mean Spearman correlation over pairs of judges: (m W - 1) / (m - 1) */
  meanSpearman: number | null;
  /** Friedman's chi-square m (n - 1) W, with n - 1 degrees of freedom */
  chiSquare: number | null;
}

/**
 * Kendall's coefficient of concordance W with the tie correction (Kendall 1948; Siegel &
 * Castellan 1988, 9.4): m judges (raters) rank n objects (items),
 *
 *   W = 12 S / (m^2 (n^3 - n) - m sum_j T_j),   S = sum_i (R_i - m (n + 1) / 2)^2,
 *
 * R_i the sum of object i's ranks, T_j = sum (t^3 - t) over judge j's groups of t tied objects.
 * Values are re-ranked per judge (mid-ranks), so scores work as well as ranks. Objects that
 * some judge did not rank are dropped (listwise, as in R's irr::kendall). W is not chance
 * corrected (E[W] = 1/m under random rankings): `observed` and `expected` are null;
 * meanSpearman is its chance-corrected counterpart. Fewer than 2 objects or judges, or every
 * judge tying everything: W is undefined (null). The bootstrap resamples judges (the objects
 * ranked are fixed by the task).
 */
export function kendallW(
  table: RatingsTable,
  numbers: Float64Array,
  options: { bootstrap?: BootstrapOptions | false } = {},
): KendallW {
  const m = table.raters.size;
  const objects = table.items.size;
  if (m * objects > 10_000_000) {
    throw new MetricInputError(`Kendall's W: ${m} judges x ${objects} objects is too large a table`);
  }
  const { item, rater, value } = table.columns();
  const grid = new Float64Array(m * objects).fill(NaN);
  const rowOf = new Int32Array(m * objects);
  for (let row = 0; row < item.length; row++) {
    const cell = rater[row]! * objects + item[row]!;
    if (!Number.isNaN(grid[cell]!)) {
      throw new DuplicateRatingError(
        table.items.names[item[row]!]!,
        table.raters.names[rater[row]!]!,
        row,
        rowOf[cell]!,
      );
    }
    grid[cell] = numbers[value[row]!]!;
    rowOf[cell] = row;
  }
  const complete: number[] = [];
  for (let i = 0; i < objects; i++) {
    let all = true;
    for (let j = 0; j < m && all; j++) all = !Number.isNaN(grid[j * objects + i]!);
    if (all) complete.push(i);
  }
  const n = complete.length;
  const size = { items: n, raters: m, pairable: n * m };
  const extra = { dropped: objects - n, meanSpearman: null, chiSquare: null };
  if (n < 2 || m < 2) {
    return {
      ...undefinedCoefficient("Kendall's W needs two or more judges ranking two or more objects", size),
      ...extra,
    };
  }
  const ranks = new Float64Array(m * n);
  const ties = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const judged = midRanks(complete.map((i) => grid[j * objects + i]!));
    ranks.set(judged.ranks, j * n);
    ties[j] = judged.ties;
  }
  const sums = new Float64Array(n);
  const compute = (draw: ArrayLike<number>) => {
    sums.fill(0);
    let tieSum = 0;
    for (let d = 0; d < m; d++) {
      const j = draw[d]!;
      tieSum += ties[j]!;
      for (let i = 0; i < n; i++) sums[i]! += ranks[j * n + i]!;
    }
    const mean = (m * (n + 1)) / 2;
    let s = 0;
    for (const r of sums) s += (r - mean) ** 2;
    const denominator = m * m * (n ** 3 - n) - m * tieSum;
    return denominator > 0 ? Math.min(1, (12 * s) / denominator) : null;
  };
  const w = compute(everyUnit(m));
  if (w === null) {
    return { ...undefinedCoefficient('every judge tied every object', size), ...extra };
  }
  return withInterval<KendallW>(
    {
      value: w,
      observed: null,
      expected: null,
      n: size,
      dropped: extra.dropped,
      meanSpearman: (m * w - 1) / (m - 1),
      chiSquare: m * (n - 1) * w,
    },
    options.bootstrap,
    m,
    compute,
    m * n,
  );
}

/**
 * Kendall's W of a few rankings given as records (id -> rank), the judges in order: the value
 * kendallW gives for the same ratings table (judges = the records that rank something, objects in
 * order of first appearance, objects some judge did not rank dropped), with the same arithmetic in
 * the same order, without building the table. For the thousands of small per-task tables of the
 * project metrics. Null where kendallW's value is null.
 */
export function kendallWOfRankings(rankings: readonly Readonly<Record<string, number>>[]): number | null {
  const judges = rankings.filter((ranks) => Object.keys(ranks).length > 0);
  const m = judges.length;
  if (m < 2) return null;
  const objects: string[] = [];
  const seen = new Set<string>();
  for (const ranks of judges)
    for (const id of Object.keys(ranks)) if (!seen.has(id) && seen.add(id)) objects.push(id);
  const complete = objects.filter((id) => judges.every((ranks) => Object.hasOwn(ranks, id)));
  const n = complete.length;
  if (n < 2) return null;
  const sums = new Float64Array(n);
  let tieSum = 0;
  for (const ranks of judges) {
    const judged = midRanks(complete.map((id) => ranks[id]!));
    tieSum += judged.ties;
    for (let i = 0; i < n; i++) sums[i]! += judged.ranks[i]!;
  }
  const mean = (m * (n + 1)) / 2;
  let s = 0;
  for (const r of sums) s += (r - mean) ** 2;
  const denominator = m * m * (n ** 3 - n) - m * tieSum;
  return denominator > 0 ? Math.min(1, (12 * s) / denominator) : null;
}
