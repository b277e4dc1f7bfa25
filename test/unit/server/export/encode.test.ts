import { describe, expect, it } from 'vitest';
import { encodeJsonInto, JsonlChunk } from '../../../../server/export/encode';

describe('encodeJsonInto', () => {
  it('writes exactly the bytes of JSON.stringify, memo or not', () => {
    const long =
      'A "quoted" answer with a\nnewline, a tab\t, unicode é 漢字 😀 and a lone \ud800 surrogate. '.repeat(3);
    const shared = [{ role: 'user', content: long }];
    const values: unknown[] = [
      { prompt: long, chosen: ' ' + long, rejected: 'short', margin: 0.5 },
      { prompt: shared, chosen: [{ role: 'assistant', content: long }], extra: undefined, n: null },
      { input: { messages: shared }, list: [1, undefined, 'x', true, -0, 1e21], empty: {}, none: [] },
      { date: new Date(0), nested: { deeper: { deepest: [[long, 'x'.repeat(5000)]] } } },
      'plain',
      42,
      null,
    ];
    const memo = new Map<string, Buffer>();
    const chunk = new JsonlChunk(16); // tiny: it has to grow
    let expected = '';
    for (const value of values) {
      for (let i = 0; i < 2; i++) {
        encodeJsonInto(value, memo, chunk);
        chunk.text('\n');
        expected += JSON.stringify(value) + '\n';
      }
    }
    expect(chunk.size).toBeGreaterThan(0);
    expect(chunk.take().toString('utf8')).toBe(expected);
    expect(chunk.take().length).toBe(0);
  });
});
