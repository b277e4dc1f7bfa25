import type { BootstrapOptions } from './bootstrap';
import { sumOfUnits, withSumsInterval } from './bootstrap';
import type { ItemCounts } from './ratings';
import { MetricInputError, pairableItems } from './ratings';
import type { Coefficient } from './result';
import { undefinedCoefficient } from './result';

export const LEVELS = ['nominal', 'ordinal', 'interval', 'ratio'] as const;
export type Level = (typeof LEVELS)[number];

export interface KrippendorffAlpha extends Coefficient {
  level: Level;
  /** observed and expected disagreement at this level: alpha = 1 - observed / expected */
  disagreement: { observed: number; expected: number } | null;
}

/**
 * Krippendorff's alpha, after Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability":
 *
 *   alpha = 1 - D_o / D_e,  D_o = (1/n) sum_u sum_{c != k} n_uc n_uk delta_ck / (m_u - 1),
 *                           D_e = 1/(n (n - 1)) sum_{c != k} n_c n_k delta_ck
 *
 * over the items u with m_u >= 2 values (the others are skipped: they hold no pair), n the
 * values in them and n_c the values c among those. Any number of raters, missing values allowed.
 * Distances delta_ck: nominal 0/1; ordinal (sum_{g=c..k} n_g - (n_c + n_k)/2)^2, from the
 * marginals, values ordered by number; interval (c - k)^2; ratio ((c - k)/(c + k))^2.
 * `observed` / `expected` beside it are the raw exact-match agreement of the pairable values and
 * its chance level (1 - D_o and 1 - D_e at the nominal level). D_e = 0 (every pairable value
 * the same): alpha is undefined (null).
 *
 * `numbers` gives each value code's number (needed for every level but nominal).
 * Cost: O(values) per pass, plus O(V^2) in the distinct values present at ordinal and ratio level.
 * The bootstrap resamples per-item sums (bootstrapSums); at ordinal level they hold the V x V
 * coincidences, so with more than about 44 distinct values there is no interval.
 */
export function krippendorffAlpha(
  counts: ItemCounts,
  level: Level,
  numbers: Float64Array | null = null,
  options: { bootstrap?: BootstrapOptions | false } = {},
): KrippendorffAlpha {
  const pairable = pairableItems(counts);
  const n = { items: pairable.items.length, raters: counts.raters, pairable: pairable.values };
  if (n.items === 0) {
    return { ...undefinedCoefficient('no item has two or more values', n), level, disagreement: null };
  }
  const x = level === 'nominal' ? null : checkedNumbers(numbers, counts.values, level);
  const { start, value, count } = counts;
  const items = pairable.items;
  const sizes = pairable.sizes;

  const V = counts.values;
  const ordinal = level === 'ordinal';
  // interval: values shifted by their mean so the sums of squares keep their precision
  const shift = x && level === 'interval' ? weightedMean(counts, items, x) : 0;
  const fixedDelta = level === 'ratio' ? ratioDistance(x!) : null;
  // per item: [m_u, exact-match pairs / (m_u - 1), disagreement sum / (m_u - 1) (not ordinal),
  //  count of each value (V), and at ordinal level the coincidences n_uc n_uk / (m_u - 1) (V x V)]
  const TOTALS = 3;
  const COINCIDENCES = TOTALS + V;
  const dim = COINCIDENCES + (ordinal ? V * V : 0);
  const addUnit = (i: number, out: Float64Array) => {
    const u = items[i]!;
    const m = sizes[i]!;
    let squares = 0;
    for (let e = start[u]!; e < start[u + 1]!; e++) {
      squares += count[e]! * count[e]!;
      out[TOTALS + value[e]!]! += count[e]!;
    }
    const same = (squares - m) / (m - 1);
    out[0]! += m;
    out[1]! += same;
    if (level === 'nominal') out[2]! += m - same;
    else if (level === 'interval') {
      let sum = 0;
      for (let e = start[u]!; e < start[u + 1]!; e++) sum += count[e]! * x![value[e]!]!;
      const mean = sum / m;
      let ss = 0;
      for (let e = start[u]!; e < start[u + 1]!; e++) ss += count[e]! * (x![value[e]!]! - mean) ** 2;
      out[2]! += (2 * m * ss) / (m - 1);
    } else if (fixedDelta) out[2]! += pairSum(counts, u, fixedDelta) / (m - 1);
    else {
      for (let e = start[u]!; e < start[u + 1]!; e++)
        for (let f = start[u]!; f < start[u + 1]!; f++) {
          if (e !== f) out[COINCIDENCES + value[e]! * V + value[f]!]! += (count[e]! * count[f]!) / (m - 1);
        }
    }
  };

  const finish = (sums: Float64Array) => {
    const total = sums[0]!;
    const totals = sums.subarray(TOTALS, TOTALS + V);
    let squares = 0;
    const present: number[] = [];
    totals.forEach((t, c) => {
      squares += t * t;
      if (t > 0) present.push(c);
    });
    let observedSum = sums[2]!;
    let expectedSum: number;
    if (level === 'nominal') expectedSum = total * total - squares;
    else if (level === 'interval') {
      let s1 = 0;
      let s2 = 0;
      for (const c of present) {
        const v = x![c]! - shift;
        s1 += totals[c]! * v;
        s2 += totals[c]! * v * v;
      }
      expectedSum = 2 * (total * s2 - s1 * s1);
    } else {
      const delta = fixedDelta ?? ordinalDistance(x!, totals, present);
      if (ordinal) {
        observedSum = 0;
        for (const c of present)
          for (const k of present) if (c !== k) observedSum += sums[COINCIDENCES + c * V + k]! * delta(c, k);
      }
      expectedSum = 0;
      for (let a = 0; a < present.length; a++)
        for (let b = a + 1; b < present.length; b++) {
          expectedSum += 2 * totals[present[a]!]! * totals[present[b]!]! * delta(present[a]!, present[b]!);
        }
    }
    const observed = observedSum / total;
    const expected = expectedSum / (total * (total - 1));
    return {
      alpha: expected > 0 ? 1 - observed / expected : null,
      disagreement: { observed, expected },
      agreement: { observed: sums[1]! / total, expected: (squares - total) / (total * (total - 1)) },
    };
  };

  const whole = finish(sumOfUnits(items.length, dim, addUnit));
  if (whole.alpha === null) {
    return {
      ...undefinedCoefficient(
        'expected disagreement is 0: every pairable value is the same',
        n,
        whole.agreement.observed,
        whole.agreement.expected,
      ),
      level,
      disagreement: whole.disagreement,
    };
  }
  return withSumsInterval<KrippendorffAlpha>(
    {
      value: whole.alpha,
      observed: whole.agreement.observed,
      expected: whole.agreement.expected,
      n,
      level,
      disagreement: whole.disagreement,
    },
    options.bootstrap,
    items.length,
    dim,
    addUnit,
    (sums) => finish(sums).alpha,
  );
}

type Distance = (c: number, k: number) => number;

/** sum over ordered pairs of values c != k within item u of n_uc n_uk delta_ck */
function pairSum(counts: ItemCounts, u: number, delta: Distance): number {
  let sum = 0;
  for (let e = counts.start[u]!; e < counts.start[u + 1]!; e++)
    for (let f = e + 1; f < counts.start[u + 1]!; f++) {
      sum += 2 * counts.count[e]! * counts.count[f]! * delta(counts.value[e]!, counts.value[f]!);
    }
  return sum;
}

const ratioDistance =
  (x: Float64Array): Distance =>
  (c, k) => {
    const sum = x[c]! + x[k]!;
    return sum === 0 ? 0 : ((x[c]! - x[k]!) / sum) ** 2;
  };

/** Krippendorff's ordinal metric: the marginal mass between c and k, halves at the ends. */
function ordinalDistance(x: Float64Array, totals: ArrayLike<number>, present: number[]): Distance {
  const sorted = [...present].sort((a, b) => x[a]! - x[b]!);
  const position = new Int32Array(totals.length);
  const below = new Float64Array(sorted.length + 1);
  sorted.forEach((c, i) => {
    position[c] = i;
    below[i + 1] = below[i]! + totals[c]!;
  });
  return (c, k) => {
    const lo = Math.min(position[c]!, position[k]!);
    const hi = Math.max(position[c]!, position[k]!);
    return (below[hi + 1]! - below[lo]! - (totals[c]! + totals[k]!) / 2) ** 2;
  };
}

function weightedMean(counts: ItemCounts, items: Int32Array, x: Float64Array): number {
  let sum = 0;
  let total = 0;
  for (const u of items)
    for (let e = counts.start[u]!; e < counts.start[u + 1]!; e++) {
      sum += counts.count[e]! * x[counts.value[e]!]!;
      total += counts.count[e]!;
    }
  return total ? sum / total : 0;
}

function checkedNumbers(numbers: Float64Array | null, values: number, level: Level): Float64Array {
  if (!numbers || numbers.length < values) {
    throw new MetricInputError(`the ${level} level needs every value as a number`);
  }
  const seen = new Map<number, number>();
  for (let c = 0; c < values; c++) {
    const v = numbers[c]!;
    if (!Number.isFinite(v)) throw new MetricInputError(`value ${c} is not a finite number`);
    if (level === 'ratio' && v < 0) {
      throw new MetricInputError(`the ratio level needs values >= 0 (found ${v})`);
    }
    if (seen.has(v)) throw new MetricInputError(`two distinct values are the same number ${v}`);
    seen.set(v, c);
  }
  return numbers;
}
