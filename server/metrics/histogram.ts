import { ItemCountsBuilder } from '../../shared/metrics/ratings';
import type { ItemCounts } from '../../shared/metrics/ratings';

/**
 * Items kept as a histogram of their value counts. Percent agreement, Fleiss' kappa and
 * Krippendorff's nominal alpha depend on the data only through each item's value counts, and items
 * with the same counts are interchangeable; so a group keeps "how many items had counts (2, 1, 0)"
 * instead of the items: a few dozen entries however many labels (flat memory). `itemCounts()`
 * lays the items out again for the engine's coefficients.
 */
export class CountsHistogram {
  private readonly items = new Map<string, number>();
  total = 0;

  /** One item with `counts[v]` ratings of value v. */
  add(counts: readonly number[]): void {
    const key = counts.join(',');
    this.items.set(key, (this.items.get(key) ?? 0) + 1);
    this.total++;
  }

  /** `times` items with these counts at once. */
  addMany(counts: readonly number[], times: number): void {
    if (times <= 0) return;
    const key = counts.join(',');
    this.items.set(key, (this.items.get(key) ?? 0) + times);
    this.total += times;
  }

  /** Each distinct counts vector and how many items have it. */
  *entries(): IterableIterator<[number[], number]> {
    for (const [key, times] of this.items) yield [key.split(',').map(Number), times];
  }

  itemCounts(raters: number, values: number): ItemCounts {
    const builder = new ItemCountsBuilder();
    for (const [key, times] of [...this.items].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const counts = key.split(',').map(Number);
      for (let i = 0; i < times; i++) {
        counts.forEach((count, value) => builder.add(value, count));
        builder.endItem();
      }
    }
    return builder.build(raters, values);
  }
}
