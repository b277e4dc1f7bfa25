import { describe, expect, it } from 'vitest';
import { agreementWithCoRaters, median } from '../../../shared/metrics/dashboard';

describe('dashboard helpers', () => {
  it('takes the median of the known values, nulls left out', () => {
    expect(median([])).toBeNull();
    expect(median([null, null])).toBeNull();
    expect(median([3, null, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("weights a reviewer's weekly agreement by the comparisons behind each week", () => {
    const row = {
      userId: 'u',
      username: 'u',
      podId: 'p',
      labels: [3, 5, 0],
      // week 1: 2 of 4 comparisons agree; week 2: 6 of 6; week 3: none
      agreement: [0.5, 1, null],
      agreementN: [4, 6, 0],
      goldAccuracy: [null, null, null],
    };
    expect(agreementWithCoRaters(row)).toBeCloseTo(8 / 10);
    expect(
      agreementWithCoRaters({ ...row, agreement: [null, null, null], agreementN: [0, 0, 0] }),
    ).toBeNull();
    expect(agreementWithCoRaters(undefined)).toBeNull();
  });
});
