import { describe, expect, it } from 'vitest';
import { kendallTauB, kendallW, midRanks } from '../../../shared/metrics/kendall';
import { RatingsTable } from '../../../shared/metrics/ratings';
import { kendallTauB as scoreKendallTauB } from '../../../shared/training/score';

/** a table from judges' rankings: rankings[judge][object] (null = not ranked) */
function rankings(rows: readonly (readonly (number | null)[])[]): RatingsTable {
  const table = new RatingsTable();
  rows.forEach((row, judge) =>
    row.forEach((rank, object) =>
      table.add(`o${object + 1}`, `j${judge + 1}`, rank === null ? null : String(rank)),
    ),
  );
  return table;
}

const w = (table: RatingsTable) => kendallW(table, table.numericValues(), { bootstrap: false });

describe('kendallW', () => {
  it('matches a published example without ties: 4 raters x 8 strawberry samples, W = 0.744', () => {
    // InfluentialPoints, "Kendall's coefficient of concordance", worked example I: rank sums
    // 31 12 12 15 22 5 22 25, S = 500, W = 500 / (504 x 16 / 12) = 0.744 (= 125/168).
    const table = rankings([
      [8, 4, 2, 3, 5, 1, 6, 7],
      [7, 3, 1, 4, 5, 2, 6, 8],
      [8, 2, 5, 6, 7, 1, 4, 3],
      [8, 3, 4, 2, 5, 1, 6, 7],
    ]);
    const result = w(table);
    expect(result.value).toBeCloseTo(0.744, 3);
    expect(result.value).toBeCloseTo(500 / 672, 12);
    expect(result.n).toEqual({ items: 8, raters: 4, pairable: 32 });
    expect(result.chiSquare).toBeCloseTo(20.83, 2);
  });

  it('applies the tie correction: the "anxiety" data of R irr::kendall(anxiety, correct = TRUE)', () => {
    // R package irr (Gamer et al.), data(anxiety), 20 subjects x 3 raters, scores with many ties;
    // the documented example kendall(anxiety, TRUE) gives Wt = 0.54, Chisq(19) = 30.8,
    // p = 0.0429 (Kendall 1948 formula). Recomputed independently: W = 0.539657, chi^2 = 30.760.
    const raters = [
      [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3],
      [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4],
      [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2],
    ];
    const result = w(rankings(raters));
    expect(result.value).toBeCloseTo(0.54, 2);
    expect(result.value).toBeCloseTo(0.5396568759543698, 12);
    expect(result.chiSquare).toBeCloseTo(30.8, 1);
  });

  it('drops objects some judge did not rank, and is 1 for identical rankings', () => {
    const result = w(
      rankings([
        [1, 2, 3, null],
        [1, 2, 3, 4],
        [1, 2, 3, 1],
      ]),
    );
    expect(result).toMatchObject({ value: 1, dropped: 1, meanSpearman: 1 });
    expect(result.n.items).toBe(3);
  });

  it('is null when fewer than two objects remain or every judge ties everything', () => {
    expect(w(rankings([[1], [1]])).value).toBeNull();
    const allTied = w(
      rankings([
        [1, 1, 1],
        [2, 2, 2],
      ]),
    );
    expect(allTied.value).toBeNull();
    expect(allTied.reason).toMatch(/tied/);
  });

  it('resamples judges reproducibly', () => {
    const table = rankings([
      [1, 2, 3, 4],
      [2, 1, 3, 4],
      [1, 3, 2, 4],
      [4, 3, 2, 1],
    ]);
    const a = kendallW(table, table.numericValues(), { bootstrap: { seed: 11 } });
    expect(a.ci95).toEqual(kendallW(table, table.numericValues(), { bootstrap: { seed: 11 } }).ci95);
    expect(a.bootstrap).toEqual({ resamples: 1000, seed: 11 });
  });
});

describe('midRanks', () => {
  it('gives tied values their mean rank and counts t^3 - t per tie group', () => {
    const { ranks, ties } = midRanks([10, 20, 10, 30, 20, 20]);
    expect([...ranks]).toEqual([1.5, 4, 1.5, 6, 4, 4]);
    expect(ties).toBe(2 ** 3 - 2 + (3 ** 3 - 3));
  });
});

describe('kendallTauB', () => {
  it('matches the scipy.stats.kendalltau docstring example with ties', () => {
    // scipy.stats.kendalltau, "Examples": x = [12, 2, 1, 12, 2], y = [1, 4, 7, 1, 0] gives
    // tau = -0.47140452079103173 (C = 2, D = 6, n1 = 2, n2 = 1: -4 / sqrt(8 x 9)).
    const x = { p0: 12, p1: 2, p2: 1, p3: 12, p4: 2 };
    const y = { p0: 1, p1: 4, p2: 7, p3: 1, p4: 0 };
    expect(kendallTauB(x, y)).toBeCloseTo(-0.47140452079103173, 12);
  });

  it('is the one implementation the graders use (re-exported by training/score)', () => {
    expect(scoreKendallTauB).toBe(kendallTauB);
  });
});
