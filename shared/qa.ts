import { z } from 'zod';
import { PreferenceStrength, Rank, TagAssignment, type Label } from './label';
import { Id, Task } from './task';
import { Severity } from './taxonomy';
import { QA_CLASSES, QA_ERROR_TYPES } from './qa-classes';

/**
 * Blind QA re-rating (docs/lead-workspace.md, "Blind QA re-rating"): a share of a project's
 * completed labels is sampled per reviewer; a lead or a user with the `qa` permission re-rates the
 * sampled task without seeing the original; once the re-rating is in, a comparison shows the
 * discrepancies part by part and the re-rater classifies each. Pure: schemas and the comparison.
 */

/** The highest QA share a project may set. */
export const MAX_QA_SHARE = 0.5;
export const DEFAULT_QA_SHARE = 0.1;

export const QaShare = z
  .number()
  .min(0, `must be between 0 and ${MAX_QA_SHARE}`)
  .max(MAX_QA_SHARE, `must be between 0 and ${MAX_QA_SHARE}`);

/** Permissions a user may be granted beyond their role (`user grant USERNAME qa`). */
export const Permission = z.enum(['qa']);
export type Permission = z.infer<typeof Permission>;

/** The parts of a label compared, in the order the comparison lists them. */
export const QaPart = z.enum(['preference', 'strength', 'tags', 'severity', 'rationale']);
export type QaPart = z.infer<typeof QaPart>;

export const QaClass = z.enum(QA_CLASSES);
export type QaClass = z.infer<typeof QaClass>;

/** What kind of mistake a reviewer error is (asked for `reviewer-error` only). */
export const QaErrorType = z.enum(QA_ERROR_TYPES);
export type QaErrorType = z.infer<typeof QaErrorType>;

export const QaPartClass = z
  .strictObject({ part: QaPart, class: QaClass, errorType: QaErrorType.optional() })
  .superRefine((p, ctx) => {
    if (p.class === 'reviewer-error' && p.errorType === undefined)
      ctx.addIssue({ code: 'custom', path: ['errorType'], message: 'a reviewer error needs an error type' });
    if (p.class !== 'reviewer-error' && p.errorType !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['errorType'],
        message: 'only a reviewer error has an error type',
      });
  });
export type QaPartClass = z.infer<typeof QaPartClass>;

/** POST QA_PATHS.classification: one class per discrepant part (each part at most once). */
export const QaClassificationRequest = z
  .strictObject({ parts: z.array(QaPartClass).min(1, 'classify at least one part').max(5) })
  .superRefine((body, ctx) => {
    body.parts.forEach((p, i) => {
      if (body.parts.findIndex((q) => q.part === p.part) < i)
        ctx.addIssue({
          code: 'custom',
          path: ['parts', i, 'part'],
          message: `"${p.part}" is classified twice`,
        });
    });
  });
export type QaClassificationRequest = z.infer<typeof QaClassificationRequest>;

/** The stored classification: the parts and who classified them when. */
export const QaClassification = z.strictObject({
  parts: z.array(QaPartClass),
  classifiedBy: z.string(),
  classifiedAt: z.string(),
});
export type QaClassification = z.infer<typeof QaClassification>;

const Preference = z.strictObject({
  /** ranking: responseId -> rank; null for a pairwise task */
  ranks: z.record(Id, Rank).nullable(),
  /** pairwise: the preferred response id (null = tie); null for a ranking task too */
  preferredResponseId: Id.nullable(),
});

export const QaPartComparison = z.discriminatedUnion('part', [
  z.strictObject({
    part: z.literal('preference'),
    discrepant: z.boolean(),
    original: Preference,
    rerating: Preference,
  }),
  z.strictObject({
    part: z.literal('strength'),
    discrepant: z.boolean(),
    original: PreferenceStrength.nullable(),
    rerating: PreferenceStrength.nullable(),
  }),
  z.strictObject({
    part: z.literal('tags'),
    discrepant: z.boolean(),
    /** tags (response and failure) only one side gave */
    onlyOriginal: z.array(TagAssignment),
    onlyRerating: z.array(TagAssignment),
  }),
  z.strictObject({
    part: z.literal('severity'),
    discrepant: z.boolean(),
    /** tags both gave, with different severities */
    differences: z.array(
      z.strictObject({ responseId: Id, tagId: Id, original: Severity, rerating: Severity }),
    ),
  }),
  z.strictObject({
    part: z.literal('rationale'),
    discrepant: z.boolean(),
    /** every field either side wrote, side by side ('' when a side left it empty) */
    fields: z.array(z.strictObject({ fieldId: Id, original: z.string(), rerating: z.string() })),
  }),
]);
export type QaPartComparison = z.infer<typeof QaPartComparison>;

/** GET QA_PATHS.comparison: the re-rating beside the original, the reviewer now named. */
export const QaComparison = z.strictObject({
  ratingId: z.string(),
  sampleId: z.string(),
  projectId: Id,
  task: Task,
  reviewer: z.strictObject({ username: z.string(), displayName: z.string() }),
  rater: z.strictObject({ username: z.string() }),
  original: z.strictObject({ labelId: z.string(), receivedAt: z.string() }),
  rerating: z.strictObject({ labelId: z.string(), receivedAt: z.string() }),
  parts: z.array(QaPartComparison),
  classification: QaClassification.nullable(),
});
export type QaComparison = z.infer<typeof QaComparison>;

/** HTTP paths of QA (`:id` is the re-rating's label id). */
export const QA_PATHS = {
  /** GET (the re-rater once submitted; admin): the comparison */
  comparison: '/v1/qa/ratings/:id/comparison',
  /** POST (the re-rater once the comparison was opened; admin): classify the discrepant parts */
  classification: '/v1/qa/ratings/:id/classification',
} as const;

/** What of a label is compared. */
export type Compared = Pick<Label, 'ranks' | 'pairwise' | 'tags' | 'rationale'>;

const sameRecord = (a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
};
/** rationale texts are compared as words: spacing and line breaks are not a discrepancy */
const words = (text: string) => text.trim().replace(/\s+/g, ' ');
const tagKey = (t: { responseId: string; tagId: string }) => `${t.responseId} ${t.tagId}`;

/**
 * The parts of two labels of one task, each with whether they disagree: preference (ranking or
 * pairwise direction), strength (pairwise), tags given by one side only, severities of tags both
 * gave, rationale fields side by side. Always all five parts, in QaPart order.
 */
export function compareLabels(original: Compared, rerating: Compared): QaPartComparison[] {
  const preference = (l: Compared) => ({
    ranks: l.ranks ? { ...l.ranks } : null,
    preferredResponseId: l.pairwise ? l.pairwise.preferredResponseId : null,
  });
  const a = preference(original);
  const b = preference(rerating);
  const preferenceDiffers =
    (a.ranks === null) !== (b.ranks === null) ||
    (a.ranks !== null && b.ranks !== null && !sameRecord(a.ranks, b.ranks)) ||
    a.preferredResponseId !== b.preferredResponseId ||
    (original.pairwise === null) !== (rerating.pairwise === null);
  const strengthOf = (l: Compared) => l.pairwise?.strength ?? null;
  const originalTags = new Map(original.tags.map((t) => [tagKey(t), t]));
  const reratingTags = new Map(rerating.tags.map((t) => [tagKey(t), t]));
  const onlyOriginal = original.tags.filter((t) => !reratingTags.has(tagKey(t)));
  const onlyRerating = rerating.tags.filter((t) => !originalTags.has(tagKey(t)));
  const differences = original.tags.flatMap((t) => {
    const other = reratingTags.get(tagKey(t));
    return other && other.severity !== t.severity
      ? [{ responseId: t.responseId, tagId: t.tagId, original: t.severity, rerating: other.severity }]
      : [];
  });
  const fieldsA = original.rationale?.fields ?? {};
  const fieldsB = rerating.rationale?.fields ?? {};
  const fieldIds = [...new Set([...Object.keys(fieldsA), ...Object.keys(fieldsB)])];
  const fields = fieldIds.map((fieldId) => ({
    fieldId,
    original: fieldsA[fieldId] ?? '',
    rerating: fieldsB[fieldId] ?? '',
  }));
  return [
    { part: 'preference', discrepant: preferenceDiffers, original: a, rerating: b },
    {
      part: 'strength',
      discrepant: strengthOf(original) !== strengthOf(rerating),
      original: strengthOf(original),
      rerating: strengthOf(rerating),
    },
    {
      part: 'tags',
      discrepant: onlyOriginal.length + onlyRerating.length > 0,
      onlyOriginal,
      onlyRerating,
    },
    { part: 'severity', discrepant: differences.length > 0, differences },
    {
      part: 'rationale',
      discrepant: fields.some((f) => words(f.original) !== words(f.rerating)),
      fields,
    },
  ];
}
