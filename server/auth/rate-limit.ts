/** Fixed-window attempt counter (per key), on the injected clock; memory is bounded by pruning old windows. */
export class AttemptLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Counts an attempt; returns the seconds to wait when over the limit, else 0. */
  hit(key: string): number {
    const t = this.now();
    if (this.windows.size > 10_000) this.prune(t);
    const w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      this.windows.set(key, { start: t, count: 1 });
      return 0;
    }
    w.count += 1;
    return w.count > this.max ? Math.ceil((w.start + this.windowMs - t) / 1000) : 0;
  }

  /** The seconds to wait when `key` has used up its window already, else 0; counts nothing. */
  waitFor(key: string): number {
    const t = this.now();
    const w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs || w.count < this.max) return 0;
    return Math.ceil((w.start + this.windowMs - t) / 1000);
  }

  private prune(t: number) {
    for (const [key, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(key);
  }
}
