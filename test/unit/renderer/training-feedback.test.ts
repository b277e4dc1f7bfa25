import { describe, expect, it } from 'vitest';
import type { AnswerKeyInput } from '../../../shared/training/key';
import { AnswerKey } from '../../../shared/training/key';
import { type Judgement, scoreItem } from '../../../shared/training/score';
import { letterOf } from '../../../renderer/src/logic/letters';
import {
  answerInLetters,
  notesByLetter,
  pairwiseRows,
  percent,
  rankRows,
  tagCheckWords,
  tagGroups,
  tagVerdict,
  tauHeld,
  tauWords,
} from '../../../renderer/src/logic/trainingFeedback';

/** Feedback comes from the real scoring function, as on the workstation. */
const grade = (key: AnswerKeyInput, answer: Partial<Judgement>) =>
  scoreItem(AnswerKey.parse(key), { ranks: null, pairwise: null, tags: [], ...answer });

// the trainee saw r3 as A, r1 as B, r2 as C
const ORDER = ['r3', 'r1', 'r2'];

const rankingKey: AnswerKeyInput = {
  kind: 'ranking',
  ranks: { r1: 1, r2: 2, r3: 3 },
  explanation: 'r1 is the only correct answer.',
};

describe('letters', () => {
  it('names a response by the letter of its presented position', () => {
    expect(letterOf(ORDER, 'r3')).toBe('A');
    expect(letterOf(ORDER, 'r2')).toBe('C');
    expect(letterOf(ORDER, 'zz')).toBe('?');
  });
});

describe('ranking feedback in the letters the trainee saw', () => {
  it('puts the trainee ranking beside the key, rank by rank', () => {
    const feedback = grade(rankingKey, { ranks: { r3: 1, r1: 2, r2: 3 } });
    expect(feedback.judgement.kind).toBe('ranking');
    expect(rankRows(feedback.judgement as never, ORDER)).toEqual([
      { rank: 1, yours: ['A'], key: ['B'], same: false },
      { rank: 2, yours: ['B'], key: ['C'], same: false },
      { rank: 3, yours: ['C'], key: ['A'], same: false },
    ]);
  });

  it('lists tied responses together in presentation order and marks equal rows', () => {
    const rows = rankRows({ expected: { r1: 1, r2: 1, r3: 2 }, given: { r2: 1, r1: 1, r3: 2 } }, ORDER);
    expect(rows).toEqual([
      { rank: 1, yours: ['B', 'C'], key: ['B', 'C'], same: true },
      { rank: 2, yours: ['A'], key: ['A'], same: true },
    ]);
  });

  it('shows an unranked response as missing on the trainee side', () => {
    const rows = rankRows({ expected: { r1: 1, r2: 2, r3: 3 }, given: { r1: 1, r2: 2 } }, ORDER);
    expect(rows[2]).toEqual({ rank: 3, yours: [], key: ['A'], same: false });
  });

  it('reads back which ranking condition held', () => {
    // top matches, order of the rest swapped: tau 1/3 < 0.6
    const topOnly = grade(rankingKey, { ranks: { r1: 1, r3: 2, r2: 3 } });
    expect(topOnly.judgement).toMatchObject({ topMatches: true, score: 0.5 });
    expect(tauHeld(topOnly.judgement as never)).toBe(false);
    // tau high enough with a lenient threshold, top wrong
    const tauOnly = grade({ ...rankingKey, minTau: 0 }, { ranks: { r2: 1, r1: 2, r3: 3 } });
    expect(tauOnly.judgement).toMatchObject({ topMatches: false, score: 0.5 });
    expect(tauHeld(tauOnly.judgement as never)).toBe(true);
    const right = grade(rankingKey, { ranks: { r1: 1, r2: 2, r3: 3 } });
    expect(tauHeld(right.judgement as never)).toBe(true);
    const wrong = grade(rankingKey, { ranks: { r3: 1, r2: 2, r1: 3 } });
    expect(tauHeld(wrong.judgement as never)).toBe(false);
    const noTop = grade({ ...rankingKey, topMustMatch: false }, { ranks: { r3: 1, r2: 2, r1: 3 } });
    expect(tauHeld(noTop.judgement as never)).toBe(false);
  });

  it('words tau with two decimals, or says it is undefined', () => {
    expect(tauWords(1 / 3)).toBe('0.33');
    expect(tauWords(-1)).toBe('-1.00');
    expect(tauWords(null)).toBe('not defined (all tied)');
  });
});

describe('pairwise feedback', () => {
  const key: AnswerKeyInput = {
    kind: 'pairwise',
    preferred: 'p2',
    strengths: ['significantly', 'better'],
    explanation: 'p2 is right.',
  };
  const order = ['p2', 'p1']; // p2 was shown as A

  it('names the preferred response by its letter, with the strength and the accepted band', () => {
    const feedback = grade(key, {
      pairwise: { preferredResponseId: 'p2', choice: 'A', strength: 'slightly' },
    });
    expect(pairwiseRows(feedback.judgement as never, order)).toEqual({
      yours: 'A is better (Slightly better)',
      key: 'A is better',
      band: ['Significantly better', 'Better'],
    });
  });

  it('words a tie, an unanswered item and a tie key', () => {
    const tie = grade(key, { pairwise: { preferredResponseId: null, choice: 'tie', strength: null } });
    expect(pairwiseRows(tie.judgement as never, order).yours).toBe('Tie: equally good');
    const none = grade(key, {});
    expect(pairwiseRows(none.judgement as never, order).yours).toBe('No choice');
    const tieKey = grade({ ...key, preferred: null }, {});
    expect(pairwiseRows(tieKey.judgement as never, order)).toMatchObject({
      key: 'Tie: equally good',
      band: [],
    });
  });
});

describe('tag feedback', () => {
  const key: AnswerKeyInput = {
    kind: 'ranking',
    ranks: { r1: 1, r2: 2, r3: 3 },
    explanation: 'x',
    tags: [
      { responseId: 'r2', tagId: 'hallucination', expect: 'required', minSeverity: 'major' },
      { responseId: 'r2', tagId: 'formatting', expect: 'required' },
      { responseId: 'r3', tagId: 'unsafe', expect: 'required' },
      { responseId: 'r1', tagId: 'toxicity', expect: 'forbidden' },
      { responseId: 'r3', tagId: 'incoherent', expect: 'forbidden' },
    ],
  };
  const labels: Record<string, string> = {
    hallucination: 'Hallucination',
    formatting: 'Formatting',
    unsafe: 'Unsafe',
    toxicity: 'Toxicity',
    incoherent: 'Incoherent',
    verbosity: 'Verbosity',
  };
  const feedback = grade(key, {
    ranks: { r1: 1, r2: 2, r3: 3 },
    tags: [
      { responseId: 'r2', tagId: 'hallucination', severity: 'minor' },
      { responseId: 'r2', tagId: 'formatting', severity: 'minor' },
      { responseId: 'r1', tagId: 'toxicity', severity: 'critical' },
      { responseId: 'r3', tagId: 'verbosity', severity: 'minor' },
    ],
  });

  it('tells the five outcomes apart, in words', () => {
    const byTag = Object.fromEntries(feedback.tags.checks.map((c) => [c.tagId, c]));
    expect(tagVerdict(byTag.hallucination!)).toBe('too-low');
    expect(tagCheckWords(byTag.hallucination!, 'Hallucination')).toBe(
      'Severity too low: Hallucination, you gave minor, at least major needed',
    );
    expect(tagVerdict(byTag.formatting!)).toBe('found');
    expect(tagCheckWords(byTag.formatting!, 'Formatting')).toBe('Tagged as expected: Formatting (minor)');
    expect(tagVerdict(byTag.unsafe!)).toBe('missed');
    expect(tagCheckWords(byTag.unsafe!, 'Unsafe')).toBe('Missed: Unsafe');
    expect(tagVerdict(byTag.toxicity!)).toBe('wrongly-added');
    expect(tagCheckWords(byTag.toxicity!, 'Toxicity')).toBe(
      'Should not be tagged: Toxicity (you gave critical)',
    );
    expect(tagVerdict(byTag.incoherent!)).toBe('rightly-absent');
    expect(tagCheckWords(byTag.incoherent!, 'Incoherent')).toBe('Rightly not tagged: Incoherent');
  });

  it('groups checks and unmentioned tags by response, in presentation order', () => {
    const groups = tagGroups(feedback.tags, ORDER, (id) => labels[id] ?? id);
    expect(groups.map((g) => g.letter)).toEqual(['A', 'B', 'C']);
    const [a, b, c] = groups;
    expect(a!.checks.map((x) => x.verdict)).toEqual(['missed', 'rightly-absent']);
    expect(a!.unmentioned).toEqual([{ tagId: 'verbosity', label: 'Verbosity', severity: 'minor' }]);
    expect(b!.checks.map((x) => x.verdict)).toEqual(['wrongly-added']);
    expect(c!.checks.map((x) => [x.verdict, x.met])).toEqual([
      ['too-low', false],
      ['found', true],
    ]);
  });

  it('has no groups when the key expects no tags and none were added', () => {
    expect(tagGroups(grade(rankingKey, { ranks: { r1: 1, r2: 2, r3: 3 } }).tags, ORDER, String)).toEqual([]);
  });
});

describe('notes and reveal answers', () => {
  it('keys response notes by letter, in presentation order, skipping blank ones', () => {
    expect(notesByLetter({ r1: 'Right.', r2: '  ', r3: 'Wrong date.' }, ORDER)).toEqual([
      { letter: 'A', responseId: 'r3', text: 'Wrong date.' },
      { letter: 'B', responseId: 'r1', text: 'Right.' },
    ]);
  });

  it('turns a pod answer made of response ids into letters, and leaves other words alone', () => {
    expect(answerInLetters('r1 > r2 = r3', ORDER)).toBe('B > C = A');
    expect(answerInLetters('r2,r3', ORDER)).toBe('C,A');
    expect(answerInLetters('r1 better (slightly)', ORDER)).toBe('r1 better (slightly)');
    expect(answerInLetters('tie', ORDER)).toBe('tie');
    expect(answerInLetters('', ORDER)).toBe('');
  });

  it('rounds shares to whole percents', () => {
    expect(percent(0.855)).toBe('86%');
    expect(percent(0)).toBe('0%');
    expect(percent(1)).toBe('100%');
  });
});
