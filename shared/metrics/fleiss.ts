import type { BootstrapOptions } from './bootstrap';
import { everyUnit, withInterval } from './bootstrap';
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
  const shares = new Float64Array(n.items);
  pairable.items.forEach((u, i) => {
    const m = pairable.sizes[i]!;
    let agreeing = 0;
    for (let e = counts.start[u]!; e < counts.start[u + 1]!; e++)
      agreeing += counts.count[e]! * (counts.count[e]! - 1);
    shares[i] = agreeing / (m * (m - 1));
  });
  const totals = new Float64Array(counts.values);
  const compute = (draw: ArrayLike<number>, length: number) => {
    totals.fill(0);
    let observed = 0;
    let ratings = 0;
    for (let i = 0; i < length; i++) {
      const k = draw[i]!;
      const u = pairable.items[k]!;
      observed += shares[k]!;
      ratings += pairable.sizes[k]!;
      for (let e = counts.start[u]!; e < counts.start[u + 1]!; e++)
        totals[counts.value[e]!]! += counts.count[e]!;
    }
    let expected = 0;
    for (const total of totals) expected += (total / ratings) ** 2;
    observed /= length;
    return {
      observed,
      expected,
      value: expected >= 1 - 1e-12 ? null : (observed - expected) / (1 - expected),
    };
  };
  const everyItem = everyUnit(n.items);
  const { observed, expected, value } = compute(everyItem, n.items);
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
  return withInterval<FleissKappa>(
    { value, observed, expected, n, ratersPerItem },
    options.bootstrap,
    n.items,
    (draw) => compute(draw, n.items).value,
    n.pairable + counts.values,
  );
}
