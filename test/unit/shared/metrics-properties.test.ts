import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cohenKappa } from '../../../shared/metrics/cohen';
import { fleissKappa } from '../../../shared/metrics/fleiss';
import { kendallW } from '../../../shared/metrics/kendall';
import type { Level } from '../../../shared/metrics/krippendorff';
import { krippendorffAlpha } from '../../../shared/metrics/krippendorff';
import { percentAgreement } from '../../../shared/metrics/percent';
import { RatingsTable } from '../../../shared/metrics/ratings';
import type { Coefficient } from '../../../shared/metrics/result';

/** rows of (item, rater, value); value null = missing */
type Row = [number, number, number | null];

/** a ratings matrix: items x raters, values 0..categories-1 or missing */
const matrix = (maxRaters = 5) =>
  fc
    .record({
      items: fc.integer({ min: 2, max: 12 }),
      raters: fc.integer({ min: 2, max: maxRaters }),
      categories: fc.integer({ min: 2, max: 4 }),
    })
    .chain(({ items, raters, categories }) =>
      fc.array(
        fc.array(fc.option(fc.integer({ min: 0, max: categories - 1 }), { freq: 5 }), {
          minLength: raters,
          maxLength: raters,
        }),
        { minLength: items, maxLength: items },
      ),
    );

const rowsOf = (m: (number | null)[][]): Row[] =>
  m.flatMap((row, item) => row.map((v, r): Row => [item, r, v]));

function tableOf(rows: readonly Row[], name: (v: number) => string = String, rater = (r: number) => `r${r}`) {
  const table = new RatingsTable();
  for (const [item, r, v] of rows) table.add(`i${item}`, rater(r), v === null ? null : name(v));
  return table;
}

const numeric = (rows: readonly Row[], f: (v: number) => number) => {
  const table = tableOf(rows, (v) => String(f(v)));
  return { counts: table.itemCounts(), numbers: table.numericValues() };
};

const NO_CI = { bootstrap: false } as const;
const value = (c: Coefficient) => c.value;
const same = (a: number | null, b: number | null) =>
  a === null || b === null ? expect(a).toBe(b) : expect(a).toBeCloseTo(b, 9);

/** Fisher-Yates with a fast-check supplied seed */
const shuffled = <T>(list: readonly T[], seed: number) => {
  const copy = [...list];
  let s = seed >>> 0;
  for (let i = copy.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
};

const nominal = (
  rows: readonly Row[],
  name: (v: number) => string = String,
  rater?: (r: number) => string,
) => {
  const table = tableOf(rows, name, rater);
  const counts = table.itemCounts();
  return [
    value(percentAgreement(counts, NO_CI)),
    value(fleissKappa(counts, NO_CI)),
    value(krippendorffAlpha(counts, 'nominal', null, NO_CI)),
  ];
};

describe('agreement properties (fast-check)', () => {
  it('perfect agreement gives 1 (whenever the coefficient is defined)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 10 }),
        fc.integer({ min: 2, max: 5 }),
        (truth, raters) => {
          fc.pre(new Set(truth).size > 1);
          const rows: Row[] = truth.flatMap((v, item) =>
            Array.from({ length: raters }, (_, r): Row => [item, r, v]),
          );
          const table = tableOf(rows);
          const counts = table.itemCounts();
          for (const level of ['nominal', 'ordinal', 'interval', 'ratio'] as Level[]) {
            expect(krippendorffAlpha(counts, level, table.numericValues(), NO_CI).value).toBeCloseTo(1, 12);
          }
          expect(fleissKappa(counts, NO_CI).value).toBeCloseTo(1, 12);
          expect(percentAgreement(counts, NO_CI).value).toBe(1);
          if (raters === 2) expect(cohenKappa(table, NO_CI).value).toBeCloseTo(1, 12);
          if (truth.length === new Set(truth).size)
            expect(kendallW(table, table.numericValues(), NO_CI).value).toBeCloseTo(1, 12);
        },
      ),
    );
  });

  it('renaming categories changes no nominal coefficient', () => {
    fc.assert(
      fc.property(matrix(), fc.constantFrom(['x', 'y', 'z', 'w'], ['4', 'b', 'zz', '0']), (m, names) => {
        const rows = rowsOf(m);
        nominal(rows).forEach((v, i) => same(v, nominal(rows, (c) => names[c]!)[i]!));
      }),
    );
  });

  it('reordering rows, renaming raters or permuting items changes nothing', () => {
    fc.assert(
      fc.property(matrix(), fc.integer(), (m, seed) => {
        const rows = rowsOf(m);
        const reordered = shuffled(rows, seed);
        const items = shuffled(
          m.map((_, i) => i),
          seed ^ 0x5bd1e995,
        );
        const relabelled = reordered.map(([item, r, v]): Row => [items[item]!, r, v]);
        const expected = nominal(rows);
        nominal(relabelled, String, (r) => `rater-${(r * 7) % 11}`).forEach((v, i) => same(v, expected[i]!));
        for (const level of ['ordinal', 'interval', 'ratio'] as Level[]) {
          const a = numeric(rows, (v) => v + 1);
          const b = numeric(relabelled, (v) => v + 1);
          same(
            krippendorffAlpha(a.counts, level, a.numbers, NO_CI).value,
            krippendorffAlpha(b.counts, level, b.numbers, NO_CI).value,
          );
        }
      }),
    );
  });

  it('Cohen is symmetric in its two raters and ignores row order', () => {
    fc.assert(
      fc.property(matrix(2), fc.integer(), (m, seed) => {
        const rows = rowsOf(m);
        const swapped = shuffled(rows, seed).map(([item, r, v]): Row => [item, 1 - r, v]);
        const a = tableOf(rows);
        const b = tableOf(swapped);
        fc.pre(a.raters.size === 2 && b.raters.size === 2);
        same(cohenKappa(a, NO_CI).value, cohenKappa(b, NO_CI).value);
      }),
    );
  });

  it('missing values are skipped, not counted', () => {
    fc.assert(
      fc.property(matrix(), (m) => {
        const rows = rowsOf(m);
        const present = rows.filter(([, , v]) => v !== null);
        const a = tableOf(rows).itemCounts();
        const b = tableOf(present).itemCounts();
        const alpha = krippendorffAlpha(a, 'nominal', null, NO_CI);
        expect(alpha.n).toEqual(krippendorffAlpha(b, 'nominal', null, NO_CI).n);
        same(alpha.value, krippendorffAlpha(b, 'nominal', null, NO_CI).value);
        expect(alpha.n.pairable).toBeLessThanOrEqual(present.length);
      }),
    );
  });

  it('ordinal alpha depends only on the order of values, interval on their differences, ratio on ratios', () => {
    fc.assert(
      fc.property(matrix(), (m) => {
        const rows = rowsOf(m);
        const base = numeric(rows, (v) => v + 1);
        const alpha = (level: Level, d: { counts: typeof base.counts; numbers: Float64Array }) =>
          krippendorffAlpha(d.counts, level, d.numbers, NO_CI).value;
        same(
          alpha('ordinal', base),
          alpha(
            'ordinal',
            numeric(rows, (v) => (v + 1) ** 3 + 10),
          ),
        );
        same(
          alpha('interval', base),
          alpha(
            'interval',
            numeric(rows, (v) => -3 * v + 50),
          ),
        );
        same(
          alpha('ratio', base),
          alpha(
            'ratio',
            numeric(rows, (v) => 4 * (v + 1)),
          ),
        );
      }),
    );
  });
});
