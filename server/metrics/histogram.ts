import type { CountsRun } from '../../shared/metrics/count-runs';

/**
 * Items kept as a histogram of their value counts. Percent agreement, Fleiss' kappa and
 * Krippendorff's nominal alpha depend on the data only through each item's value counts, and items
 * with the same counts are interchangeable; so a group keeps "how many items had counts (2, 1, 0)"
 * instead of the items: a few dozen entries however many labels (flat memory). `runs()` hands
 * them to the coefficients as they are (shared/metrics/count-runs.ts): the items are never laid
 * out again.
 */
export class CountsHistogram {
  /** short counts (up to 4 values, each below 1024) under a number: no string made per item */
  private readonly small = new Map<number, { counts: number[]; times: number }>();
  private readonly large = new Map<string, { counts: number[]; times: number }>();
  total = 0;

  /** One item with `counts[v]` ratings of value v. */
  add(counts: readonly number[]): void {
    this.addMany(counts, 1);
  }

  /** `times` items with these counts at once. */
  addMany(counts: readonly number[], times: number): void {
    if (times <= 0) return;
    const key = smallKey(counts);
    const entry = key !== null ? this.small.get(key) : this.large.get(counts.join(','));
    if (entry) entry.times += times;
    else if (key !== null) this.small.set(key, { counts: [...counts], times });
    else this.large.set(counts.join(','), { counts: [...counts], times });
    this.total += times;
  }

  /** Each distinct counts vector and how many items have it. */
  *entries(): IterableIterator<[number[], number]> {
    for (const entry of this.small.values()) yield [[...entry.counts], entry.times];
    for (const entry of this.large.values()) yield [[...entry.counts], entry.times];
  }

  /**
   * The distinct counts vectors and their multiplicities, ordered by the counts joined by ',':
   * the order the items are resampled in (it fixes the intervals' blocks).
   */
  runs(): CountsRun[] {
    return [...this.small.values(), ...this.large.values()]
      .map((entry) => ({ key: entry.counts.join(','), entry }))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .map(({ entry }) => ({ counts: entry.counts, times: entry.times }));
  }
}

function smallKey(counts: readonly number[]): number | null {
  if (counts.length > 4) return null;
  let key = counts.length;
  let factor = 8;
  for (const count of counts) {
    if (!Number.isInteger(count) || count < 0 || count >= 1024) return null;
    key += count * factor;
    factor *= 1024;
  }
  return key;
}
