/** Order statistics of benchmark samples (one definition for every bench). */

const sorted = (samples: readonly number[]) => [...samples].sort((a, b) => a - b);

/** The p-th percentile (nearest rank): the smallest sample with at least p% of samples at or below it; 0 for none. */
export function percentile(samples: readonly number[], p: number): number {
  const s = sorted(samples);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((s.length * p) / 100) - 1))] ?? 0;
}

export const p95 = (samples: readonly number[]) => percentile(samples, 95);

/** The middle sample (the mean of the two middle ones for an even count). */
export function median(samples: readonly number[]): number {
  const s = sorted(samples);
  const mid = s.length >> 1;
  if (s.length === 0) return 0;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
