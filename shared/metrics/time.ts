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
 * into a growing Float64Array: 8 bytes per task, sorted once.
 */
export class ActiveTime {
  private values = new Float64Array(1024);
  private length = 0;

  add(activeMs: number): void {
    if (!Number.isFinite(activeMs) || activeMs < 0) return;
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = activeMs;
  }

  summary(): ActiveTimeSummary {
    if (this.length === 0) return { count: 0, medianMs: null, p90Ms: null };
    const sorted = this.values.slice(0, this.length).sort();
    return {
      count: this.length,
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
