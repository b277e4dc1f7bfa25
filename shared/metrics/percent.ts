import type { BootstrapOptions } from './bootstrap';
import { sumOfUnits, withSumsInterval } from './bootstrap';
import type { ItemCounts } from './ratings';
import { pairableItems } from './ratings';
import type { Coefficient } from './result';
import { undefinedCoefficient } from './result';

/**
 * Pairwise percent agreement: per item, the share of rater pairs that gave the same value,
 * n_uc (n_uc - 1) summed over values c, over m_u (m_u - 1); then the mean over items with two
 * or more values (Fleiss's P-bar). With two raters it is the share of items they agree on.
 * No chance correction: `expected` is null.
 */
export function percentAgreement(
  counts: ItemCounts,
  options: { bootstrap?: BootstrapOptions | false } = {},
): Coefficient {
  const pairable = pairableItems(counts);
  const n = { items: pairable.items.length, raters: counts.raters, pairable: pairable.values };
  if (n.items === 0) return undefinedCoefficient('no item has two or more values', n);
  // per item: [its share of agreeing pairs, 1]
  const addUnit = (i: number, out: Float64Array) => {
    const u = pairable.items[i]!;
    const m = pairable.sizes[i]!;
    let agreeing = 0;
    for (let e = counts.start[u]!; e < counts.start[u + 1]!; e++) {
      agreeing += counts.count[e]! * (counts.count[e]! - 1);
    }
    out[0]! += agreeing / (m * (m - 1));
    out[1]! += 1;
  };
  const finish = (sums: Float64Array) => sums[0]! / sums[1]!;
  const value = finish(sumOfUnits(n.items, 2, addUnit));
  return withSumsInterval<Coefficient>(
    { value, observed: value, expected: null, n },
    options.bootstrap,
    n.items,
    2,
    addUnit,
    finish,
  );
}
