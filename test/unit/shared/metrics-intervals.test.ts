import { describe, expect, it } from 'vitest';
import {
  BOOTSTRAP_BLOCKS,
  bootstrapInterval,
  bootstrapSums,
  quantileSorted,
  seededRandom,
} from '../../../shared/metrics/bootstrap';
import { goldAccuracy, proportion } from '../../../shared/metrics/rates';
import { activeTimeSummary } from '../../../shared/metrics/time';
import { wilsonInterval } from '../../../shared/metrics/wilson';

describe('wilsonInterval', () => {
  it('matches Newcombe (1998), Table I: 81 of 263 -> 0.2553 to 0.3662', () => {
    // Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion:
    // comparison of seven methods. Statistics in Medicine 17, 857-872; example 81/263, method 3
    // (Wilson score, no continuity correction): 0.2553, 0.3662.
    const [lo, hi] = wilsonInterval(81, 263)!;
    expect(lo).toBeCloseTo(0.2553, 4);
    expect(hi).toBeCloseTo(0.3662, 4);
  });

  it('stays inside 0..1 at the extremes and is null with no trials', () => {
    // Newcombe (1998) Table I, 0 of 10: Wilson 0 to 0.2775
    const [lo, hi] = wilsonInterval(0, 10)!;
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('proportion', () => {
  it('carries counts, share and interval', () => {
    expect(goldAccuracy({ correct: 81, answered: 263 })).toMatchObject({ successes: 81, total: 263 });
    expect(proportion(1, 4).share).toBe(0.25);
    expect(proportion(0, 0)).toMatchObject({ share: null, ci95: null });
  });
});

describe('bootstrapInterval', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    const data = Array.from({ length: 50 }, (_, i) => (i * 37) % 11);
    const mean = (draw: Int32Array) => draw.reduce((s, i) => s + data[i]!, 0) / draw.length;
    const a = bootstrapInterval(50, mean, { seed: 5 });
    expect(a).toEqual(bootstrapInterval(50, mean, { seed: 5 }));
    expect(a.ci95).not.toEqual(bootstrapInterval(50, mean, { seed: 6 }).ci95);
    const sampleMean = data.reduce((s, v) => s + v, 0) / 50;
    expect(a.ci95![0]).toBeLessThan(sampleMean);
    expect(a.ci95![1]).toBeGreaterThan(sampleMean);
  });

  it('bounds the work: fewer resamples on large data, none below the minimum', () => {
    const constant = () => 1;
    expect(bootstrapInterval(1000, constant, { maxWork: 500_000 }).resamples).toBe(500);
    expect(bootstrapInterval(1000, constant, { maxWork: 100_000 })).toMatchObject({
      resamples: 0,
      ci95: null,
    });
  });

  it('pools many units into random blocks with about the same interval as resampling units', () => {
    // 20,000 units of 0/1 (30% ones): the item bootstrap's interval is about +-0.0064 around 0.3
    const units = 20_000;
    expect(units).toBeGreaterThan(BOOTSTRAP_BLOCKS);
    const data = Array.from({ length: units }, (_, i) => ((i * 7919) % 10 < 3 ? 1 : 0));
    const direct = bootstrapInterval(units, (draw) => draw.reduce((s, i) => s + data[i]!, 0) / units, {
      resamples: 400,
    });
    const pooled = bootstrapSums(
      units,
      2,
      (u, out) => {
        out[0]! += data[u]!;
        out[1]! += 1;
      },
      (sums) => sums[0]! / sums[1]!,
      { resamples: 400 },
    );
    const width = (ci: [number, number] | null) => ci![1] - ci![0];
    expect(pooled.resamples).toBe(400);
    expect(width(pooled.ci95)).toBeGreaterThan(0.8 * width(direct.ci95));
    expect(width(pooled.ci95)).toBeLessThan(1.25 * width(direct.ci95));
    expect(pooled.ci95![0]).toBeLessThan(0.3);
    expect(pooled.ci95![1]).toBeGreaterThan(0.3);
  });

  it('draws uniform numbers in [0, 1)', () => {
    const random = seededRandom(42);
    const draws = Array.from({ length: 10_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((s, v) => s + v, 0) / draws.length).toBeCloseTo(0.5, 1);
  });
});

describe('quantiles and active time', () => {
  it('interpolates between order statistics (R type 7)', () => {
    // R: quantile(c(1, 2, 3, 4, 10), c(0.5, 0.9)) -> 3, 7.6
    expect(quantileSorted([1, 2, 3, 4, 10], 0.5)).toBe(3);
    expect(quantileSorted([1, 2, 3, 4, 10], 0.9)).toBeCloseTo(7.6, 12);
  });

  it('summarises active time: median and p90, ignoring invalid values', () => {
    expect(activeTimeSummary([4000, 1000, 10_000, 3000, 2000, -5, Number.NaN])).toEqual({
      count: 5,
      medianMs: 3000,
      p90Ms: 7600,
    });
    expect(activeTimeSummary([])).toEqual({ count: 0, medianMs: null, p90Ms: null });
  });
});
