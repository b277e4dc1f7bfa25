import { describe, expect, it } from 'vitest';
import type { PairwiseChoice, PreferenceStrength, TagAssignment } from '../../../shared/label';
import { AnswerKey } from '../../../shared/training/key';
import type { AnswerKeyInput } from '../../../shared/training/key';
import type { Judgement } from '../../../shared/training/score';
import {
  ItemFeedback,
  attemptScore,
  judgementOf,
  kendallTauB,
  passes,
  scoreItem,
} from '../../../shared/training/score';

/** keys as authors write them, defaults filled in by the schema (as item files do) */
const key = (input: Partial<AnswerKeyInput> & Pick<AnswerKeyInput, 'kind'>): AnswerKey =>
  AnswerKey.parse({ explanation: 'Why.', ...input });

const rankingKey = (extra: Partial<Extract<AnswerKeyInput, { kind: 'ranking' }>> = {}) =>
  key({ kind: 'ranking', ranks: { r1: 1, r2: 2, r3: 3, r4: 4 }, ...extra });

const ranked = (ranks: Record<string, number>, tags: TagAssignment[] = []): Judgement => ({
  ranks,
  pairwise: null,
  tags,
});

const chose = (
  preferredResponseId: string | null,
  strength: PreferenceStrength | null,
  choice: PairwiseChoice = preferredResponseId === null ? 'tie' : preferredResponseId === 'a' ? 'A' : 'B',
): Judgement => ({ ranks: null, pairwise: { preferredResponseId, choice, strength }, tags: [] });

describe('kendallTauB', () => {
  it('matches the worked example with ties in the scipy.stats.kendalltau documentation', () => {
    // scipy.stats.kendalltau docstring, "Examples": x1 = [12, 2, 1, 12, 2], x2 = [1, 4, 7, 1, 0]
    // gives tau = -0.47140452079103173. By hand over the 10 pairs: concordant C = 2 (pairs 0-4,
    // 3-4), discordant D = 6 (0-1, 0-2, 1-2, 1-3, 2-3, 2-4), tied in x n1 = 2 (0-3, 1-4), tied in
    // y n2 = 1 (0-3, tied in both); tau-b = (C - D) / sqrt((n0 - n1)(n0 - n2)) = -4 / sqrt(8 x 9).
    const x = { p0: 12, p1: 2, p2: 1, p3: 12, p4: 2 };
    const y = { p0: 1, p1: 4, p2: 7, p3: 1, p4: 0 };
    expect(kendallTauB(x, y)).toBeCloseTo(-4 / Math.sqrt(72), 12);
    expect(kendallTauB(x, y)).toBeCloseTo(-0.47140452079103173, 12);
    expect(kendallTauB(y, x)).toBeCloseTo(-0.47140452079103173, 12);
  });

  it('is 1 for the same order, -1 reversed, null when one side ties everything', () => {
    const order = { a: 1, b: 2, c: 3 };
    expect(kendallTauB(order, { a: 1, b: 2, c: 3 })).toBe(1);
    expect(kendallTauB(order, { a: 3, b: 2, c: 1 })).toBe(-1);
    expect(kendallTauB(order, { a: 1, b: 1, c: 1 })).toBeNull();
    // ties on one side only: C = 2 (a-c, b-c), D = 0, n0 = 3, n1 = 0, n2 = 1 -> 2 / sqrt(3 x 2)
    expect(kendallTauB(order, { a: 1, b: 1, c: 2 })).toBeCloseTo(2 / Math.sqrt(6), 12);
  });
});

describe('scoreItem: ranking', () => {
  it('the exact ranking scores 1 and is correct', () => {
    const feedback = scoreItem(rankingKey(), ranked({ r1: 1, r2: 2, r3: 3, r4: 4 }));
    expect(feedback).toMatchObject({ score: 1, correct: true });
    expect(feedback.judgement).toMatchObject({ kind: 'ranking', tau: 1, topMatches: true, minTau: 0.6 });
    expect(() => ItemFeedback.parse(feedback)).not.toThrow();
  });

  it('the top right but tau below minTau: 0.5', () => {
    // r1 first, the rest reversed: C = 3, D = 3 -> tau 0
    const feedback = scoreItem(rankingKey(), ranked({ r1: 1, r4: 2, r3: 3, r2: 4 }));
    expect(feedback.judgement).toMatchObject({ tau: 0, topMatches: true, correct: false });
    expect([feedback.score, feedback.correct]).toEqual([0.5, false]);
  });

  it('tau reaches minTau but the top is wrong (topMustMatch): 0.5', () => {
    // the first two swapped: C = 5, D = 1 -> tau 4/6
    const feedback = scoreItem(rankingKey(), ranked({ r2: 1, r1: 2, r3: 3, r4: 4 }));
    expect(feedback.judgement).toMatchObject({ topMatches: false });
    expect((feedback.judgement as { tau: number }).tau).toBeCloseTo(2 / 3, 12);
    expect([feedback.score, feedback.correct]).toEqual([0.5, false]);
  });

  it('both wrong: 0', () => {
    const feedback = scoreItem(rankingKey(), ranked({ r4: 1, r3: 2, r2: 3, r1: 4 }));
    expect(feedback.judgement).toMatchObject({ tau: -1, topMatches: false });
    expect([feedback.score, feedback.correct]).toEqual([0, false]);
  });

  it('topMustMatch false: tau alone decides (1 or 0), topMatches null', () => {
    const loose = rankingKey({ topMustMatch: false });
    const swapped = scoreItem(loose, ranked({ r2: 1, r1: 2, r3: 3, r4: 4 }));
    expect(swapped.judgement).toMatchObject({ topMatches: null, correct: true });
    expect(swapped.score).toBe(1);
    expect(scoreItem(loose, ranked({ r1: 1, r4: 2, r3: 3, r2: 4 })).score).toBe(0);
  });

  it('minTau is a threshold reached at equality', () => {
    // tau 4/6 exactly against minTau 4/6, and just above
    const answer = ranked({ r2: 1, r1: 2, r3: 3, r4: 4 });
    expect(scoreItem(rankingKey({ topMustMatch: false, minTau: 4 / 6 }), answer).score).toBe(1);
    expect(scoreItem(rankingKey({ topMustMatch: false, minTau: 0.67 }), answer).score).toBe(0);
  });

  it('ties in the key and in the answer', () => {
    const tiedKey = rankingKey({ ranks: { r1: 1, r2: 1, r3: 2, r4: 3 } });
    // the same ties: tau 1, the same rank-1 set
    expect(scoreItem(tiedKey, ranked({ r2: 1, r1: 1, r3: 2, r4: 3 })).score).toBe(1);
    // the tie broken: C = 5, D = 0, key ties n1 = 1 -> tau 5 / sqrt(5 x 6) = 0.913, but the
    // rank-1 set {r1} is not the key's {r1, r2}
    const broken = scoreItem(tiedKey, ranked({ r1: 1, r2: 2, r3: 3, r4: 4 }));
    expect((broken.judgement as { tau: number }).tau).toBeCloseTo(5 / Math.sqrt(30), 12);
    expect(broken.judgement).toMatchObject({ topMatches: false });
    expect(broken.score).toBe(0.5);
    // a tie the key does not have, below the top: tau 5 / sqrt(6 x 5) still passes
    expect(scoreItem(rankingKey(), ranked({ r1: 1, r2: 2, r3: 3, r4: 3 })).score).toBe(1);
    // everything tied on both sides agrees (tau-b is undefined there)
    const allTied = rankingKey({ ranks: { r1: 1, r2: 1, r3: 1, r4: 1 } });
    const both = scoreItem(allTied, ranked({ r1: 1, r2: 1, r3: 1, r4: 1 }));
    expect(both.judgement).toMatchObject({ tau: null, correct: true });
    // everything tied against a strict key: tau undefined, not agreement
    const flat = scoreItem(rankingKey(), ranked({ r1: 1, r2: 1, r3: 1, r4: 1 }));
    expect(flat.judgement).toMatchObject({ tau: null, topMatches: false });
    expect(flat.score).toBe(0);
  });

  it('an incomplete answer scores 0 (no tau, top not matched)', () => {
    const feedback = scoreItem(rankingKey(), ranked({ r1: 1, r2: 2, r3: 3 }));
    expect(feedback.judgement).toMatchObject({ tau: null, topMatches: false, correct: false });
    expect(feedback.score).toBe(0);
    expect(scoreItem(rankingKey(), { ranks: null, pairwise: null, tags: [] }).score).toBe(0);
  });
});

describe('scoreItem: pairwise', () => {
  const pairKey = (extra: Partial<Extract<AnswerKeyInput, { kind: 'pairwise' }>> = {}) =>
    key({ kind: 'pairwise', preferred: 'a', strengths: ['significantly', 'better'], ...extra });

  it('the right direction with a strength in the band: 1', () => {
    const feedback = scoreItem(pairKey(), chose('a', 'better'));
    expect(feedback).toMatchObject({ score: 1, correct: true });
    expect(feedback.judgement).toMatchObject({
      kind: 'pairwise',
      directionCorrect: true,
      strengthInBand: true,
      expected: { preferred: 'a', strengths: ['significantly', 'better'] },
      given: { preferred: 'a', choice: 'A', strength: 'better' },
    });
  });

  it('the right direction, strength out of the band or missing: 0.5', () => {
    const slight = scoreItem(pairKey(), chose('a', 'slightly'));
    expect(slight.judgement).toMatchObject({ directionCorrect: true, strengthInBand: false });
    expect([slight.score, slight.correct]).toEqual([0.5, false]);
    const none = scoreItem(pairKey(), chose('a', null));
    expect(none.judgement).toMatchObject({ directionCorrect: true, strengthInBand: false });
    expect(none.score).toBe(0.5);
  });

  it('the default band accepts significantly, better and slightly', () => {
    const band = key({ kind: 'pairwise', preferred: 'b' });
    expect(scoreItem(band, chose('b', 'slightly')).score).toBe(1);
    expect(scoreItem(band, chose('b', 'negligibly')).score).toBe(0.5);
  });

  it('the wrong direction: 0, whatever the strength', () => {
    const feedback = scoreItem(pairKey(), chose('b', 'significantly'));
    expect(feedback.judgement).toMatchObject({ directionCorrect: false });
    expect(feedback.score).toBe(0);
    expect(scoreItem(pairKey(), { ranks: null, pairwise: null, tags: [] }).score).toBe(0);
  });

  it('a tie key: a tie answer is correct (no strength asked), a preference is wrong', () => {
    const tie = pairKey({ preferred: null });
    const tied = scoreItem(tie, chose(null, null));
    expect(tied.judgement).toMatchObject({ directionCorrect: true, strengthInBand: null, correct: true });
    expect(tied.score).toBe(1);
    expect(scoreItem(tie, chose('a', 'slightly')).score).toBe(0);
  });

  it('a preference key against a tie answer: 0', () => {
    const feedback = scoreItem(pairKey(), chose(null, null));
    expect(feedback.judgement).toMatchObject({ directionCorrect: false, strengthInBand: false });
    expect(feedback.score).toBe(0);
  });
});

describe('scoreItem: tags and weighting', () => {
  const tagged = rankingKey({
    tags: [
      { responseId: 'r4', tagId: 'hallucination', expect: 'required', minSeverity: 'major' },
      { responseId: 'r3', tagId: 'off-topic', expect: 'required' },
      { responseId: 'r1', tagId: 'hallucination', expect: 'forbidden' },
    ],
    explanation: 'r4 invents a date.',
    responseNotes: { r4: 'The date is not in the passage.' },
    guidelineSection: 'Grounding',
  });
  const exact = { r1: 1, r2: 2, r3: 3, r4: 4 };
  const tag = (responseId: string, tagId: string, severity: TagAssignment['severity']): TagAssignment => ({
    responseId,
    tagId,
    severity,
  });

  it('every expectation met: 0.7 x 1 + 0.3 x 1, correct; the key explanation and notes come along', () => {
    const feedback = scoreItem(
      tagged,
      ranked(exact, [tag('r4', 'hallucination', 'major'), tag('r3', 'off-topic', 'minor')]),
    );
    expect(feedback).toMatchObject({
      score: 1,
      correct: true,
      explanation: 'r4 invents a date.',
      responseNotes: { r4: 'The date is not in the passage.' },
      guidelineSection: 'Grounding',
    });
    expect(feedback.tags.checks.map((c) => c.met)).toEqual([true, true, true]);
  });

  it('minSeverity: below misses, at and above meet', () => {
    const check = (severity: TagAssignment['severity']) =>
      scoreItem(
        tagged,
        ranked(exact, [tag('r4', 'hallucination', severity), tag('r3', 'off-topic', 'minor')]),
      ).tags.checks[0]!;
    expect(check('minor')).toEqual({
      responseId: 'r4',
      tagId: 'hallucination',
      expect: 'required',
      minSeverity: 'major',
      given: 'minor',
      met: false,
    });
    expect(check('major').met).toBe(true);
    expect(check('critical').met).toBe(true);
  });

  it('a required tag missed and a forbidden one present: the share met, not correct', () => {
    // required r4 missed, required r3 met, forbidden r1 present: 1 of 3 met
    const feedback = scoreItem(
      tagged,
      ranked(exact, [tag('r3', 'off-topic', 'major'), tag('r1', 'hallucination', 'minor')]),
    );
    expect(feedback.tags.checks.map((c) => [c.given, c.met])).toEqual([
      [null, false],
      ['major', true],
      ['minor', false],
    ]);
    expect(feedback.tags.score).toBeCloseTo(1 / 3, 12);
    expect(feedback.score).toBeCloseTo(0.7 + 0.3 / 3, 6);
    expect(feedback.correct).toBe(false);
  });

  it('a judgement of 0.5 with all tags met: 0.7 x 0.5 + 0.3 = 0.65, not correct', () => {
    const feedback = scoreItem(
      tagged,
      ranked({ r2: 1, r1: 2, r3: 3, r4: 4 }, [
        tag('r4', 'hallucination', 'critical'),
        tag('r3', 'off-topic', 'minor'),
      ]),
    );
    expect([feedback.score, feedback.correct, feedback.tags.score]).toEqual([0.65, false, 1]);
  });

  it('the right judgement with every tag missed: 0.7', () => {
    const feedback = scoreItem(tagged, ranked(exact, [tag('r1', 'hallucination', 'major')]));
    expect([feedback.score, feedback.correct, feedback.tags.score]).toEqual([0.7, false, 0]);
  });

  it('tags the key does not mention are listed, not scored', () => {
    const plain = rankingKey();
    const feedback = scoreItem(plain, ranked(exact, [tag('r2', 'verbose', 'minor')]));
    expect(feedback.tags).toEqual({
      score: 1,
      checks: [],
      unmentioned: [{ responseId: 'r2', tagId: 'verbose', severity: 'minor' }],
    });
    expect([feedback.score, feedback.correct]).toEqual([1, true]);
    // on a tagged key too: the extra tag changes nothing
    const extra = scoreItem(
      tagged,
      ranked(exact, [
        tag('r4', 'hallucination', 'major'),
        tag('r3', 'off-topic', 'minor'),
        tag('r2', 'verbose', 'minor'),
      ]),
    );
    expect(extra.tags.unmentioned).toEqual([{ responseId: 'r2', tagId: 'verbose', severity: 'minor' }]);
    expect(extra.score).toBe(1);
  });

  it('a forbidden tag left off is met', () => {
    const forbidOnly = rankingKey({
      tags: [{ responseId: 'r1', tagId: 'hallucination', expect: 'forbidden' }],
    });
    expect(scoreItem(forbidOnly, ranked(exact)).tags.checks[0]).toMatchObject({
      given: null,
      met: true,
      minSeverity: null,
    });
  });
});

describe('attemptScore and passes', () => {
  it('the mean over every drawn item, an unanswered (null) one counting 0', () => {
    expect(attemptScore([1, 0.5, null, 0.7])).toBeCloseTo(2.2 / 4, 6);
    expect(attemptScore([null, null])).toBe(0);
    expect(attemptScore([])).toBe(0);
    expect(attemptScore([1, 1, 1])).toBe(1);
  });

  it('passes at the pass mark exactly, not below', () => {
    const score = attemptScore([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(score).toBe(0.8);
    expect(passes(score, 0.8)).toBe(true);
    // 0.7 + 0.1 is 0.7999999999999999 in floating point: still the pass mark
    expect(passes(0.7 + 0.1, 0.8)).toBe(true);
    expect(passes(0.799, 0.8)).toBe(false);
    expect(passes(attemptScore([1, 1, 1, 1, 1, 1, 1, 0.5, 0, 0]), 0.8)).toBe(false);
  });
});

describe('judgementOf: the judgement a label built from the work holds', () => {
  const work = (choice: 'A' | 'B' | 'tie' | null) => ({
    ranks: { x: 2, y: 1 },
    pairwise: { choice, strength: choice === 'tie' ? null : ('better' as const) },
    tags: [{ responseId: 'x', tagId: 'hallucination', severity: 'major' as const }],
  });

  it('maps A and B to the responses shown first and second; no choice is a tie', () => {
    expect(judgementOf('pairwise', work('A'), ['y', 'x']).pairwise).toEqual({
      preferredResponseId: 'y',
      choice: 'A',
      strength: 'better',
    });
    expect(judgementOf('pairwise', work('B'), ['y', 'x']).pairwise?.preferredResponseId).toBe('x');
    expect(judgementOf('pairwise', work(null), ['y', 'x']).pairwise).toEqual({
      preferredResponseId: null,
      choice: 'tie',
      strength: 'better',
    });
    expect(judgementOf('pairwise', work('A'), ['y', 'x']).ranks).toBeNull();
  });

  it('keeps ranks for rankings only, and copies the tags', () => {
    const w = work(null);
    const j = judgementOf('ranking', w, ['x', 'y']);
    expect(j).toEqual({ ranks: { x: 2, y: 1 }, pairwise: null, tags: w.tags });
    expect(j.tags[0]).not.toBe(w.tags[0]);
  });
});
