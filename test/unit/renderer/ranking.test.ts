import { describe, expect, it } from 'vitest';
import {
  densify,
  hasTies,
  moveTo,
  presentedRanks,
  rankList,
  setRank,
  tieWith,
} from '../../../renderer/src/logic/ranking';

const order = ['a', 'b', 'c', 'd'];
const start = presentedRanks(order); // a1 b2 c3 d4

describe('rankList', () => {
  it('orders by rank, ties by presentation, unranked last', () => {
    expect(rankList({ c: 1, a: 2, d: 2 }, order)).toEqual([
      { id: 'c', rank: 1, tied: false },
      { id: 'a', rank: 2, tied: true },
      { id: 'd', rank: 2, tied: true },
      { id: 'b', rank: null, tied: false },
    ]);
  });
});

describe('setRank (digit key)', () => {
  it('moves the response to that rank and shifts the others down', () => {
    expect(setRank(start, order, 'c', 1)).toEqual({ c: 1, a: 2, b: 3, d: 4 });
    expect(setRank(start, order, 'a', 4)).toEqual({ b: 1, c: 2, d: 3, a: 4 });
  });

  it('takes a response out of a tie', () => {
    expect(setRank({ a: 1, b: 1, c: 2, d: 3 }, order, 'a', 1)).toEqual({ a: 1, b: 2, c: 3, d: 4 });
  });

  it('ranks an unranked response after the ranked ones when the rank is beyond them', () => {
    expect(setRank({ a: 1 }, order, 'c', 4)).toEqual({ a: 1, c: 2 });
  });

  it('never creates a tie', () => {
    for (const id of order) {
      for (let rank = 1; rank <= 4; rank++) expect(hasTies(setRank(start, order, id, rank))).toBe(false);
    }
  });
});

describe('tieWith (Shift+digit)', () => {
  it('shares the rank held by another response and renumbers densely', () => {
    expect(tieWith(start, order, 'd', 1)).toEqual({ a: 1, d: 1, b: 2, c: 3 });
  });

  it('joins an existing tie', () => {
    expect(tieWith({ a: 1, b: 1, c: 2, d: 3 }, order, 'd', 1)).toEqual({ a: 1, b: 1, d: 1, c: 2 });
  });

  it('falls back to a plain rank when nobody holds that rank', () => {
    expect(tieWith({ a: 1, b: 1, c: 2, d: 3 }, order, 'a', 4)).toEqual({ b: 1, c: 2, d: 3, a: 4 });
  });
});

describe('moveTo (drag and drop)', () => {
  it('reorders into a strict ranking', () => {
    expect(moveTo(start, order, 'a', 2, true)).toEqual({ b: 1, c: 2, a: 3, d: 4 });
    expect(moveTo(start, order, 'd', 0, true)).toEqual({ d: 1, a: 2, b: 3, c: 4 });
  });

  it('joins a tie when dropped between two tied responses', () => {
    expect(moveTo({ a: 1, b: 1, c: 2, d: 3 }, order, 'd', 1, true)).toEqual({ a: 1, d: 1, b: 1, c: 2 });
  });

  it('splits the tie instead when ties are not allowed', () => {
    expect(moveTo({ a: 1, b: 1, c: 2, d: 3 }, order, 'd', 1, false)).toEqual({ a: 1, d: 2, b: 3, c: 4 });
  });

  it('ranks the unranked responses above the drop point and leaves those below alone', () => {
    expect(moveTo({ a: 1 }, order, 'd', 2, true)).toEqual({ a: 1, b: 2, d: 3 });
  });
});

describe('densify', () => {
  it('closes gaps and keeps ties', () => {
    expect(densify({ a: 1, b: 3, c: 3, d: 7 }, order)).toEqual({ a: 1, b: 2, c: 2, d: 3 });
  });
});
