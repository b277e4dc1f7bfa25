import type { BootstrapOptions } from './bootstrap';
import { everyUnit, withInterval } from './bootstrap';
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
  const shares = new Float64Array(n.items);
  pairable.items.forEach((u, i) => {
    const m = pairable.sizes[i]!;
    let agreeing = 0;
    for (let e = counts.start[u]!; e < counts.start[u + 1]!; e++)
      agreeing += counts.count[e]! * (counts.count[e]! - 1);
    shares[i] = agreeing / (m * (m - 1));
  });
  const mean = (draw: ArrayLike<number>, length: number) => {
    let sum = 0;
    for (let i = 0; i < length; i++) sum += shares[draw[i]!]!;
    return sum / length;
  };
  const all = everyUnit(n.items);
  const value = mean(all, n.items);
  return withInterval<Coefficient>(
    { value, observed: value, expected: null, n },
    options.bootstrap,
    n.items,
    (draw) => mean(draw, n.items),
  );
}
