import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileSorted } from '../../../shared/metrics/bootstrap';
import { ActiveTime, quantilesSelected } from '../../../shared/metrics/time';

// Time per task takes its median and p90 by selection instead of a sort (shared/metrics/time.ts):
// the same order statistics and arithmetic, so exactly quantileSorted's numbers.

describe('quantilesSelected', () => {
  it('equals quantileSorted on the sorted values, ties and repeats included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 1e7, noNaN: true })), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
        (values, qs) => {
          const ascending = [...qs].sort((a, b) => a - b);
          const sorted = Float64Array.from(values).sort();
          const selected = quantilesSelected(Float64Array.from(values), ascending);
          expect(selected).toEqual(ascending.map((q) => quantileSorted(sorted, q)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the hand-computed median and p90 of active time', () => {
    const time = new ActiveTime();
    for (const ms of [120, 30, 90, 50, 40, 70, 60]) time.add(ms * 1000);
    // sorted 30 40 50 60 70 90 120 s: median the 4th (60 s); p90 at 6 * 0.9 = 5.4: 90 + 0.4 * 30
    const summary = time.summary();
    expect([summary.count, summary.medianMs]).toEqual([7, 60_000]);
    expect(summary.p90Ms).toBeCloseTo(102_000, 6);
  });
});
