import { quantileSorted } from './bootstrap';

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
    sorted.sort();
    if (sorted.length === 0) return { count: 0, medianMs: null, p90Ms: null };
    return {
      count: sorted.length,
      medianMs: quantileSorted(sorted, 0.5),
      p90Ms: quantileSorted(sorted, 0.9),
    };
  }
}

export function activeTimeSummary(activeMs: Iterable<number>): ActiveTimeSummary {
  const time = new ActiveTime();
  for (const ms of activeMs) time.add(ms);
  return time.summary();
}
