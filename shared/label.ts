import { z } from 'zod';
import { Id, TaskKind } from './task';
import { Severity } from './taxonomy';

export const Rank = z.number().int().min(1).max(9);

export const PairwiseChoice = z.enum(['A', 'B', 'tie']);
export type PairwiseChoice = z.infer<typeof PairwiseChoice>;
/** Strength of a pairwise preference; "unsure" records low confidence. */
export const PreferenceStrength = z.enum(['significantly', 'better', 'slightly', 'negligibly', 'unsure']);
export type PreferenceStrength = z.infer<typeof PreferenceStrength>;
export const STRENGTH_LABELS: Record<PreferenceStrength, string> = {
  significantly: 'Significantly better',
  better: 'Better',
  slightly: 'Slightly better',
  negligibly: 'Negligibly better',
  unsure: 'Unsure',
};

export const TagAssignment = z.strictObject({ responseId: Id, tagId: Id, severity: Severity });
export type TagAssignment = z.infer<typeof TagAssignment>;

/**
 * What the reviewer has entered so far on one task. Drafts store it as is;
 * a submitted label stores a complete one. Response ids, never positions.
 */
export const WorkState = z.strictObject({
  /** responseId -> rank (1 = best); missing = not ranked yet */
  ranks: z.record(Id, Rank).default({}),
  /** true once the reviewer changed the ranking themselves */
  rankingTouched: z.boolean().default(false),
  pairwise: z
    .strictObject({ choice: PairwiseChoice.nullable(), strength: PreferenceStrength.nullable() })
    .default({ choice: null, strength: null }),
  tags: z.array(TagAssignment).max(200).default([]),
  /** rationale field id -> text */
  rationale: z.record(Id, z.string().max(20_000)).default({}),
  /** measured active time: focused and not idle */
  activeMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600 * 1000)
    .default(0),
});
export type WorkState = z.infer<typeof WorkState>;
export type WorkStateInput = z.input<typeof WorkState>;

export const emptyWorkState = (): WorkState => WorkState.parse({});

export const CheckId = z.enum([
  'incomplete',
  'tiesNotAllowed',
  'topRankedCritical',
  'untouchedOrder',
  'rationaleMissing',
]);
export type CheckId = z.infer<typeof CheckId>;

/** A stored label: everything a reward-model pipeline needs, by response id. */
export const Label = z.strictObject({
  id: z.uuid(),
  taskId: Id,
  kind: TaskKind,
  reviewerId: z.string().min(1),
  deviceId: z.string().min(1),
  /** ranking: responseId -> rank, ties share a rank */
  ranks: z.record(Id, Rank).nullable(),
  /** pairwise: the preferred response id (null = tie) and strength */
  pairwise: z
    .strictObject({
      preferredResponseId: Id.nullable(),
      choice: PairwiseChoice,
      strength: PreferenceStrength.nullable(),
    })
    .nullable(),
  tags: z.array(TagAssignment),
  rationale: z.strictObject({ templateId: Id, fields: z.record(Id, z.string()) }).nullable(),
  /** response ids in the order they were shown, and the seed that produced it */
  presentedOrder: z.array(Id),
  orderSeed: z.string(),
  activeMs: z.number().int().min(0),
  guidelineVersion: z.string().nullable(),
  taxonomyVersion: z.string().nullable(),
  acknowledgedWarnings: z.array(CheckId),
  revision: z.number().int().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Label = z.infer<typeof Label>;
