import type { TrainingMode } from '../../../shared/training/ref';
import { STRENGTH_LABELS } from '../../../shared/preference';
import type { ItemFeedback, TagCheck } from '../../../shared/training/score';
import type { Severity } from '../../../shared/taxonomy';
import { letterOf } from './letters';

/**
 * Feedback in the words and letters the trainee saw: the scoring speaks in response ids, the
 * screen in A, B, C (presentation order), so every id goes through `presentedOrder`.
 */

type Judgement = ItemFeedback['judgement'];
type RankingResult = Extract<Judgement, { kind: 'ranking' }>;
type PairwiseResult = Extract<Judgement, { kind: 'pairwise' }>;

export const percent = (share: number) => `${Math.round(share * 100)}%`;

/** Letters of the responses at one rank, in presentation order. */
function lettersAt(
  ranks: Readonly<Record<string, number>>,
  rank: number,
  order: readonly string[],
): string[] {
  return order.filter((id) => ranks[id] === rank).map((id) => letterOf(order, id));
}

export interface RankRow {
  rank: number;
  /** letters the trainee put at this rank (several = a tie) */
  yours: string[];
  /** letters the key puts at this rank */
  key: string[];
  same: boolean;
}

/** One row per rank: the trainee's responses beside the key's. Ranks neither side used are left out. */
export function rankRows(
  result: Pick<RankingResult, 'expected' | 'given'>,
  order: readonly string[],
): RankRow[] {
  const used = new Set([...Object.values(result.expected), ...Object.values(result.given)]);
  return [...used]
    .sort((a, b) => a - b)
    .map((rank) => {
      const yours = lettersAt(result.given, rank, order);
      const key = lettersAt(result.expected, rank, order);
      return { rank, yours, key, same: yours.join() === key.join() };
    });
}

/**
 * Whether the tau condition held, read back from the result: with a top-1 condition, a half
 * score means exactly one of the two held.
 */
export function tauHeld(result: Pick<RankingResult, 'correct' | 'score' | 'topMatches'>): boolean {
  if (result.correct) return true;
  if (result.topMatches === null || result.topMatches) return false;
  return result.score > 0;
}

/** "0.33" for a tau, or words when it is undefined (one side ties everything). */
export const tauWords = (tau: number | null) => (tau === null ? 'not defined (all tied)' : tau.toFixed(2));

/** A pairwise answer in words: "B is better (Slightly better)", "Tie", "No choice". */
export function pairwiseAnswerWords(
  preferred: string | null,
  strength: string | null,
  order: readonly string[],
  answered = true,
): string {
  if (!answered) return 'No choice';
  if (preferred === null) return 'Tie: equally good';
  const words = `${letterOf(order, preferred)} is better`;
  return strength
    ? `${words} (${STRENGTH_LABELS[strength as keyof typeof STRENGTH_LABELS] ?? strength})`
    : words;
}

export function pairwiseRows(result: PairwiseResult, order: readonly string[]) {
  const answered = result.given.choice !== null;
  return {
    yours: pairwiseAnswerWords(result.given.preferred, result.given.strength, order, answered),
    key: pairwiseAnswerWords(result.expected.preferred, null, order),
    /** the strengths the key accepts, in words; empty for a tie key */
    band:
      result.expected.preferred === null ? [] : result.expected.strengths.map((s) => STRENGTH_LABELS[s] ?? s),
  };
}

export type TagVerdict = 'found' | 'missed' | 'too-low' | 'wrongly-added' | 'rightly-absent';

/** What one tag expectation came to, in the five cases the screen tells apart. */
export function tagVerdict(check: TagCheck): TagVerdict {
  if (check.expect === 'forbidden') return check.met ? 'rightly-absent' : 'wrongly-added';
  if (check.met) return 'found';
  return check.given === null ? 'missed' : 'too-low';
}

/** One sentence per tag check: "Missed: Factual error (at least major)". */
export function tagCheckWords(check: TagCheck, tagLabel: string): string {
  const min = check.minSeverity ? `at least ${check.minSeverity}` : null;
  switch (tagVerdict(check)) {
    case 'found':
      return `Tagged as expected: ${tagLabel} (${check.given})`;
    case 'missed':
      return `Missed: ${tagLabel}${min ? ` (${min})` : ''}`;
    case 'too-low':
      return `Severity too low: ${tagLabel}, you gave ${check.given}, ${min} needed`;
    case 'wrongly-added':
      return `Should not be tagged: ${tagLabel} (you gave ${check.given})`;
    case 'rightly-absent':
      return `Rightly not tagged: ${tagLabel}`;
  }
}

export interface TagGroup {
  letter: string;
  responseId: string;
  checks: { verdict: TagVerdict; text: string; met: boolean }[];
  /** tags the trainee added that the key does not mention */
  unmentioned: { tagId: string; label: string; severity: Severity }[];
}

/** Tag checks and unmentioned tags grouped by response, in presentation order. */
export function tagGroups(
  tags: ItemFeedback['tags'],
  order: readonly string[],
  labelOf: (tagId: string) => string,
): TagGroup[] {
  const ids = new Set([
    ...tags.checks.map((c) => c.responseId),
    ...tags.unmentioned.map((u) => u.responseId),
  ]);
  const position = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return [...ids]
    .sort((a, b) => position(a) - position(b))
    .map((responseId) => ({
      letter: letterOf(order, responseId),
      responseId,
      checks: tags.checks
        .filter((c) => c.responseId === responseId)
        .map((c) => ({ verdict: tagVerdict(c), text: tagCheckWords(c, labelOf(c.tagId)), met: c.met })),
      unmentioned: tags.unmentioned
        .filter((u) => u.responseId === responseId)
        .map((u) => ({ tagId: u.tagId, label: labelOf(u.tagId), severity: u.severity })),
    }));
}

/** Response notes keyed by the letter the trainee saw, in presentation order. */
export function notesByLetter(
  notes: Readonly<Record<string, string>>,
  order: readonly string[],
): { letter: string; responseId: string; text: string }[] {
  return order
    .filter((id) => notes[id]?.trim())
    .map((id) => ({ letter: letterOf(order, id), responseId: id, text: notes[id]! }));
}

/**
 * A pod answer summary ("b > a = c") in the trainee's letters ("B > A = C"), when every word in
 * it is a response id; any other text is left as the server wrote it.
 */
export function answerInLetters(answer: string, order: readonly string[]): string {
  const parts = answer.split(/(\s*[>=<,;]\s*|\s+)/);
  const words = parts.filter((_, i) => i % 2 === 0 && parts[i] !== '');
  if (!words.length || !words.every((w) => order.includes(w))) return answer;
  return parts.map((p, i) => (i % 2 === 0 && p !== '' ? letterOf(order, p) : p)).join('');
}

/** What an answer is set beside: an answer key (sandbox, exam, calibration) or a reviewer's label (shadowing). */
export interface ReferenceWords {
  /** the column heading */
  column: string;
  /** "the key", "the reviewer" */
  the: string;
  /** the heading of the explanation */
  explanation: string;
  /** tags the trainee gave that the reference does not have */
  unmentioned: string;
}

export const referenceWords = (mode: TrainingMode): ReferenceWords =>
  mode === 'shadow'
    ? {
        column: 'Reviewer',
        the: 'the reviewer',
        explanation: 'The reviewer’s rationale',
        unmentioned: 'Not given by the reviewer (not scored)',
      }
    : {
        column: 'Key',
        the: 'the key',
        explanation: 'Explanation',
        unmentioned: 'Not in the key (not scored)',
      };
