import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nominalAgreementOfRuns } from '../../../shared/metrics/count-runs';
import type { CountsRun } from '../../../shared/metrics/count-runs';
import { krippendorffAlpha } from '../../../shared/metrics/krippendorff';
import { percentAgreement } from '../../../shared/metrics/percent';
import { ItemCountsBuilder } from '../../../shared/metrics/ratings';

// The project metrics compute percent agreement and nominal alpha from count histograms
// (docs/metrics.md, "Flat memory"): the same numbers, to the last bit and with the same
// intervals, as the engine on the items laid out one after the other.

function engine(runs: readonly CountsRun[], raters: number, values: number, bootstrap: false | object) {
  const builder = new ItemCountsBuilder();
  for (const run of runs) builder.addItems(run.counts, run.times);
  const counts = builder.build(raters, values);
  return {
    percent: percentAgreement(counts, { bootstrap: bootstrap as false }),
    alpha: krippendorffAlpha(counts, 'nominal', null, { bootstrap: bootstrap as false }),
  };
}

const runsOf = (values: number, maxTimes: number) =>
  fc.array(
    fc.record({
      counts: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: values, maxLength: values }),
      times: fc.integer({ min: 0, max: maxTimes }),
    }),
    { maxLength: 12 },
  );

describe('nominalAgreementOfRuns', () => {
  it('equals the engine without intervals, bit for bit (two and three values)', () => {
    fc.assert(
      fc.property(fc.constantFrom(2, 3), fc.integer({ min: 1, max: 50 }), (values, raters) =>
        fc.assert(
          fc.property(runsOf(values, 400), (runs) => {
            expect(nominalAgreementOfRuns(runs, raters, values, { bootstrap: false })).toEqual(
              engine(runs, raters, values, false),
            );
          }),
          { numRuns: 20 },
        ),
      ),
      { numRuns: 10 },
    );
  });

  it('equals the engine with intervals: units resampled as they are, and in blocks beyond 2,000 items', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 3).chain((values) => fc.tuple(fc.constant(values), runsOf(values, 1500))),
        fc.integer({ min: 1, max: 1000 }),
        ([values, runs], seed) => {
          const bootstrap = { resamples: 200, seed };
          expect(nominalAgreementOfRuns(runs, 7, values, { bootstrap })).toEqual(
            engine(runs, 7, values, bootstrap),
          );
        },
      ),
      { numRuns: 15 },
    );
  });

  it('gives the hand-computed figures of a small case, and no item when every item has one value', () => {
    // two items (a, a, b) and (a, a): pairs agreeing 1/3 and 1 -> percent 2/3;
    // alpha: n = 5 values (4 a, 1 b), D_o = (2 * 2 * 1 / 2) / 5 = 0.4, D_e = 2 * 4 * 1 / (5 * 4) = 0.4
    const runs = [
      { counts: [2, 1], times: 1 },
      { counts: [2, 0], times: 1 },
    ];
    const { percent, alpha } = nominalAgreementOfRuns(runs, 3, 2, { bootstrap: false });
    expect(percent.value).toBeCloseTo(2 / 3, 15);
    expect(alpha.value).toBeCloseTo(0, 15);
    expect(percent.n).toEqual({ items: 2, raters: 3, pairable: 5 });
    const lone = nominalAgreementOfRuns([{ counts: [1, 0], times: 9 }], 3, 2, { bootstrap: {} });
    expect(lone.percent.value).toBeNull();
    expect(lone.percent.reason).toBe('no item has two or more values');
    expect(lone).toEqual(engine([{ counts: [1, 0], times: 9 }], 3, 2, {}));
  });
});
