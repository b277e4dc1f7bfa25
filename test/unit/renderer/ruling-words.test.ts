import { describe, expect, it } from 'vitest';
import { decisionWords, judgementWords } from '../../../renderer/src/logic/rulingWords';

describe('a ruling in the reviewer’s words', () => {
  it('says what the lead decided', () => {
    expect(decisionWords({ decision: 'label', lead: 'Lee' })).toBe(
      "Lee ruled on it: their judgement is the task's label now.",
    );
    expect(decisionWords({ decision: 'return', lead: 'Lee' })).toBe(
      'Lee sent it back to you: it is in your queue again.',
    );
  });

  it('names responses by the letters the reviewer saw, else by id', () => {
    const ranking = { kind: 'ranking' as const, ranks: { x: 2, y: 1, z: 3 }, pairwise: null };
    expect(judgementWords(ranking, ['z', 'y', 'x'])).toBe(
      'Ranked, best first: 1. Response B, 2. Response C, 3. Response A',
    );
    expect(judgementWords(ranking)).toBe(
      'Ranked, best first: 1. response "y", 2. response "x", 3. response "z"',
    );
    const pairwise = (preferred: string | null) => ({
      kind: 'pairwise' as const,
      ranks: null,
      pairwise: { preferredResponseId: preferred, choice: 'B' as const, strength: 'slightly' as const },
    });
    expect(judgementWords(pairwise('b'), ['a', 'b'])).toBe('Response B is better (slightly better).');
    expect(judgementWords(pairwise(null), ['a', 'b'])).toBe('The responses are equally good (a tie).');
  });
});
