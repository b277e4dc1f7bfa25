import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kendallW, kendallWOfRankings } from '../../../shared/metrics/kendall';
import { PositionBias, positionCode } from '../../../shared/metrics/position-bias';
import type { ShownLabel } from '../../../shared/metrics/position-bias';
import { RatingsTable } from '../../../shared/metrics/ratings';
import { ActiveTime } from '../../../shared/metrics/time';
import { parseJoined } from '../../../server/metrics/compute';

// The shortcuts the project metrics take at scale (docs/metrics.md, "Reading") give exactly what
// the engine gives label by label: same numbers, not merely close ones.

/** a few responses ranked, some unranked, ties allowed */
const ranking = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.integer({ min: 1, max: 4 }), {
  maxKeys: 5,
});

describe('kendallWOfRankings', () => {
  it("equals kendallW's value on the same ratings table, ties and missing objects included", () => {
    fc.assert(
      fc.property(fc.array(ranking, { minLength: 2, maxLength: 5 }), (rankings) => {
        const table = new RatingsTable();
        rankings.forEach((ranks, judge) => {
          for (const [id, rank] of Object.entries(ranks)) table.add(id, `j${judge}`, String(rank));
        });
        const engine = kendallW(table, table.numericValues(), { bootstrap: false }).value;
        expect(kendallWOfRankings(rankings)).toBe(engine);
      }),
      { numRuns: 500 },
    );
  });

  it('is null with fewer than two judges or objects in common', () => {
    expect(kendallWOfRankings([{ a: 1, b: 2 }, {}])).toBeNull();
    expect(kendallWOfRankings([{ a: 1 }, { b: 1 }])).toBeNull();
    expect(
      kendallWOfRankings([
        { a: 1, b: 2, c: 3 },
        { a: 1, b: 2, c: 3 },
      ]),
    ).toBe(1);
  });
});

const shownLabel: fc.Arbitrary<ShownLabel> = fc.oneof(
  fc.record({
    kind: fc.constant('ranking' as const),
    ranks: fc.option(ranking, { nil: null }),
    pairwise: fc.constant(null),
    presentedOrder: fc.shuffledSubarray(['a', 'b', 'c', 'd', 'e']),
  }),
  fc.record({
    kind: fc.constant('pairwise' as const),
    ranks: fc.constant(null),
    pairwise: fc.option(
      fc.record({
        choice: fc.constantFrom('A' as const, 'B' as const, 'tie' as const),
        strength: fc.constant(null),
        preferredResponseId: fc.constantFrom('a', 'b', 'x', null),
      }),
      { nil: null },
    ),
    presentedOrder: fc.shuffledSubarray(['a', 'b']),
  }),
);

describe('position codes', () => {
  it('labels counted by code give the position bias of the labels added one by one', () => {
    fc.assert(
      fc.property(fc.array(shownLabel, { maxLength: 40 }), (labels) => {
        const one = new PositionBias();
        const counted = new PositionBias();
        const byCode = new Map<string, number>();
        for (const label of labels) {
          one.add(label);
          const code = positionCode(label);
          byCode.set(code, (byCode.get(code) ?? 0) + 1);
        }
        for (const [code, times] of byCode) counted.addCode(code, times);
        expect(counted.pairwise()).toEqual(one.pairwise());
        // integer ranks: every mean rank is a multiple of 1/k and the sums come out the same
        const a = counted.ranking();
        const b = one.ranking();
        expect(a.map((p) => [p.position, p.n, p.meanRank])).toEqual(
          b.map((p) => [p.position, p.n, p.meanRank]),
        );
        a.forEach((p, i) => expect(p.expectedMeanRank).toBeCloseTo(b[i]!.expectedMeanRank, 12));
      }),
      { numRuns: 300 },
    );
  });

  it('names the first-shown choice, the other one, a tie, and ranks in shown order', () => {
    const pair = (preferredResponseId: string | null): ShownLabel => ({
      kind: 'pairwise',
      ranks: null,
      pairwise: { choice: 'A', strength: null, preferredResponseId },
      presentedOrder: ['b', 'a'],
    });
    expect([pair('b'), pair('a'), pair(null)].map(positionCode)).toEqual(['F', 'S', 'T']);
    expect(
      positionCode({
        kind: 'ranking',
        ranks: { a: 1, b: 3, c: 2 },
        pairwise: null,
        presentedOrder: ['c', 'x', 'a', 'b'],
      }),
    ).toBe('2,1,3');
    expect(
      positionCode({ kind: 'ranking', ranks: { a: 1 }, pairwise: null, presentedOrder: ['a', 'b'] }),
    ).toBe('');
  });
});

describe('active times read from the database', () => {
  it("reads joined whole numbers in both databases' forms, and anything else by Number()", () => {
    const into = new Float64Array(8);
    const end = parseJoined('61234,61234.0,0,7.5,1e3,9007199254740993', into, 1);
    expect(end).toBe(7);
    expect([...into.subarray(1, end)]).toEqual([61234, 61234, 0, 7.5, 1000, Number('9007199254740993')]);
    expect(parseJoined('', into, 3)).toBe(3);
  });

  it('arrays handed over whole give the quantiles of the values added one by one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: -5, max: 10_000 }), { maxLength: 30 }), { maxLength: 6 }),
        (chunks) => {
          const one = new ActiveTime();
          const whole = new ActiveTime();
          for (const chunk of chunks) {
            chunk.forEach((ms) => one.add(ms));
            whole.addAll(Float64Array.from(chunk));
          }
          expect(whole.summary()).toEqual(one.summary());
          expect(whole.summary()).toEqual(one.summary());
        },
      ),
    );
  });
});
