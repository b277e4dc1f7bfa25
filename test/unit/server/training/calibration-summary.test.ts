import { describe, expect, it } from 'vitest';
import {
  agreementWithOthers,
  answerSummary,
  disagreement,
  distribution,
  keySummary,
} from '../../../../shared/training/calibration';

const ranks = (r: Record<string, number>) => ({ ranks: r, pairwise: null });
const prefer = (id: string | null, strength: 'better' | 'slightly' | null = 'better') => ({
  ranks: null,
  pairwise: { preferredResponseId: id, choice: id === null ? ('tie' as const) : ('A' as const), strength },
});
const PAIR = ['r1', 'r2'];
const THREE = ['r1', 'r2', 'r3'];

describe('calibration answers in words', () => {
  it('sums up rankings (ties with =), pairwise choices with their strength, and ties', () => {
    expect(answerSummary(ranks({ r1: 2, r2: 1, r3: 2 }), THREE)).toBe('r2 > r1 = r3');
    expect(answerSummary(ranks({ r3: 1, r1: 2, r2: 3 }), THREE)).toBe('r3 > r1 > r2');
    expect(answerSummary(prefer('r2'), PAIR)).toBe('r2 > r1 (better)');
    expect(answerSummary(prefer('r1', null), PAIR)).toBe('r1 > r2');
    expect(answerSummary(prefer(null, null), PAIR)).toBe('r1 = r2');
    expect(answerSummary({ ranks: null, pairwise: null }, PAIR)).toBe('no answer');
  });

  it('says a key in the same words', () => {
    const common = { tags: [], explanation: 'x', responseNotes: {} };
    expect(
      keySummary(
        { kind: 'ranking', ranks: { r1: 1, r2: 3, r3: 2 }, topMustMatch: true, minTau: 0.6, ...common },
        THREE,
      ),
    ).toBe('r1 > r3 > r2');
    expect(
      keySummary({ kind: 'pairwise', preferred: 'r2', strengths: ['better', 'slightly'], ...common }, PAIR),
    ).toBe('r2 > r1 (better or slightly)');
    expect(keySummary({ kind: 'pairwise', preferred: null, strengths: ['better'], ...common }, PAIR)).toBe(
      'r1 = r2',
    );
  });
});

describe('agreement and disagreement', () => {
  it('pairwise: the share of the others preferring the same response, strength aside', () => {
    const others = [prefer('r1', 'slightly'), prefer('r2'), prefer('r1'), prefer(null, null)];
    expect(agreementWithOthers(prefer('r1'), others, PAIR)).toBe(0.5);
    expect(agreementWithOthers(prefer(null, null), others, PAIR)).toBe(0.25);
    expect(agreementWithOthers(null, others, PAIR)).toBeNull();
    expect(agreementWithOthers(prefer('r1'), [], PAIR)).toBeNull();
  });

  it('ranking: the share of response pairs ordered alike, averaged over the others', () => {
    const mine = ranks({ r1: 1, r2: 2, r3: 3 });
    // r1 > r3 > r2 agrees on (r1,r2) and (r1,r3), not (r2,r3): 2/3; the same ranking: 1
    expect(agreementWithOthers(mine, [ranks({ r1: 1, r3: 2, r2: 3 })], THREE)).toBeCloseTo(2 / 3, 6);
    expect(
      agreementWithOthers(mine, [ranks({ r1: 1, r3: 2, r2: 3 }), ranks({ r1: 1, r2: 2, r3: 3 })], THREE),
    ).toBeCloseTo(5 / 6, 6);
    // a tie agrees only with a tie
    expect(agreementWithOthers(ranks({ r1: 1, r2: 1, r3: 2 }), [mine], THREE)).toBeCloseTo(2 / 3, 6);
  });

  it('disagreement is 1 minus the modal share; the distribution lists the most common answer first', () => {
    expect(disagreement([])).toBe(0);
    expect(disagreement(['a', 'a', 'a'])).toBe(0);
    expect(disagreement(['a', 'b', 'a', 'c'])).toBe(0.5);
    expect(distribution(['b', 'a', 'b', 'c'], 'a')).toEqual([
      { answer: 'b', count: 2, mine: false },
      { answer: 'a', count: 1, mine: true },
      { answer: 'c', count: 1, mine: false },
    ]);
  });
});
