import { describe, expect, it } from 'vitest';
import { orderSeed, presentationOrder } from '../../../shared/order';

describe('presentationOrder', () => {
  const ids = ['r1', 'r2', 'r3', 'r4'];

  it('is a permutation of the response ids', () => {
    const order = presentationOrder(ids, orderSeed('alice', 't1'));
    expect([...order].sort()).toEqual(ids);
  });

  it('is stable for the same reviewer and task', () => {
    expect(presentationOrder(ids, 'alice:t1')).toEqual(presentationOrder(ids, 'alice:t1'));
  });

  it('varies across reviewers and puts every response first roughly equally often', () => {
    const firsts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const first = presentationOrder(ids, orderSeed(`reviewer-${i}`, 'task-7'))[0]!;
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    expect(firsts.size).toBe(4);
    for (const count of firsts.values()) {
      expect(count).toBeGreaterThan(800);
      expect(count).toBeLessThan(1200);
    }
  });

  it('does not mutate its input', () => {
    const input = [...ids];
    presentationOrder(input, 'x');
    expect(input).toEqual(ids);
  });
});
