import { describe, expect, it } from 'vitest';
import {
  flattenPrompt,
  rankingToPairs,
  rankTiers,
  strengthMargin,
  toOpenAiRows,
  toRawRow,
  toTrlRows,
} from '../../../shared/export';
import type { Label } from '../../../shared/label';
import { Task } from '../../../shared/task';

const ranking4 = Task.parse({
  id: 'r4',
  kind: 'ranking',
  prompt: 'Name a prime.',
  responses: ['a', 'b', 'c', 'd'].map((id) => ({ id, text: `answer ${id}` })),
});
const pair = Task.parse({
  id: 'p1',
  kind: 'pairwise',
  prompt: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Capital of Australia?' },
  ],
  responses: [
    { id: 'x', text: 'Canberra.' },
    { id: 'y', text: 'Sydney.' },
  ],
  meta: { source: 'test' },
});

function label(task: Task, fields: Partial<Label>): Label {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    taskId: task.id,
    kind: task.kind,
    reviewerId: 'u1',
    deviceId: 'device-1',
    ranks: null,
    pairwise: null,
    tags: [],
    rationale: null,
    presentedOrder: task.responses.map((r) => r.id),
    orderSeed: `u1:${task.id}`,
    activeMs: 1234,
    guidelineVersion: 'g1',
    taxonomyVersion: 't1',
    acknowledgedWarnings: [],
    revision: 1,
    createdAt: '2025-03-01T09:00:00.000Z',
    updatedAt: '2025-03-01T09:00:01.000Z',
    ...fields,
  };
}

describe('rankingToPairs', () => {
  it('expands a strict 4-way ranking into all 6 ordered pairs, best first', () => {
    expect(rankingToPairs({ c: 3, a: 1, d: 4, b: 2 })).toEqual([
      ['a', 'b', 1],
      ['a', 'c', 2],
      ['a', 'd', 3],
      ['b', 'c', 1],
      ['b', 'd', 2],
      ['c', 'd', 1],
    ]);
  });

  it('skips pairs inside a tie', () => {
    expect(rankingToPairs({ a: 1, b: 1, c: 2 })).toEqual([
      ['a', 'c', 1],
      ['b', 'c', 1],
    ]);
    expect(rankingToPairs({ a: 1, b: 1 })).toEqual([]);
  });

  it('lists tiers best first', () => {
    expect(rankTiers({ a: 2, b: 1, c: 2 })).toEqual([['b'], ['a', 'c']]);
  });
});

describe('strengthMargin', () => {
  it('maps strengths to margins; unknown counts as unsure', () => {
    expect(
      ['significantly', 'better', 'slightly', 'negligibly', 'unsure'].map((s) => strengthMargin(s as never)),
    ).toEqual([3, 2, 1, 0.5, 0]);
    expect(strengthMargin(null)).toBe(0);
  });
});

describe('toTrlRows', () => {
  const ranked = label(ranking4, { ranks: { a: 2, b: 1, c: 3, d: 4 } });

  it('standard: one row per strict pair of a ranking, with the rank gap as margin', () => {
    const rows = toTrlRows(ranking4, ranked, { messages: false, margin: true });
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({ prompt: 'Name a prime.', chosen: 'answer b', rejected: 'answer a', margin: 1 });
    expect(rows[2]).toEqual({ prompt: 'Name a prime.', chosen: 'answer b', rejected: 'answer d', margin: 3 });
    expect(toTrlRows(ranking4, ranked, { messages: false, margin: false })[0]).toEqual({
      prompt: 'Name a prime.',
      chosen: 'answer b',
      rejected: 'answer a',
    });
  });

  it('ties produce fewer rows; an all-tie ranking none', () => {
    const tied = label(ranking4, { ranks: { a: 1, b: 1, c: 2, d: 2 } });
    expect(toTrlRows(ranking4, tied, { messages: false, margin: false })).toHaveLength(4);
    const flat = label(ranking4, { ranks: { a: 1, b: 1, c: 1, d: 1 } });
    expect(toTrlRows(ranking4, flat, { messages: false, margin: false })).toEqual([]);
  });

  it('pairwise A/B gives one row with the strength margin; a tie gives none', () => {
    const preferY = label(pair, {
      pairwise: { preferredResponseId: 'y', choice: 'B', strength: 'slightly' },
    });
    expect(toTrlRows(pair, preferY, { messages: false, margin: true })).toEqual([
      {
        prompt: '\n\nSystem: Be brief.\n\nHuman: Capital of Australia?\n\nAssistant:',
        chosen: ' Sydney.',
        rejected: ' Canberra.',
        margin: 1,
      },
    ]);
    const preferX = label(pair, {
      pairwise: { preferredResponseId: 'x', choice: 'A', strength: 'significantly' },
    });
    expect(toTrlRows(pair, preferX, { messages: true, margin: true })).toEqual([
      {
        prompt: pair.prompt,
        chosen: [{ role: 'assistant', content: 'Canberra.' }],
        rejected: [{ role: 'assistant', content: 'Sydney.' }],
        margin: 3,
      },
    ]);
    const tie = label(pair, { pairwise: { preferredResponseId: null, choice: 'tie', strength: null } });
    expect(toTrlRows(pair, tie, { messages: true, margin: true })).toEqual([]);
  });

  it('conversational rows wrap a string prompt as one user message', () => {
    const rows = toTrlRows(ranking4, ranked, { messages: true, margin: false });
    expect(rows[5]).toEqual({
      prompt: [{ role: 'user', content: 'Name a prime.' }],
      chosen: [{ role: 'assistant', content: 'answer c' }],
      rejected: [{ role: 'assistant', content: 'answer d' }],
    });
  });

  it('flattens chat prompts the hh-rlhf way and leaves strings alone', () => {
    expect(flattenPrompt('plain')).toBe('plain');
    expect(flattenPrompt([{ role: 'user', content: 'hi' }])).toBe('\n\nHuman: hi\n\nAssistant:');
  });

  it('names the label and response when a ranked id is not in the task', () => {
    const bad = label(ranking4, { ranks: { a: 1, zz: 2 } });
    expect(() => toTrlRows(ranking4, bad, { messages: false, margin: false })).toThrow(
      /has no response "zz"/,
    );
  });
});

describe('toOpenAiRows', () => {
  it('gives input messages and preferred / non-preferred assistant outputs', () => {
    const preferX = label(pair, { pairwise: { preferredResponseId: 'x', choice: 'A', strength: 'better' } });
    expect(toOpenAiRows(pair, preferX)).toEqual([
      {
        input: { messages: pair.prompt },
        preferred_output: [{ role: 'assistant', content: 'Canberra.' }],
        non_preferred_output: [{ role: 'assistant', content: 'Sydney.' }],
      },
    ]);
    expect(toOpenAiRows(ranking4, label(ranking4, { ranks: { a: 1, b: 2, c: 3, d: 4 } }))).toHaveLength(6);
  });
});

describe('toRawRow', () => {
  it('keeps every label field, tiers for ties and tags grouped per response', () => {
    const tied = label(ranking4, {
      ranks: { a: 1, b: 1, c: 2, d: 3 },
      tags: [
        { responseId: 'c', tagId: 'factual-error', severity: 'major' },
        { responseId: 'c', tagId: 'verbose', severity: 'minor' },
      ],
      rationale: { templateId: 'default', fields: { summary: 'a and b equally good' } },
      acknowledgedWarnings: ['rationaleMissing'],
      revision: 2,
    });
    const row = toRawRow(ranking4, tied, {
      reviewer: 'rita',
      projectId: 'proj',
      receivedAt: '2025-03-02T00:00:00.000Z',
      flagged: 'lease-lost',
    });
    expect(row).toEqual({
      labelId: tied.id,
      projectId: 'proj',
      taskId: 'r4',
      kind: 'ranking',
      prompt: 'Name a prime.',
      responses: ranking4.responses,
      reviewer: 'rita',
      deviceId: 'device-1',
      ranking: { ranks: { a: 1, b: 1, c: 2, d: 3 }, tiers: [['a', 'b'], ['c'], ['d']] },
      pairwise: null,
      tags: {
        a: [],
        b: [],
        c: [
          { tagId: 'factual-error', severity: 'major' },
          { tagId: 'verbose', severity: 'minor' },
        ],
        d: [],
      },
      rationale: { templateId: 'default', fields: { summary: 'a and b equally good' } },
      activeMs: 1234,
      guidelineVersion: 'g1',
      taxonomyVersion: 't1',
      presentedOrder: ['a', 'b', 'c', 'd'],
      orderSeed: 'u1:r4',
      acknowledgedWarnings: ['rationaleMissing'],
      revision: 2,
      createdAt: '2025-03-01T09:00:00.000Z',
      updatedAt: '2025-03-01T09:00:01.000Z',
      receivedAt: '2025-03-02T00:00:00.000Z',
      flagged: 'lease-lost',
      ruling: false,
      taskMeta: null,
    });
  });

  it('records the pairwise choice, strength and margin', () => {
    const tie = label(pair, { pairwise: { preferredResponseId: null, choice: 'tie', strength: null } });
    const row = toRawRow(pair, tie, { reviewer: 'r', projectId: 'p', receivedAt: 'now', flagged: null });
    expect(row.pairwise).toEqual({ preferredResponseId: null, choice: 'tie', strength: null, margin: 0 });
    expect(row.taskMeta).toEqual({ source: 'test' });
  });
});
