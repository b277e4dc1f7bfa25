import type { BootstrapOptions } from './bootstrap';
import { sumOfUnits, withSumsInterval } from './bootstrap';
import type { ItemCounts } from './ratings';
import { pairableItems } from './ratings';
import type { Coefficient } from './result';
import { undefinedCoefficient } from './result';

export interface FleissKappa extends Coefficient {
  /** fewest and most values per item: Fleiss (1971) assumes a constant number */
  ratersPerItem: { min: number; max: number } | null;
}

/**
 * Fleiss' kappa (Fleiss 1971): kappa = (P - Pe) / (1 - Pe), where P is the mean over items of
 * the share of agreeing rater pairs, P_u = sum_c n_uc (n_uc - 1) / (m_u (m_u - 1)), and
 * Pe = sum_c p_c^2 with p_c the share of all ratings in category c. Items with fewer than two
 * values are skipped. With a varying number of raters per item the same formulas are applied
 * with each item's own m_u (p_c pooled over all ratings); with a constant m they are Fleiss's.
 * Pe = 1 (every rating in one category): kappa is undefined (null).
 */
export function fleissKappa(
  counts: ItemCounts,
  options: { bootstrap?: BootstrapOptions | false } = {},
): FleissKappa {
  const pairable = pairableItems(counts);
  const n = { items: pairable.items.length, raters: counts.raters, pairable: pairable.values };
  if (n.items === 0)
    return { ...undefinedCoefficient('no item has two or more values', n), ratersPerItem: null };
  // per item: [P_u, 1, m_u, its count of each category...]
  const dim = 3 + counts.values;
  const addUnit = (i: number, out: Float64Array) => {
    const u = pairable.items[i]!;
    const m = pairable.sizes[i]!;
    let agreeing = 0;
    for (let e = counts.start[u]!; e < counts.start[u + 1]!; e++) {
      agreeing += counts.count[e]! * (counts.count[e]! - 1);
      out[3 + counts.value[e]!]! += counts.count[e]!;
    }
    out[0]! += agreeing / (m * (m - 1));
    out[1]! += 1;
    out[2]! += m;
  };
  const parts = (sums: Float64Array) => {
    let expected = 0;
    for (let c = 3; c < dim; c++) expected += (sums[c]! / sums[2]!) ** 2;
    const observed = sums[0]! / sums[1]!;
    return {
      observed,
      expected,
      value: expected >= 1 - 1e-12 ? null : (observed - expected) / (1 - expected),
    };
  };
  const { observed, expected, value } = parts(sumOfUnits(n.items, dim, addUnit));
  const ratersPerItem = { min: Infinity, max: 0 };
  for (const m of pairable.sizes) {
    ratersPerItem.min = Math.min(ratersPerItem.min, m);
    ratersPerItem.max = Math.max(ratersPerItem.max, m);
  }
  if (value === null) {
    return {
      ...undefinedCoefficient(
        'every rating is in one category: chance agreement is 1',
        n,
        observed,
        expected,
      ),
      ratersPerItem,
    };
  }
  return withSumsInterval<FleissKappa>(
    { value, observed, expected, n, ratersPerItem },
    options.bootstrap,
    n.items,
    dim,
    addUnit,
    (sums) => parts(sums).value,
  );
}
