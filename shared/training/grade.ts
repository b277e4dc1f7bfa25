import type { Label, WorkState } from '../label';
import { kendallTauB } from '../metrics/kendall';
import type { Severity } from '../taxonomy';
import type { AnswerKey, TagExpectation } from './key';
import type { ItemFeedback, TagCheck } from './score';

/**
 * Scoring (docs/training.md, "Scoring rules"). One pure function grades on the server and gives
 * sandbox feedback on the workstation, so the two can never disagree. Plain TypeScript without zod, so the renderer bundle
 * carries no zod (issue 12); the feedback's schemas are in score.ts.
 *
 * - Ranking: the conditions are "Kendall tau-b >= minTau" and, when `topMustMatch`, "the
 *   trainee's rank-1 responses are exactly the key's". All hold: 1 (correct); some: 0.5; none: 0.
 * - Pairwise: the preferred response (or a tie) matches, and for a non-tie its strength is in the
 *   accepted band: 1 (correct); direction right but strength outside the band: 0.5; otherwise 0.
 * - Tags: each expectation is met or not (required: the tag is on that response with at least
 *   the minimum severity; forbidden: it is not); the part scores the share met (1 when none).
 * - Item: judgement alone when the key expects no tags, else 0.7 x judgement + 0.3 x tags;
 *   correct when the judgement is correct and every tag expectation is met.
 */
export const JUDGEMENT_WEIGHT = 0.7;
export const TAGS_WEIGHT = 0.3;

/** What is graded of an answer: a submitted label's judgement (response ids, never positions). */
export type Judgement = Pick<Label, 'ranks' | 'pairwise' | 'tags'>;

/**
 * The judgement in a reviewer's work, by response id: what a label built from it holds
 * (pairwise A and B are the responses shown first and second; no choice counts as a tie).
 */
export function judgementOf(
  kind: Label['kind'],
  work: Pick<WorkState, 'ranks' | 'pairwise' | 'tags'>,
  presentedOrder: readonly string[],
): Judgement {
  let pairwise: Label['pairwise'] = null;
  if (kind === 'pairwise') {
    const choice = work.pairwise.choice ?? 'tie';
    const preferredResponseId =
      choice === 'A' ? presentedOrder[0]! : choice === 'B' ? presentedOrder[1]! : null;
    pairwise = { preferredResponseId, choice, strength: work.pairwise.strength };
  }
  return {
    ranks: kind === 'ranking' ? { ...work.ranks } : null,
    pairwise,
    tags: work.tags.map((t) => ({ ...t })),
  };
}

const SEVERITY_ORDER: Record<Severity, number> = { minor: 1, major: 2, critical: 3 };

const topSet = (ranks: Readonly<Record<string, number>>): string[] => {
  const values = Object.values(ranks);
  if (!values.length) return [];
  const best = Math.min(...values);
  return Object.keys(ranks)
    .filter((id) => ranks[id] === best)
    .sort();
};

const fraction = (held: number, total: number) => (total === 0 ? 0 : held / total);

function scoreRanking(key: Extract<AnswerKey, { kind: 'ranking' }>, answer: Judgement) {
  const given = answer.ranks ?? {};
  const complete = Object.keys(key.ranks).every((id) => id in given);
  const tau = complete ? kendallTauB(key.ranks, given) : null;
  // both sides all tied: they agree (tau-b is undefined there, not a disagreement)
  const allTiedBoth = complete && tau === null && topSet(key.ranks).length === topSet(given).length;
  const tauOk = tau !== null ? tau >= key.minTau - 1e-12 : allTiedBoth;
  const topMatches = key.topMustMatch
    ? complete && topSet(key.ranks).join(' ') === topSet(given).join(' ')
    : null;
  const conditions = [tauOk, ...(topMatches === null ? [] : [topMatches])];
  const held = conditions.filter(Boolean).length;
  const correct = held === conditions.length;
  return {
    kind: 'ranking' as const,
    correct,
    score: correct ? 1 : held > 0 ? 0.5 : 0,
    topMatches,
    tau,
    minTau: key.minTau,
    expected: { ...key.ranks },
    given: { ...given },
  };
}

function scorePairwise(key: Extract<AnswerKey, { kind: 'pairwise' }>, answer: Judgement) {
  const given = answer.pairwise;
  const preferred = given ? given.preferredResponseId : null;
  const directionCorrect = given !== null && preferred === key.preferred;
  const strengthInBand =
    key.preferred === null ? null : given?.strength ? key.strengths.includes(given.strength) : false;
  const correct = directionCorrect && strengthInBand !== false;
  return {
    kind: 'pairwise' as const,
    correct,
    score: correct ? 1 : directionCorrect ? 0.5 : 0,
    directionCorrect,
    strengthInBand,
    expected: { preferred: key.preferred, strengths: [...key.strengths] },
    given: {
      preferred,
      choice: given?.choice ?? null,
      strength: given?.strength ?? null,
    },
  };
}

function checkTag(expectation: TagExpectation, answer: Judgement): TagCheck {
  const found = answer.tags.find(
    (t) => t.responseId === expectation.responseId && t.tagId === expectation.tagId,
  );
  const given = found?.severity ?? null;
  const met =
    expectation.expect === 'forbidden'
      ? given === null
      : given !== null &&
        (!expectation.minSeverity || SEVERITY_ORDER[given] >= SEVERITY_ORDER[expectation.minSeverity]);
  return {
    responseId: expectation.responseId,
    tagId: expectation.tagId,
    expect: expectation.expect,
    minSeverity: expectation.minSeverity ?? null,
    given,
    met,
  };
}

/** Grades one answer against its key (rules above). Pure: same input, same feedback, anywhere. */
export function scoreItem(key: AnswerKey, answer: Judgement): ItemFeedback {
  const judgement = key.kind === 'ranking' ? scoreRanking(key, answer) : scorePairwise(key, answer);
  const checks = key.tags.map((expectation) => checkTag(expectation, answer));
  const mentioned = new Set(key.tags.map((t) => `${t.responseId} ${t.tagId}`));
  const tagsScore = checks.length ? fraction(checks.filter((c) => c.met).length, checks.length) : 1;
  const score = checks.length
    ? JUDGEMENT_WEIGHT * judgement.score + TAGS_WEIGHT * tagsScore
    : judgement.score;
  return {
    score: Math.round(score * 1e6) / 1e6,
    correct: judgement.correct && checks.every((c) => c.met),
    judgement,
    tags: {
      score: tagsScore,
      checks,
      unmentioned: answer.tags
        .filter((t) => !mentioned.has(`${t.responseId} ${t.tagId}`))
        .map((t) => ({ responseId: t.responseId, tagId: t.tagId, severity: t.severity })),
    },
    explanation: key.explanation,
    responseNotes: { ...key.responseNotes },
    guidelineSection: key.guidelineSection ?? null,
  };
}
