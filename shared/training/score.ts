import { z } from 'zod';
import { PairwiseChoice, PreferenceStrength, Rank } from '../label';
import { Severity } from '../taxonomy';
import { Id } from '../task';

export { JUDGEMENT_WEIGHT, TAGS_WEIGHT, judgementOf, scoreItem, type Judgement } from './grade';

export const RankingResult = z.strictObject({
  kind: z.literal('ranking'),
  correct: z.boolean(),
  score: z.number().min(0).max(1),
  /** null when the key's rank-1 responses need not match */
  topMatches: z.boolean().nullable(),
  /** Kendall tau-b between the key and the answer; null when undefined (one side all tied) */
  tau: z.number().min(-1).max(1).nullable(),
  minTau: z.number(),
  expected: z.record(Id, Rank),
  given: z.record(Id, Rank),
});
export const PairwiseResult = z.strictObject({
  kind: z.literal('pairwise'),
  correct: z.boolean(),
  score: z.number().min(0).max(1),
  directionCorrect: z.boolean(),
  /** null for a tie key (no strength is asked for) */
  strengthInBand: z.boolean().nullable(),
  expected: z.strictObject({ preferred: Id.nullable(), strengths: z.array(PreferenceStrength) }),
  given: z.strictObject({
    preferred: Id.nullable(),
    choice: PairwiseChoice.nullable(),
    strength: PreferenceStrength.nullable(),
  }),
});
export const TagCheck = z.strictObject({
  responseId: Id,
  tagId: Id,
  expect: z.enum(['required', 'forbidden']),
  minSeverity: Severity.nullable(),
  /** the severity the trainee gave that tag on that response; null = not tagged */
  given: Severity.nullable(),
  met: z.boolean(),
});
export type TagCheck = z.infer<typeof TagCheck>;

/** Per-item feedback: the score, each part against the key, and the key's explanation. */
export const ItemFeedback = z.strictObject({
  score: z.number().min(0).max(1),
  correct: z.boolean(),
  judgement: z.discriminatedUnion('kind', [RankingResult, PairwiseResult]),
  tags: z.strictObject({
    score: z.number().min(0).max(1),
    checks: z.array(TagCheck),
    /** tags the trainee added that the key does not mention (not scored, shown for reflection) */
    unmentioned: z.array(z.strictObject({ responseId: Id, tagId: Id, severity: Severity })),
  }),
  explanation: z.string(),
  responseNotes: z.record(Id, z.string()),
  guidelineSection: z.string().nullable(),
});
export type ItemFeedback = z.infer<typeof ItemFeedback>;

/** Kendall's tau-b lives with the other agreement statistics; re-exported for the graders. */
export { kendallTauB } from '../metrics/kendall';

/** An attempt's score: the mean over every drawn item, an unanswered or late one counting 0. */
export function attemptScore(itemScores: readonly (number | null)[]): number {
  if (!itemScores.length) return 0;
  const sum = itemScores.reduce<number>((total, s) => total + (s ?? 0), 0);
  return Math.round((sum / itemScores.length) * 1e6) / 1e6;
}

/** Passing: the attempt's score reaches the pass mark. */
export const passes = (score: number, passMark: number) => score >= passMark - 1e-9;
