/**
 * Percentile bootstrap intervals with a seeded generator, so a figure and its interval are
 * reproducible. Callers resample units (items, or judges for Kendall's W) and recompute the
 * coefficient from per-unit sufficient statistics, never from the raw ratings.
 */

/** mulberry32: a small, fast 32-bit generator; the same seed gives the same stream anywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BootstrapOptions {
  /** resamples wanted (default 1000) */
  resamples?: number;
  /** generator seed (default 1) */
  seed?: number;
  /** upper bound on resamples x work per resample (default 2e8): large data gets fewer resamples */
  maxWork?: number;
}

export interface BootstrapResult {
  ci95: [number, number] | null;
  /** resamples drawn (fewer than asked when the data is large) */
  resamples: number;
  seed: number;
}

export const DEFAULT_RESAMPLES = 1000;
export const DEFAULT_SEED = 1;
/** Fewer resamples than this make the 2.5% and 97.5% percentiles too noisy: no interval. */
export const MIN_RESAMPLES = 200;

/** The q-quantile of sorted values, interpolating linearly between order statistics (R type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/**
 * Draws `units` indices with replacement per resample and hands them to `statistic`; the 95%
 * interval is the 2.5th and 97.5th percentiles of the defined results. Resamples where the
 * statistic is undefined (null) are left out; if more than half are, there is no interval.
 * `workPerResample` (default: units) bounds the total work by `maxWork`.
 */
export function bootstrapInterval(
  units: number,
  statistic: (draw: Int32Array) => number | null,
  options: BootstrapOptions = {},
  workPerResample = units,
): BootstrapResult {
  const seed = options.seed ?? DEFAULT_SEED;
  const wanted = options.resamples ?? DEFAULT_RESAMPLES;
  const affordable = Math.floor((options.maxWork ?? 2e8) / Math.max(1, workPerResample));
  const resamples = Math.min(wanted, affordable);
  if (units < 2 || resamples < Math.min(MIN_RESAMPLES, wanted)) return { ci95: null, resamples: 0, seed };
  const random = seededRandom(seed);
  const draw = new Int32Array(units);
  const results = new Float64Array(resamples);
  let defined = 0;
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < units; i++) draw[i] = Math.floor(random() * units);
    const value = statistic(draw);
    if (value !== null && Number.isFinite(value)) results[defined++] = value;
  }
  if (defined < resamples / 2) return { ci95: null, resamples, seed };
  const sorted = results.subarray(0, defined).sort();
  return { ci95: [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)], resamples, seed };
}

/** Adds the bootstrap interval to a coefficient, unless the caller turned it off (false). */
export function withInterval<T extends { ci95?: [number, number] | null; bootstrap?: unknown }>(
  result: T,
  options: BootstrapOptions | false | undefined,
  units: number,
  statistic: (draw: Int32Array) => number | null,
  workPerResample = units,
): T {
  if (options === false) return result;
  const boot = bootstrapInterval(units, statistic, options, workPerResample);
  return { ...result, ci95: boot.ci95, bootstrap: { resamples: boot.resamples, seed: boot.seed } };
}

/** The draw that takes every unit once: the statistic on the data itself. */
export function everyUnit(units: number): Int32Array {
  const draw = new Int32Array(units);
  for (let i = 0; i < units; i++) draw[i] = i;
  return draw;
}
