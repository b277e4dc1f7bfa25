export interface ActiveTimeSummary {
  count: number;
  /** null when there is no time */
  medianMs: number | null;
  p90Ms: number | null;
}

/**
 * Time per task from measured active time (Label.activeMs). Median and 90th percentile
 * interpolate linearly between order statistics (R type 7, numpy's default). Streams the values
 * into a growing Float64Array (or keeps arrays handed over whole): 8 bytes per task, sorted once.
 */
export class ActiveTime {
  private values = new Float64Array(1024);
  private length = 0;
  private readonly chunks: Float64Array[] = [];

  add(activeMs: number): void {
    if (!Number.isFinite(activeMs) || activeMs < 0) return;
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = activeMs;
  }

  /**
   * Many values at once, kept by reference (not copied) until summary(): the project metrics hand
   * the same values to four groups (the scope, a pod, a reviewer, a week).
   */
  addAll(activeMs: Float64Array): void {
    if (activeMs.length > 0) this.chunks.push(activeMs);
  }

  summary(): ActiveTimeSummary {
    let sorted = this.values.subarray(0, this.length);
    if (this.chunks.length > 0) {
      const all = new Float64Array(this.length + this.chunks.reduce((sum, c) => sum + c.length, 0));
      all.set(sorted);
      let length = this.length;
      for (const chunk of this.chunks)
        for (let i = 0; i < chunk.length; i++) {
          const ms = chunk[i]!;
          if (Number.isFinite(ms) && ms >= 0) all[length++] = ms;
        }
      sorted = all.subarray(0, length);
    } else sorted = sorted.slice();
    if (sorted.length === 0) return { count: 0, medianMs: null, p90Ms: null };
    const [medianMs, p90Ms] = quantilesSelected(sorted, [0.5, 0.9]);
    return { count: sorted.length, medianMs: medianMs!, p90Ms: p90Ms! };
  }
}

/**
 * quantileSorted's answers (R type 7) for ascending `qs`, without sorting: each needs only the
 * order statistics at floor((n - 1) q) and the next, found by selection (O(n) expected, where a
 * sort is O(n log n): the project metrics take quantiles of a million times four times over).
 * The same order statistics and the same arithmetic, so the same numbers. Reorders `values`.
 */
export function quantilesSelected(values: Float64Array, qs: readonly number[]): number[] {
  const n = values.length;
  let from = 0;
  return qs.map((q) => {
    const position = (n - 1) * q;
    const below = Math.floor(position);
    if (below >= from) {
      selectKth(values, below, from, n - 1);
      from = below + 1;
    }
    const low = values[below]!;
    let high = low;
    if (below + 1 < n) {
      high = values[below + 1]!;
      for (let i = below + 2; i < n; i++) if (values[i]! < high) high = values[i]!;
    }
    return low + (high - low) * (position - below);
  });
}

/**
 * Moves the k-th smallest of values[lo..hi] to k, smaller or equal ones before it, larger or
 * equal ones after (quickselect, Hoare partition, median-of-three pivot). No NaN.
 */
function selectKth(values: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const a = values[lo]!;
    const b = values[(lo + hi) >>> 1]!;
    const c = values[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

export function activeTimeSummary(activeMs: Iterable<number>): ActiveTimeSummary {
  const time = new ActiveTime();
  for (const ms of activeMs) time.add(ms);
  return time.summary();
}
