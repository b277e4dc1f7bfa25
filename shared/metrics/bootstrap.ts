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
  const resamples = resamplesFor(units, options, workPerResample);
  if (resamples === 0) return { ci95: null, resamples: 0, seed };
  const random = seededRandom(seed);
  const draw = new Int32Array(units);
  const results = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < units; i++) draw[i] = Math.floor(random() * units);
    results[b] = statistic(draw) ?? NaN;
  }
  return percentileInterval(results, seed);
}

/** The interval of the resamples' results (NaN or infinite: undefined, left out). */
function percentileInterval(results: Float64Array, seed: number): BootstrapResult {
  const resamples = results.length;
  let defined = 0;
  for (let b = 0; b < resamples; b++) if (Number.isFinite(results[b]!)) results[defined++] = results[b]!;
  if (defined < resamples / 2) return { ci95: null, resamples, seed };
  const sorted = results.subarray(0, defined).sort();
  return { ci95: [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)], resamples, seed };
}

/** How many resamples of `units` units the options give (0: too few for an interval). */
function resamplesFor(units: number, options: BootstrapOptions, workPerResample: number): number {
  const wanted = options.resamples ?? DEFAULT_RESAMPLES;
  const affordable = Math.floor((options.maxWork ?? 2e8) / Math.max(1, workPerResample));
  const resamples = Math.min(wanted, affordable);
  return units < 2 || resamples < Math.min(MIN_RESAMPLES, wanted) ? 0 : resamples;
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

/** Units beyond this are pooled into this many random blocks before resampling. */
export const BOOTSTRAP_BLOCKS = 2000;
/** Largest blocks x statistics table kept for the bootstrap (32 MB of doubles). */
export const MAX_BLOCK_CELLS = 4_000_000;

/**
 * The bootstrap for figures that are a function of per-unit statistics summed over units:
 * `addUnit(u, out)` adds unit u's vector (length `dim`) into `out`, `finish(sums)` turns a sum
 * into the figure. Up to BOOTSTRAP_BLOCKS units, units are resampled as they are. Beyond, each
 * unit is put in one of BOOTSTRAP_BLOCKS blocks at random (seeded) and blocks are resampled: the
 * resampled sums then have the same mean and variance as with units (the units are exchangeable),
 * and a resample costs O(blocks x dim) whatever the data's size.
 */
export function bootstrapSums(
  units: number,
  dim: number,
  addUnit: (unit: number, out: Float64Array) => void,
  finish: (sums: Float64Array) => number | null,
  options: BootstrapOptions = {},
): BootstrapResult {
  const seed = options.seed ?? DEFAULT_SEED;
  const blocks = Math.min(units, BOOTSTRAP_BLOCKS);
  if (units < 2 || blocks * dim > MAX_BLOCK_CELLS) return { ci95: null, resamples: 0, seed };
  const blockOf = blockAssigner(units, seed);
  const table = new Float64Array(blocks * dim);
  const scratch = new Float64Array(dim);
  for (let u = 0; u < units; u++) {
    scratch.fill(0);
    addUnit(u, scratch);
    const block = blockOf();
    for (let d = 0; d < dim; d++) table[block * dim + d]! += scratch[d]!;
  }
  return blockTableInterval(table, blocks, dim, finish, options);
}

/**
 * The block of each unit in turn (call once per unit, units in order): the unit itself up to
 * BOOTSTRAP_BLOCKS units, else a random block drawn with a stream of its own (the resamples use
 * seededRandom(seed)). Figures over the same units with the same seed get the same blocks.
 */
export function blockAssigner(units: number, seed: number): () => number {
  const blocks = Math.min(units, BOOTSTRAP_BLOCKS);
  if (blocks === units) {
    let next = 0;
    return () => next++;
  }
  const random = seededRandom((seed ^ 0x9e3779b9) >>> 0);
  return () => Math.floor(random() * blocks);
}

/**
 * The bootstrap over a table of per-block sums (`blocks` rows of `dim`), with bootstrapInterval's
 * draws (same seed, same blocks drawn in each resample). A resample's sums are taken as
 * sum over blocks of (times drawn x the block's row), not draw after draw: the same sums up to
 * rounding (last digits), and the times drawn are counted once for every figure resampled
 * alike (drawCounts), so a figure's resamples cost O(resamples x blocks x dim) multiply-adds.
 */
export function blockTableInterval(
  table: Float64Array,
  blocks: number,
  dim: number,
  finish: (sums: Float64Array) => number | null,
  options: BootstrapOptions = {},
): BootstrapResult {
  const seed = options.seed ?? DEFAULT_SEED;
  const resamples = resamplesFor(blocks, options, blocks * dim);
  if (resamples === 0) return { ci95: null, resamples: 0, seed };
  const hits = drawCounts(blocks, resamples, seed);
  const sums = new Float64Array(dim);
  const results = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    sums.fill(0);
    const row = b * blocks;
    for (let k = 0; k < blocks; k++) {
      const times = hits[row + k]!;
      if (times === 0) continue;
      const at = k * dim;
      for (let d = 0; d < dim; d++) sums[d]! += times * table[at + d]!;
    }
    results[b] = finish(sums) ?? NaN;
  }
  return percentileInterval(results, seed);
}

/** Draw counts kept for reuse: (blocks, seed) -> counts of the resamples drawn so far. */
const drawCountsKept = new Map<string, Uint16Array>();
/** Tables kept at most (each up to 1000 resamples x 2,000 blocks x 2 bytes = 4 MB). */
const DRAW_COUNTS_KEPT = 4;

/**
 * How many times each of `blocks` units is drawn in each of the first `resamples` resamples of
 * seededRandom(seed) (bootstrapInterval's draws): row b holds resample b. The stream depends only
 * on (blocks, seed), so one table serves every figure resampled alike, and a longer table's
 * first rows serve fewer resamples. Pure: the same answer for the same arguments.
 */
export function drawCounts(blocks: number, resamples: number, seed: number): Uint16Array {
  const key = `${blocks}:${seed}`;
  const kept = drawCountsKept.get(key);
  if (kept && kept.length >= resamples * blocks) return kept;
  if (blocks > 0xffff) throw new RangeError(`drawCounts: ${blocks} blocks is more than counts can hold`);
  const counts = new Uint16Array(resamples * blocks);
  const random = seededRandom(seed);
  for (let b = 0; b < resamples; b++) {
    const row = b * blocks;
    for (let i = 0; i < blocks; i++) counts[row + Math.floor(random() * blocks)]!++;
  }
  drawCountsKept.delete(key);
  drawCountsKept.set(key, counts);
  if (drawCountsKept.size > DRAW_COUNTS_KEPT) drawCountsKept.delete(drawCountsKept.keys().next().value!);
  return counts;
}

/** The sum of every unit's statistics: the figure on the data itself is finish(sumOfUnits(...)). */
export function sumOfUnits(units: number, dim: number, addUnit: (unit: number, out: Float64Array) => void) {
  const sums = new Float64Array(dim);
  for (let u = 0; u < units; u++) addUnit(u, sums);
  return sums;
}

/** withInterval for figures computed from summed per-unit statistics (bootstrapSums). */
export function withSumsInterval<T extends { ci95?: [number, number] | null; bootstrap?: unknown }>(
  result: T,
  options: BootstrapOptions | false | undefined,
  units: number,
  dim: number,
  addUnit: (unit: number, out: Float64Array) => void,
  finish: (sums: Float64Array) => number | null,
): T {
  if (options === false) return result;
  const boot = bootstrapSums(units, dim, addUnit, finish, options);
  return { ...result, ci95: boot.ci95, bootstrap: { resamples: boot.resamples, seed: boot.seed } };
}
