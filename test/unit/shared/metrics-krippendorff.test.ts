import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from '../../../shared/metrics/krippendorff';
import { ItemCountsBuilder, MetricInputError, tableFromMatrix } from '../../../shared/metrics/ratings';

/**
 * Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
 * Communication, University of Pennsylvania, section E ("Multiple-valued data with missing
 * values"): 4 observers x 12 units, values 1..5, null = missing. Published: nominal 0.743,
 * ordinal 0.815, interval 0.849, ratio 0.797. Checked independently by brute force over all
 * ordered pairs of values (a separate script, not this code): nominal 0.743421, ordinal
 * 0.815388, interval 0.849107, ratio 0.797403; n = 40 pairable values (unit 12 has one value).
 */
const KRIPPENDORFF_2011 = {
  A: [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  B: [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  C: [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  D: [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
};

const example = () => {
  const table = tableFromMatrix(KRIPPENDORFF_2011);
  return { counts: table.itemCounts(), numbers: table.numericValues() };
};

describe('krippendorffAlpha: Krippendorff (2011) worked example', () => {
  it.each([
    ['nominal', 0.743],
    ['ordinal', 0.815],
    ['interval', 0.849],
    ['ratio', 0.797],
  ] as const)('%s level: alpha = %s', (level, published) => {
    const { counts, numbers } = example();
    const alpha = krippendorffAlpha(counts, level, numbers, { bootstrap: false });
    expect(alpha.value).toBeCloseTo(published, 3);
    expect(alpha.n).toEqual({ items: 11, raters: 4, pairable: 40 });
  });

  it('matches the independent brute-force values to 1e-6', () => {
    const { counts, numbers } = example();
    const at = (level: 'nominal' | 'ordinal' | 'interval' | 'ratio') =>
      krippendorffAlpha(counts, level, numbers, { bootstrap: false }).value;
    expect(at('nominal')).toBeCloseTo(0.743421052631579, 9);
    expect(at('ordinal')).toBeCloseTo(0.8153875037548813, 9);
    expect(at('interval')).toBeCloseTo(0.8491071428571428, 9);
    expect(at('ratio')).toBeCloseTo(0.7974027747116127, 9);
  });

  it('reports the raw agreement beside alpha, and nominal alpha is their chance correction', () => {
    // By hand from the data (Krippendorff 2011, E): the coincidence diagonal, o_cc = sum over units
    // of n_uc (n_uc - 1) / (m_u - 1), is o_11 = 7, o_22 = 10, o_33 = 8, o_44 = 4, o_55 = 3: 32 of
    // n = 40; marginals n_c = 9, 13, 10, 5, 3, so chance agreement = (72+156+90+20+6) / (40 x 39)
    // and alpha = 1 - (8/40) / (1216/1560) = 0.743421.
    const { counts, numbers } = example();
    const alpha = krippendorffAlpha(counts, 'nominal', numbers, { bootstrap: false });
    expect(alpha.observed).toBeCloseTo(32 / 40, 12);
    expect(alpha.expected).toBeCloseTo(344 / 1560, 12);
    expect(alpha.disagreement).toEqual({
      observed: expect.closeTo(8 / 40, 12),
      expected: expect.closeTo(1216 / 1560, 12),
    });
    expect(alpha.value).toBeCloseTo((alpha.observed! - alpha.expected!) / (1 - alpha.expected!), 12);
  });

  it('gives a reproducible bootstrap interval around the value', () => {
    const { counts, numbers } = example();
    const a = krippendorffAlpha(counts, 'interval', numbers, { bootstrap: { seed: 7 } });
    const b = krippendorffAlpha(counts, 'interval', numbers, { bootstrap: { seed: 7 } });
    expect(a.ci95).toEqual(b.ci95);
    expect(a.bootstrap).toEqual({ resamples: 1000, seed: 7 });
    expect(a.ci95![0]).toBeLessThanOrEqual(a.value!);
    expect(a.ci95![1]).toBeGreaterThanOrEqual(a.value!);
    expect(a.ci95![1]).toBeLessThanOrEqual(1);
  });
});

describe('krippendorffAlpha: edge cases', () => {
  it('is null with a reason when every pairable value is the same (expected disagreement 0)', () => {
    const table = tableFromMatrix({ A: [2, 2, 2], B: [2, 2, null] });
    const alpha = krippendorffAlpha(table.itemCounts(), 'interval', table.numericValues());
    expect(alpha.value).toBeNull();
    expect(alpha.reason).toMatch(/expected disagreement is 0/);
    expect(alpha.observed).toBe(1);
  });

  it('skips items with fewer than two values and is null when none has two', () => {
    const table = tableFromMatrix({ A: [1, null, 3], B: [null, 2, null] });
    const alpha = krippendorffAlpha(table.itemCounts(), 'nominal');
    expect(alpha).toMatchObject({ value: null, n: { items: 0, pairable: 0 } });
    expect(alpha.reason).toMatch(/two or more values/);
  });

  it('is 1 for perfect agreement and can go below 0 for systematic disagreement', () => {
    const perfect = tableFromMatrix({ A: [1, 2, 3], B: [1, 2, 3] });
    expect(krippendorffAlpha(perfect.itemCounts(), 'nominal', null, { bootstrap: false }).value).toBe(1);
    // two items, each split a/b: D_o = 1 (every within-item pair differs), D_e = 8/12 -> 1 - 1.5
    const opposed = tableFromMatrix({ A: ['a', 'b'], B: ['b', 'a'] });
    expect(krippendorffAlpha(opposed.itemCounts(), 'nominal', null, { bootstrap: false }).value).toBeCloseTo(
      -0.5,
      12,
    );
  });

  it('needs numbers above the nominal level, non-negative at ratio level', () => {
    const table = tableFromMatrix({ A: [1, -2], B: [1, 3] });
    expect(() => krippendorffAlpha(table.itemCounts(), 'interval')).toThrow(MetricInputError);
    expect(() => krippendorffAlpha(table.itemCounts(), 'ratio', table.numericValues())).toThrow(/>= 0/);
    const words = tableFromMatrix({ A: ['low', 'high'], B: ['low', 'low'] });
    expect(() => words.numericValues()).toThrow(/"low" is not a number/);
  });

  it('takes counts that arrive already counted (ItemCountsBuilder)', () => {
    // the nominal example again, entered as per-unit value counts (Krippendorff 2011, E)
    const builder = new ItemCountsBuilder();
    const units: Record<number, number>[] = [
      { 1: 3 },
      { 2: 3, 3: 1 },
      { 3: 4 },
      { 3: 4 },
      { 2: 4 },
      { 1: 1, 2: 1, 3: 1, 4: 1 },
      { 4: 4 },
      { 1: 3, 2: 1 },
      { 2: 4 },
      { 5: 3 },
      { 1: 2 },
      { 3: 1 },
    ];
    for (const unit of units) {
      for (const [value, count] of Object.entries(unit)) builder.add(Number(value), count);
      builder.endItem();
    }
    const alpha = krippendorffAlpha(builder.build(4), 'nominal', null, { bootstrap: false });
    expect(alpha.value).toBeCloseTo(0.743421052631579, 12);
  });
});
