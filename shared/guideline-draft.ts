import { z } from 'zod';
import type { SectionChange } from './guideline-diff';
import { EscalationId } from './lead';
import { Id } from './task';

/**
 * The guideline loop (docs/lead-workspace.md, "Guideline loop"): a lead drafts a change to a
 * guideline from an escalation of their pod or a QA finding they classified; an admin publishes it
 * as the guideline's next minor or major version, or rejects it with a reason.
 */

export const GUIDELINE_DRAFT_PATHS = {
  /** GET (lead of the pod, admin): the pod's drafts, newest first; POST: a new draft */
  pod: '/v1/pods/:podId/guideline-drafts',
  /** GET (admin): every draft, `?state=open|published|rejected`, newest first */
  all: '/v1/admin/guideline-drafts',
  /** POST (admin): publish as the next minor or major version */
  publish: '/v1/admin/guideline-drafts/:id/publish',
  /** POST (admin): reject with a reason */
  reject: '/v1/admin/guideline-drafts/:id/reject',
} as const;

/** A section or golden example a new version changed (shared/guideline-diff.ts SectionChange). */
export const SectionChangeSchema = z.strictObject({
  heading: z.string(),
  kind: z.enum(['section', 'example']),
  change: z.enum(['added', 'changed', 'removed']),
});

export const DraftId = z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a draft id (digits)');

const Words = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => s.trim() !== '', 'must not be empty');

/** What the draft comes from: an escalation of the lead's pod, or a QA re-rating they classified */
export const DraftSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('escalation'), id: EscalationId }),
  z.strictObject({ kind: z.literal('qa-rating'), id: z.string().min(1).max(100) }),
]);
export type DraftSource = z.infer<typeof DraftSource>;

/** A linked example: a task, an escalation or a QA re-rating the change is about */
export const DraftLink = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('task'), id: Id }),
  z.strictObject({ kind: z.literal('escalation'), id: EscalationId }),
  z.strictObject({ kind: z.literal('qa-rating'), id: z.string().min(1).max(100) }),
]);
export type DraftLink = z.infer<typeof DraftLink>;

/** One section's new text (Markdown, without its heading); `null` removes the section */
export const SectionEdit = z.strictObject({
  heading: Words(300).refine((s) => !/[\r\n]/.test(s), 'must be one line'),
  body: z.string().max(200_000).nullable(),
});
export type SectionEdit = z.infer<typeof SectionEdit>;

export const GuidelineDraftRequest = z
  .strictObject({
    guidelineId: Id,
    /** the version the lead read and drafted against (an older one than the current: 409) */
    baseVersion: z.string().min(1).max(50),
    /** Markdown: what changes and why, for the admin and the audit log */
    summary: Words(5_000),
    source: DraftSource,
    /** either the guideline's whole new text ... */
    markdown: z.string().max(500_000).optional(),
    /** ... or the sections that change (by heading: replaced, removed, or appended when new) */
    sections: z.array(SectionEdit).min(1).max(50).optional(),
    links: z.array(DraftLink).max(50).default([]),
  })
  .superRefine((body, ctx) => {
    if ((body.markdown === undefined) === (body.sections === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['markdown'],
        message: 'give either markdown (the whole new text) or sections (the changed ones), not both',
      });
  });
export type GuidelineDraftRequest = z.infer<typeof GuidelineDraftRequest>;

export const DraftState = z.enum(['open', 'published', 'rejected']);
export type DraftState = z.infer<typeof DraftState>;

export const GuidelineDraft = z.strictObject({
  id: DraftId,
  podId: Id,
  guidelineId: Id,
  baseVersion: z.string(),
  summary: z.string(),
  source: DraftSource,
  /** the guideline's whole text once the draft is applied to its base version */
  markdown: z.string(),
  /** what the draft changes against its base version */
  changes: z.array(SectionChangeSchema),
  links: z.array(DraftLink),
  state: DraftState,
  author: z.strictObject({ id: z.string(), displayName: z.string() }),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  /** the version it was published as */
  publishedVersion: z.string().nullable(),
  rejectReason: z.string().nullable(),
});
export type GuidelineDraft = z.infer<typeof GuidelineDraft>;
// the zod shape and the pure diff's type are the same thing
const sameShape: z.infer<typeof SectionChangeSchema> extends SectionChange ? true : never = true;
void sameShape;

export const DraftListQuery = z.strictObject({
  state: DraftState.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type DraftListQuery = z.infer<typeof DraftListQuery>;

export const DraftList = z.strictObject({ drafts: z.array(GuidelineDraft) });
export type DraftList = z.infer<typeof DraftList>;

export const PublishLevel = z.enum(['minor', 'major']);
export type PublishLevel = z.infer<typeof PublishLevel>;

export const PublishDraftRequest = z.strictObject({ level: PublishLevel });
export const RejectDraftRequest = z.strictObject({ reason: Words(5_000) });

export const PublishDraftResponse = z.strictObject({
  draft: GuidelineDraft,
  version: z.string(),
  /** certificates that fell due (a major version) */
  certificatesDue: z.number().int().min(0),
});
export type PublishDraftResponse = z.infer<typeof PublishDraftResponse>;

/**
 * The next major version: "1" -> "2", "2.3" -> "3", "v3.1" -> "v4"; a version without a number ->
 * "1". A major version makes the guideline's certificates fall due (server/training/recertify.ts).
 */
export function nextMajorVersion(version: string): string {
  const match = /(\d+)(?:\.(\d+))?/.exec(version);
  if (!match) return '1';
  return (
    version.slice(0, match.index) +
    String(Number(match[1]) + 1) +
    version.slice(match.index + match[0].length)
  );
}

/**
 * "Guidelines updated" on the reviewer's workstation: a newer version of a guideline the pull
 * brought, with what changed since the version this computer had (unread ones of one guideline
 * merge: from the oldest unread version to the newest).
 */
export const GuidelineNotice = z.strictObject({
  guidelineId: Id,
  title: z.string(),
  version: z.string(),
  fromVersion: z.string().nullable(),
  changes: z.array(SectionChangeSchema),
  receivedAt: z.string(),
  readAt: z.string().nullable(),
});
export type GuidelineNotice = z.infer<typeof GuidelineNotice>;

export const GuidelineNoticeList = z.strictObject({
  notices: z.array(GuidelineNotice),
  unread: z.number().int().min(0),
});
export type GuidelineNoticeList = z.infer<typeof GuidelineNoticeList>;

/** Contract inputs (shared/contract.ts): the workstation's side of the guideline loop */
export const GuidelineNoticeReadInput = z.strictObject({ guidelineId: Id, version: z.string().min(1) });
export const DraftsListInput = z.strictObject({
  /** every pod's drafts (admins); else the signed-in lead's pod, or `podId` */
  all: z.boolean().default(false),
  podId: Id.optional(),
  state: DraftState.optional(),
});
export const DraftCreateInput = z.strictObject({ podId: Id.optional(), draft: GuidelineDraftRequest });
export const DraftPublishInput = z.strictObject({ id: DraftId, level: PublishLevel });
export const DraftRejectInput = z.strictObject({ id: DraftId, reason: z.string().max(5_000) });
