import type { BootstrapOptions } from './bootstrap';
import {
  BOOTSTRAP_BLOCKS,
  DEFAULT_SEED,
  MAX_BLOCK_CELLS,
  blockAssigner,
  blockTableInterval,
} from './bootstrap';
import type { KrippendorffAlpha } from './krippendorff';
import type { Coefficient, SampleSize } from './result';
import { undefinedCoefficient } from './result';

/** `times` items alike, each with `counts[v]` ratings of value v (a histogram's entry). */
export interface CountsRun {
  counts: readonly number[];
  times: number;
}

export interface NominalAgreement {
  percent: Coefficient;
  alpha: KrippendorffAlpha;
}

/**
 * Percent agreement and nominal Krippendorff's alpha of items given as runs of equal count
 * vectors, without laying the items out: the same numbers, to the last bit, as
 * `percentAgreement` and `krippendorffAlpha(…, 'nominal')` on the ItemCounts that holds the runs'
 * items one after the other (intervals included: the same blocks, the same draws). Both figures
 * depend on the data only through each item's counts, so each distinct vector's statistics are
 * computed once; per item there remain a few additions (and, with an interval, its block), where
 * the engine builds the items, finds the pairable ones and walks every entry, once per figure.
 *
 * The sums keep the engine's rounding: a whole number added to a whole sum (m, value totals, and
 * at m <= 3 the exact-match pairs) is added `times` at once, which is exact; anything else item by
 * item in the engine's order. test/unit/shared/metrics-count-runs.test.ts checks equality with
 * the engine.
 */
export function nominalAgreementOfRuns(
  runs: readonly CountsRun[],
  raters: number,
  values: number,
  options: { bootstrap?: BootstrapOptions | false } = {},
): NominalAgreement {
  const pairable = runs.filter((run) => run.times > 0 && total(run.counts) >= 2);
  let items = 0;
  let pairableValues = 0;
  for (const run of pairable) {
    items += run.times;
    pairableValues += total(run.counts) * run.times;
  }
  const n: SampleSize = { items, raters, pairable: pairableValues };
  if (items === 0) {
    const reason = 'no item has two or more values';
    return {
      percent: undefinedCoefficient(reason, n),
      alpha: { ...undefinedCoefficient(reason, n), level: 'nominal', disagreement: null },
    };
  }

  // per item: percent [share of agreeing pairs, 1]; alpha [m, exact-match pairs / (m - 1),
  // m - that, count of each value] (krippendorff.ts's layout at the nominal level)
  const alphaDim = ALPHA_TOTALS + values;
  const percentVectors = pairable.map((run) => percentVector(run.counts));
  const alphaVectors = pairable.map((run) => alphaVector(run.counts, values));
  const percentSums = new Float64Array(PERCENT_DIM);
  const alphaSums = new Float64Array(alphaDim);
  pairable.forEach((run, r) => {
    addTimes(percentSums, 0, percentVectors[r]!, run.times);
    addTimes(alphaSums, 0, alphaVectors[r]!, run.times);
  });
  const percentValue = finishPercent(percentSums);
  const whole = finishAlpha(alphaSums, values);
  const percent: Coefficient = { value: percentValue, observed: percentValue, expected: null, n };
  const alpha: KrippendorffAlpha =
    whole.alpha === null
      ? {
          ...undefinedCoefficient(
            'expected disagreement is 0: every pairable value is the same',
            n,
            whole.agreement.observed,
            whole.agreement.expected,
          ),
          level: 'nominal',
          disagreement: whole.disagreement,
        }
      : {
          value: whole.alpha,
          observed: whole.agreement.observed,
          expected: whole.agreement.expected,
          n,
          level: 'nominal',
          disagreement: whole.disagreement,
        };
  if (options.bootstrap === false) return { percent, alpha };

  const bootstrap = options.bootstrap ?? {};
  const seed = bootstrap.seed ?? DEFAULT_SEED;
  const blocks = Math.min(items, BOOTSTRAP_BLOCKS);
  const none = { ci95: null, bootstrap: { resamples: 0, seed } };
  const percentFits = items >= 2 && blocks * PERCENT_DIM <= MAX_BLOCK_CELLS;
  const alphaFits = items >= 2 && blocks * alphaDim <= MAX_BLOCK_CELLS;
  const percentTable = new Float64Array(percentFits ? blocks * PERCENT_DIM : 0);
  const alphaTable = new Float64Array(alphaFits ? blocks * alphaDim : 0);
  const blockOf = blockAssigner(items, seed);
  pairable.forEach((run, r) => {
    for (let t = 0; t < run.times; t++) {
      const block = blockOf();
      if (percentFits) addTimes(percentTable, block * PERCENT_DIM, percentVectors[r]!, 1);
      if (alphaFits) addTimes(alphaTable, block * alphaDim, alphaVectors[r]!, 1);
    }
  });
  const interval = (
    fits: boolean,
    table: Float64Array,
    dim: number,
    finish: (s: Float64Array) => number | null,
  ) => {
    if (!fits) return none;
    const boot = blockTableInterval(table, blocks, dim, finish, bootstrap);
    return { ci95: boot.ci95, bootstrap: { resamples: boot.resamples, seed: boot.seed } };
  };
  return {
    percent: { ...percent, ...interval(percentFits, percentTable, PERCENT_DIM, finishPercent) },
    alpha:
      whole.alpha === null
        ? alpha
        : {
            ...alpha,
            ...interval(alphaFits, alphaTable, alphaDim, (sums) => finishAlpha(sums, values).alpha),
          },
  };
}

const PERCENT_DIM = 2;
const ALPHA_TOTALS = 3;

const total = (counts: readonly number[]) => counts.reduce((sum, c) => sum + c, 0);

/** percent.ts's per-item statistics */
function percentVector(counts: readonly number[]): Float64Array {
  const m = total(counts);
  let agreeing = 0;
  for (const c of counts) if (c > 0) agreeing += c * (c - 1);
  return Float64Array.of(agreeing / (m * (m - 1)), 1);
}

/** krippendorff.ts's per-item statistics at the nominal level */
function alphaVector(counts: readonly number[], values: number): Float64Array {
  const m = total(counts);
  const vector = new Float64Array(ALPHA_TOTALS + values);
  let squares = 0;
  counts.forEach((c, v) => {
    if (c <= 0) return;
    squares += c * c;
    vector[ALPHA_TOTALS + v] = c;
  });
  const same = (squares - m) / (m - 1);
  vector[0] = m;
  vector[1] = same;
  vector[2] = m - same;
  return vector;
}

/**
 * sums[at + d] += vector[d], `times` times over. A whole number added to a whole sum is exact
 * (below 2^53), so `times` of them are added at once; anything else one time after another, in
 * the order the engine adds it, so the rounding is the engine's.
 */
function addTimes(sums: Float64Array, at: number, vector: Float64Array, times: number): void {
  for (let d = 0; d < vector.length; d++) {
    const x = vector[d]!;
    if (x === 0) continue;
    const sum = sums[at + d]!;
    if (Number.isInteger(x) && Number.isInteger(sum) && Math.abs(sum + x * times) < 2 ** 53) {
      sums[at + d] = sum + x * times;
    } else {
      let running = sum;
      for (let t = 0; t < times; t++) running += x;
      sums[at + d] = running;
    }
  }
}

const finishPercent = (sums: Float64Array) => sums[0]! / sums[1]!;

/** krippendorff.ts's finish at the nominal level, from the same sums */
function finishAlpha(sums: Float64Array, values: number) {
  const total = sums[0]!;
  let squares = 0;
  for (let c = 0; c < values; c++) squares += sums[ALPHA_TOTALS + c]! * sums[ALPHA_TOTALS + c]!;
  const observedSum = sums[2]!;
  const expectedSum = total * total - squares;
  const observed = observedSum / total;
  const expected = expectedSum / (total * (total - 1));
  return {
    alpha: expected > 0 ? 1 - observed / expected : null,
    disagreement: { observed, expected },
    agreement: { observed: sums[1]! / total, expected: (squares - total) / (total * (total - 1)) },
  };
}
