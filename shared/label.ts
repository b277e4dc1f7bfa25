import { z } from 'zod';
import { Id, TaskKind } from './task';
import { Severity } from './taxonomy';
import { PAIRWISE_CHOICES, PREFERENCE_STRENGTHS, STRENGTH_LABELS } from './preference';
import { emptyWorkState } from './work-state';

export const Rank = z.number().int().min(1).max(9);

export const PairwiseChoice = z.enum(PAIRWISE_CHOICES);
export type PairwiseChoice = z.infer<typeof PairwiseChoice>;
/** Strength of a pairwise preference; "unsure" records low confidence. */
export const PreferenceStrength = z.enum(PREFERENCE_STRENGTHS);
export type PreferenceStrength = z.infer<typeof PreferenceStrength>;
export { STRENGTH_LABELS };

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

export { emptyWorkState };

export const CheckId = z.enum([
  'incomplete',
  'tiesNotAllowed',
  'topRankedCritical',
  'untouchedOrder',
  'rationaleMissing',
]);
export type CheckId = z.infer<typeof CheckId>;

/** A client time: an ISO-8601 UTC datetime as `Date.toISOString()` writes it. */
const LabelTime = z.iso
  .datetime({ message: 'must be an ISO-8601 UTC datetime such as 2026-01-05T10:00:00.000Z' })
  .max(40, 'must be at most 40 characters');
/** A short free-text field of a label (seeds, versions, identities). */
const ShortText = (max: number) => z.string().max(max, `must be at most ${max} characters`);
/** A rationale text: the same cap as a draft's (WorkState). */
export const MAX_RATIONALE_CHARS = 20_000;
/** A template has at most 12 fields; a ranking at most 9 responses. */
const MAX_RATIONALE_FIELDS = 12;
const MAX_RESPONSES = 9;

/**
 * A stored label: everything a reward-model pipeline needs, by response id. Untrusted at every
 * boundary (IPC, push): every list and text is bounded. Whether it fits its task is
 * `labelProblems` (label-validity.ts).
 */
export const Label = z.strictObject({
  id: z.uuid(),
  taskId: Id,
  kind: TaskKind,
  /** who and on which device: the server stores the session's, whatever the client sent */
  reviewerId: ShortText(200).min(1, 'must not be empty'),
  deviceId: ShortText(200).min(1, 'must not be empty'),
  /** ranking: responseId -> rank, ties share a rank */
  ranks: z
    .record(Id, Rank)
    .refine((ranks) => Object.keys(ranks).length <= MAX_RESPONSES, {
      message: `must rank at most ${MAX_RESPONSES} responses`,
    })
    .nullable(),
  /** pairwise: the preferred response id (null = tie) and strength */
  pairwise: z
    .strictObject({
      preferredResponseId: Id.nullable(),
      choice: PairwiseChoice,
      strength: PreferenceStrength.nullable(),
    })
    .nullable(),
  tags: z.array(TagAssignment).max(200, 'must have at most 200 tags'),
  rationale: z
    .strictObject({
      templateId: Id,
      fields: z
        .record(Id, z.string().max(MAX_RATIONALE_CHARS, `must be at most ${MAX_RATIONALE_CHARS} characters`))
        .refine((fields) => Object.keys(fields).length <= MAX_RATIONALE_FIELDS, {
          message: `must have at most ${MAX_RATIONALE_FIELDS} fields`,
        }),
    })
    .nullable(),
  /** response ids in the order they were shown, and the seed that produced it */
  presentedOrder: z.array(Id).max(MAX_RESPONSES, `must list at most ${MAX_RESPONSES} responses`),
  orderSeed: ShortText(200),
  /** measured active time; the server bounds it by how long the lease has existed */
  activeMs: z.number().int().min(0),
  guidelineVersion: ShortText(200).nullable(),
  taxonomyVersion: ShortText(200).nullable(),
  acknowledgedWarnings: z
    .array(CheckId)
    .max(CheckId.options.length, `must have at most ${CheckId.options.length} entries`),
  revision: z.number().int().min(1),
  /** client times; the server keeps them within the lease's lifetime (docs/sync-protocol.md) */
  createdAt: LabelTime,
  updatedAt: LabelTime,
});
export type Label = z.infer<typeof Label>;
