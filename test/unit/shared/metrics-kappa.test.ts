import { describe, expect, it } from 'vitest';
import { cohenKappa } from '../../../shared/metrics/cohen';
import { fleissKappa } from '../../../shared/metrics/fleiss';
import { percentAgreement } from '../../../shared/metrics/percent';
import { DuplicateRatingError, ItemCountsBuilder, RatingsTable } from '../../../shared/metrics/ratings';

/** a two-rater table from (rater A's value, rater B's value, how many items) cells */
function twoRaters(cells: [string, string, number][]): RatingsTable {
  const table = new RatingsTable();
  let item = 0;
  for (const [a, b, times] of cells)
    for (let i = 0; i < times; i++, item++) {
      table.add(`i${item}`, 'A', a);
      table.add(`i${item}`, 'B', b);
    }
  return table;
}

describe('cohenKappa', () => {
  it('matches the Wikipedia "Cohen\'s kappa" worked example (50 applications, two readers)', () => {
    // Wikipedia, "Cohen's kappa", section "Simple example": both yes 20, A yes B no 5, A no B yes
    // 10, both no 15: p_o = 35/50 = 0.7, p_e = 0.5 x 0.6 + 0.5 x 0.4 = 0.5, kappa = 0.4.
    const table = twoRaters([
      ['yes', 'yes', 20],
      ['yes', 'no', 5],
      ['no', 'yes', 10],
      ['no', 'no', 15],
    ]);
    const kappa = cohenKappa(table, { bootstrap: false });
    expect(kappa.value).toBeCloseTo(0.4, 12);
    expect(kappa.observed).toBeCloseTo(0.7, 12);
    expect(kappa.expected).toBeCloseTo(0.5, 12);
    expect(kappa.n).toEqual({ items: 50, raters: 2, pairable: 100 });
  });

  it('shows why raw agreement stands beside kappa: 90% agreement, kappa near 0 when one answer dominates', () => {
    // 90 both "ok", 10 split: p_o = 0.9, p_e = 0.95 x 0.95 + 0.05 x 0.05 = 0.905 -> kappa < 0
    const table = twoRaters([
      ['ok', 'ok', 90],
      ['ok', 'bad', 5],
      ['bad', 'ok', 5],
    ]);
    const kappa = cohenKappa(table, { bootstrap: false });
    expect(kappa.observed).toBeCloseTo(0.9, 12);
    expect(kappa.expected).toBeCloseTo(0.95 * 0.95 + 0.05 * 0.05, 12);
    expect(kappa.value!).toBeLessThan(0);
  });

  it('skips items only one rater rated, refuses other than two raters and duplicate ratings', () => {
    const table = twoRaters([
      ['x', 'x', 2],
      ['x', 'y', 1],
    ]);
    table.add('extra', 'A', 'x');
    expect(cohenKappa(table, { bootstrap: false }).n.items).toBe(3);
    table.add('extra', 'C', 'y');
    expect(() => cohenKappa(table)).toThrow(/exactly two raters, found 3 \(A, B, C\)/);
    const twice = twoRaters([['x', 'y', 1]]);
    twice.add('i0', 'A', 'y');
    expect(() => cohenKappa(twice)).toThrow(DuplicateRatingError);
  });

  it('is null with a reason when chance agreement is 1', () => {
    const kappa = cohenKappa(twoRaters([['x', 'x', 4]]));
    expect(kappa).toMatchObject({ value: null, observed: 1, expected: 1 });
    expect(kappa.reason).toMatch(/chance agreement is 1/);
  });
});

/**
 * Wikipedia, "Fleiss' kappa", section "Worked example": 10 subjects, 14 raters each, 5
 * categories; published P-bar = 0.378, P_e = 0.213, kappa = 0.210. Recomputed by hand
 * (independent script): P-bar = 0.378022, P_e = 0.212755, kappa = 0.209931.
 */
const FLEISS_WIKIPEDIA = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

function countsOf(rows: number[][], raters: number) {
  const builder = new ItemCountsBuilder();
  for (const row of rows) {
    row.forEach((count, category) => builder.add(category, count));
    builder.endItem();
  }
  return builder.build(raters);
}

describe('fleissKappa', () => {
  it('matches the Wikipedia worked example (10 subjects x 14 raters x 5 categories)', () => {
    const kappa = fleissKappa(countsOf(FLEISS_WIKIPEDIA, 14), { bootstrap: false });
    expect(kappa.value).toBeCloseTo(0.21, 3);
    expect(kappa.value).toBeCloseTo(0.20993070442195522, 12);
    expect(kappa.observed).toBeCloseTo(0.378, 3);
    expect(kappa.expected).toBeCloseTo(0.213, 3);
    expect(kappa.n).toEqual({ items: 10, raters: 14, pairable: 140 });
    expect(kappa.ratersPerItem).toEqual({ min: 14, max: 14 });
  });

  it('gives the same figure from a ratings table, with a reproducible interval', () => {
    const table = new RatingsTable();
    FLEISS_WIKIPEDIA.forEach((row, subject) => {
      let rater = 0;
      row.forEach((count, category) => {
        for (let i = 0; i < count; i++) table.add(`s${subject}`, `r${rater++}`, `c${category}`);
      });
    });
    const a = fleissKappa(table.itemCounts(), { bootstrap: { seed: 3 } });
    expect(a.value).toBeCloseTo(0.20993070442195522, 12);
    expect(a.ci95).toEqual(fleissKappa(table.itemCounts(), { bootstrap: { seed: 3 } }).ci95);
    expect(a.ci95![0]).toBeLessThan(a.value!);
    expect(a.ci95![1]).toBeGreaterThan(a.value!);
  });

  it('is null when every rating is in one category', () => {
    const kappa = fleissKappa(countsOf([[3], [3]], 3));
    expect(kappa.value).toBeNull();
    expect(kappa.reason).toMatch(/one category/);
  });
});

describe('percentAgreement', () => {
  it('is the mean share of agreeing rater pairs (Fleiss P-bar on the worked example)', () => {
    const percent = percentAgreement(countsOf(FLEISS_WIKIPEDIA, 14), { bootstrap: false });
    expect(percent.value).toBeCloseTo(0.378021978021978, 12);
    expect(percent.expected).toBeNull();
  });

  it('with two raters is the share of items they agree on (Wikipedia Cohen example: 35 of 50)', () => {
    const table = twoRaters([
      ['yes', 'yes', 20],
      ['yes', 'no', 5],
      ['no', 'yes', 10],
      ['no', 'no', 15],
    ]);
    expect(percentAgreement(table.itemCounts(), { bootstrap: false }).value).toBeCloseTo(0.7, 12);
  });
});
