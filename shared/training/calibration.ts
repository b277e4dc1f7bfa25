import { z } from 'zod';
import type { Label } from '../label';
import { Id, Task } from '../task';
import type { AnswerKey } from './key';

/**
 * Calibration rounds (docs/training.md, "Calibration rounds"): the pure parts of a reveal. An
 * answer is summed up as a short string in the served response ids, so that the pod's answers can
 * be counted, shown side by side and compared with the reference.
 */

/** The part of an answer a round compares: the ranking, or the pairwise choice and strength. */
export type CalibrationAnswer = Pick<Label, 'ranks' | 'pairwise'>;

const byRank = (ranks: Readonly<Record<string, number>>): string =>
  Object.entries(ranks)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .map(([id, rank], i, all) => (i === 0 ? id : `${all[i - 1]![1] === rank ? ' = ' : ' > '}${id}`))
    .join('');

/**
 * An answer in a few words: a ranking as `r2 > r1 = r3`; a pairwise preference as `r1 > r2
 * (better)`; a tie as `r1 = r2`. `responses` are the task's response ids in their served order.
 */
export function answerSummary(answer: CalibrationAnswer, responses: readonly string[]): string {
  if (answer.ranks) return byRank(answer.ranks);
  const p = answer.pairwise;
  if (!p) return 'no answer';
  if (p.preferredResponseId === null) return responses.join(' = ');
  const other = responses.find((id) => id !== p.preferredResponseId) ?? '?';
  return `${p.preferredResponseId} > ${other}${p.strength ? ` (${p.strength})` : ''}`;
}

/** The key in the same words (a pairwise key names its accepted strengths). */
export function keySummary(key: AnswerKey, responses: readonly string[]): string {
  if (key.kind === 'ranking') return byRank(key.ranks);
  if (key.preferred === null) return responses.join(' = ');
  const other = responses.find((id) => id !== key.preferred) ?? '?';
  return `${key.preferred} > ${other} (${key.strengths.join(' or ')})`;
}

/**
 * The preference an answer implies for each pair of responses (`a|b` -> -1: a better, 0: tie,
 * 1: b better), strength aside. Null when the answer says nothing (no ranking, no choice).
 */
export function impliedPreferences(
  answer: CalibrationAnswer,
  responses: readonly string[],
): Map<string, number> | null {
  let rank: (id: string) => number;
  if (answer.ranks) {
    const ranks = answer.ranks;
    rank = (id) => ranks[id] ?? Number.POSITIVE_INFINITY;
  } else if (answer.pairwise) {
    const preferred = answer.pairwise.preferredResponseId;
    rank = (id) => (preferred === null || id === preferred ? 1 : 2);
  } else return null;
  const pairs = new Map<string, number>();
  const ids = [...responses].sort();
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++)
      pairs.set(`${ids[i]}|${ids[j]}`, Math.sign(rank(ids[i]!) - rank(ids[j]!)));
  return pairs;
}

/**
 * How far the others agree with one member on an item: for each other member who answered, the
 * share of response pairs on which their answers imply the same preference (ties included; for a
 * pairwise item, 1 or 0), averaged over those members. Null when the member did not answer or
 * nobody else did.
 */
export function agreementWithOthers(
  mine: CalibrationAnswer | null,
  others: readonly CalibrationAnswer[],
  responses: readonly string[],
): number | null {
  const own = mine ? impliedPreferences(mine, responses) : null;
  if (!own || own.size === 0) return null;
  const shares = others.flatMap((other) => {
    const theirs = impliedPreferences(other, responses);
    if (!theirs) return [];
    let same = 0;
    for (const [pair, sign] of own) if (theirs.get(pair) === sign) same++;
    return [same / own.size];
  });
  if (shares.length === 0) return null;
  return Math.round((shares.reduce((a, b) => a + b, 0) / shares.length) * 1e6) / 1e6;
}

/** How split the pod was: 1 - the share of the most common answer (0 with no answer). */
export function disagreement(summaries: readonly string[]): number {
  if (summaries.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const s of summaries) counts.set(s, (counts.get(s) ?? 0) + 1);
  const modal = Math.max(...counts.values());
  return Math.round((1 - modal / summaries.length) * 1e6) / 1e6;
}

/** One entry per distinct answer, most common first (ties in text order). */
export function distribution(
  summaries: readonly string[],
  mine: string | null,
): { answer: string; count: number; mine: boolean }[] {
  const counts = new Map<string, number>();
  for (const s of summaries) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([answer, count]) => ({ answer, count, mine: answer === mine }));
}

/** GET TRAINING_PATHS.discussion: a revealed round's items, most disputed first, for the lead. */
export const CalibrationDiscussion = z.strictObject({
  roundId: Id,
  podId: Id,
  title: z.string(),
  dueAt: z.string(),
  revealedAt: z.string(),
  members: z.number().int().min(0),
  /** members who answered every item */
  submitted: z.number().int().min(0),
  items: z.array(
    z.strictObject({
      task: Task,
      answers: z.number().int().min(0),
      distribution: z.array(z.strictObject({ answer: z.string(), count: z.number().int().min(0) })),
      referenceSource: z.enum(['key', 'lead']).nullable(),
      reference: z.string().nullable(),
      explanation: z.string().nullable(),
      disagreement: z.number().min(0).max(1),
    }),
  ),
});
export type CalibrationDiscussion = z.infer<typeof CalibrationDiscussion>;
