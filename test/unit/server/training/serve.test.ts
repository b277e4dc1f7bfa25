import { describe, expect, it } from 'vitest';
import type { TrainingItem } from '../../../../shared/training/key';
import { scoreItem } from '../../../../shared/training/score';
import { drawItems, servedKey, serveItem, stratumOf } from '../../../../server/training/serve';

/** a seeded PRNG (mulberry32), so a failure replays */
function seeded(seed: number) {
  let a = seed;
  return (max: number) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * max);
  };
}

const ranking: TrainingItem = {
  task: {
    id: 'rank-1',
    kind: 'ranking',
    prompt: 'Rank these',
    instructions: 'Be careful',
    guideline: 'default',
    allowTies: false,
    sensitive: true,
    responses: [
      { id: 'best', text: 'B', model: 'gpt-x' },
      { id: 'middle', text: 'M' },
      { id: 'worst', text: 'W' },
    ],
    meta: { topic: 'maths', level: 2 },
  },
  key: {
    kind: 'ranking',
    ranks: { best: 1, middle: 2, worst: 3 },
    topMustMatch: true,
    minTau: 0.6,
    tags: [{ responseId: 'worst', tagId: 'hallucination', expect: 'required', minSeverity: 'major' }],
    explanation: 'Why',
    responseNotes: { worst: 'made up' },
  },
};

describe('serving exam items', () => {
  it('renames responses r1..rN in a random order and drops model and meta, keeping the rest', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const served = serveItem('att-1', 3, ranking, seeded(seed));
      expect(served.task).toEqual({
        id: 'att-1.3',
        kind: 'ranking',
        prompt: 'Rank these',
        instructions: 'Be careful',
        guideline: 'default',
        allowTies: false,
        sensitive: true,
        responses: ['r1', 'r2', 'r3'].map((id) => ({
          id,
          text: ranking.task.responses.find((r) => r.id === served.responses[id])!.text,
        })),
      });
      expect(Object.values(served.responses).sort()).toEqual(['best', 'middle', 'worst']);
      seen.add(served.task.responses.map((r) => r.text).join(''));
    }
    // every one of the 6 orders turns up: the bank's order says nothing
    expect(seen.size).toBe(6);
  });

  it('grades in the served ids: the key translated, feedback naming what the trainee saw', () => {
    const served = serveItem('att-1', 1, ranking, seeded(7));
    const toServed = Object.fromEntries(Object.entries(served.responses).map(([s, b]) => [b, s]));
    const key = servedKey(ranking.key, served.responses);
    expect(key).toMatchObject({
      ranks: { [toServed.best!]: 1, [toServed.middle!]: 2, [toServed.worst!]: 3 },
      tags: [{ responseId: toServed.worst, tagId: 'hallucination' }],
      responseNotes: { [toServed.worst!]: 'made up' },
    });
    const feedback = scoreItem(key, {
      ranks: { [toServed.best!]: 1, [toServed.middle!]: 2, [toServed.worst!]: 3 },
      pairwise: null,
      tags: [{ responseId: toServed.worst!, tagId: 'hallucination', severity: 'critical' }],
    });
    expect([feedback.score, feedback.correct]).toEqual([1, true]);
  });

  it('translates a pairwise key and a tie', () => {
    const pairwise = {
      kind: 'pairwise' as const,
      preferred: 'chosen',
      strengths: ['better' as const],
      tags: [],
      explanation: 'x',
      responseNotes: {},
    };
    expect(servedKey(pairwise, { r1: 'rejected', r2: 'chosen' })).toMatchObject({ preferred: 'r2' });
    expect(servedKey({ ...pairwise, preferred: null }, { r1: 'rejected', r2: 'chosen' })).toMatchObject({
      preferred: null,
    });
  });
});

describe('drawing items', () => {
  const bank = [
    ...Array.from({ length: 6 }, (_, i) => ({ itemId: `a${i}`, stratum: 'a' })),
    ...Array.from({ length: 3 }, (_, i) => ({ itemId: `b${i}`, stratum: 'b' })),
    { itemId: 'c0', stratum: null },
  ];

  it('draws n distinct items at random', () => {
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 200; seed++) {
      const drawn = drawItems(bank, 4, false, seeded(seed));
      expect(new Set(drawn).size).toBe(4);
      for (const id of drawn) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(counts.size).toBe(10);
    expect(() => drawItems(bank, 11, false)).toThrow(/cannot draw 11 items from a bank of 10/);
  });

  it('stratified: proportional shares by largest remainder, random within each stratum', () => {
    for (let seed = 0; seed < 100; seed++) {
      // 5 of 10: a 3, b 1.5, none 0.5 -> a 3, then b and none tie on .5: one of them gets the last
      const drawn = drawItems(bank, 5, true, seeded(seed));
      const per = (p: string) => drawn.filter((id) => id.startsWith(p)).length;
      expect(per('a')).toBe(3);
      expect(per('b') + per('c')).toBe(2);
      expect(per('b')).toBeGreaterThanOrEqual(1);
      // 7 of 10: a 4.2, b 2.1, none 0.7 -> 4, 2, 1
      const seven = drawItems(bank, 7, true, seeded(seed));
      expect(['a', 'b', 'c'].map((p) => seven.filter((id) => id.startsWith(p)).length)).toEqual([4, 2, 1]);
    }
    // all of the bank: every item once
    expect(drawItems(bank, 10, true, seeded(1)).sort()).toEqual(bank.map((b) => b.itemId).sort());
  });

  it('reads a stratum at a dotted path of the item line', () => {
    expect(stratumOf(ranking, 'meta.topic')).toBe('maths');
    expect(stratumOf(ranking, 'meta.level')).toBe('2');
    expect(stratumOf(ranking, 'kind')).toBe('ranking');
    expect(stratumOf(ranking, 'key.kind')).toBe('ranking');
    expect(stratumOf(ranking, 'meta.missing')).toBeNull();
    expect(stratumOf(ranking, 'prompt.length')).toBeNull();
  });
});
