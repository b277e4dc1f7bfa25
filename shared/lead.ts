import { z } from 'zod';
import { Label, WorkState } from './label';
import { EscalationReason } from './queue';
import { Id, Task } from './task';

/**
 * The lead workspace (docs/lead-workspace.md): the escalation inbox, rulings, promotions and actions
 * on a reviewer. Shared by the server (validates requests, builds feed changes) and the workstation
 * (reads the inbox, stores rulings and coaching notices from the feed).
 */

/** HTTP paths; `:podId`, `:userId`, `:id`, `:actionId` are path parameters */
export const LEAD_PATHS = {
  /** GET (lead of the pod, admin): the pod's escalations, paged */
  inbox: '/v1/pods/:podId/escalations',
  /** POST (lead of the escalating reviewer's pod, admin): rule on an escalation */
  ruling: '/v1/escalations/:id/ruling',
  /** POST (same): turn a ruled task into a golden example, a course item or an exam bank item */
  promote: '/v1/escalations/:id/promote',
  /** GET (lead of the pod, admin): the pod's trainees and reviewers, by username */
  reviewers: '/v1/pods/:podId/reviewers',
  /** GET (lead of the pod, admin): the actions taken on a reviewer, newest first */
  actions: '/v1/pods/:podId/reviewers/:userId/actions',
  coaching: '/v1/pods/:podId/reviewers/:userId/coaching',
  restriction: '/v1/pods/:podId/reviewers/:userId/restriction',
  recertification: '/v1/pods/:podId/reviewers/:userId/recertification',
  /** POST: ends a restriction or re-certification, withdraws a coaching note */
  lift: '/v1/pods/:podId/reviewers/:userId/actions/:actionId/lift',
  /** POST (the reviewer the note is for): the note was read */
  acknowledge: '/v1/coaching/:actionId/acknowledge',
  /** GET (admin): the audit log, oldest first */
  audit: '/v1/admin/audit',
} as const;

/** Fills a path's parameters (each value URI-encoded). */
export function leadPath(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`leadPath: no value for :${name} in ${path}`);
    return encodeURIComponent(value);
  });
}

/** An escalation's id: the server's row number, as text */
export const EscalationId = z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be an escalation id (digits)');

const Md = (max: number) => z.string().max(max, `must be at most ${max} characters`);
/** Markdown a lead writes that must say something */
const Words = (max: number) => Md(max).refine((s) => s.trim() !== '', 'must not be empty');

export const InboxState = z.enum(['open', 'ruled']);
export const InboxQuery = z.strictObject({
  state: InboxState.default('open'),
  order: z.enum(['newest', 'oldest']).default('oldest'),
  /** the last escalation id of the previous page */
  after: EscalationId.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type InboxQuery = z.infer<typeof InboxQuery>;

export const RulingDecision = z.enum(['label', 'return']);
export type RulingDecision = z.infer<typeof RulingDecision>;

export const RulingRequest = z
  .strictObject({
    decision: RulingDecision,
    /** decision 'label': the lead's judgement, in the label format (checked like a pushed label) */
    label: Label.optional(),
    /** Markdown: why; shown to the reviewer beside their own work */
    explanation: Words(20_000),
    /** Markdown: what to do differently (useful above all with 'return') */
    guidance: Md(20_000).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.decision === 'label' && !body.label)
      ctx.addIssue({ code: 'custom', path: ['label'], message: "decision 'label' needs the lead's label" });
    if (body.decision === 'return' && body.label)
      ctx.addIssue({ code: 'custom', path: ['label'], message: "decision 'return' takes no label" });
  });
export type RulingRequest = z.infer<typeof RulingRequest>;

/** A ruling as the escalating reviewer receives it (the `ruling` change) and the inbox shows it. */
export const Ruling = z.strictObject({
  escalationId: EscalationId,
  taskId: Id,
  decision: RulingDecision,
  explanation: z.string(),
  guidance: z.string().nullable(),
  /** decision 'label': the lead's label as stored (it is the task's label now) */
  label: Label.nullable(),
  ruledAt: z.string(),
  /** the lead's display name */
  lead: z.string(),
});
export type Ruling = z.infer<typeof Ruling>;

export const EscalationItem = z.strictObject({
  id: EscalationId,
  projectId: Id,
  /** the task without meta */
  task: Task,
  reason: EscalationReason,
  note: z.string(),
  /** what the reviewer had entered when they escalated */
  work: WorkState.nullable(),
  reviewer: z.strictObject({ id: z.string(), username: z.string(), displayName: z.string() }),
  escalatedAt: z.string(),
  /** hours since escalation (open), or until the ruling (ruled) */
  ageHours: z.number(),
  /** the project's response target (projects.escalation_target_hours) */
  targetHours: z.number(),
  overdue: z.boolean(),
  ruling: Ruling.nullable(),
});
export type EscalationItem = z.infer<typeof EscalationItem>;

export const InboxPage = z.strictObject({
  items: z.array(EscalationItem),
  /** pass as `after` for the next page; null at the end */
  next: EscalationId.nullable(),
});
export type InboxPage = z.infer<typeof InboxPage>;

export const PromoteTarget = z.enum(['golden-example', 'course', 'exam-bank']);
export type PromoteTarget = z.infer<typeof PromoteTarget>;

export const PromoteRequest = z.strictObject({
  to: PromoteTarget,
  /** the guideline, course or exam id */
  targetId: Id,
  /** golden example: its title (default: from the task); course: the module (default: the last) */
  title: z.string().min(1).max(300).optional(),
  moduleId: Id.optional(),
});
export type PromoteRequest = z.infer<typeof PromoteRequest>;

export const PromoteResponse = z.strictObject({
  to: PromoteTarget,
  targetId: Id,
  /** the new guideline or course version; for an exam bank the item's position */
  version: z.string(),
});
export type PromoteResponse = z.infer<typeof PromoteResponse>;

export const ActionKind = z.enum(['coaching', 'restriction', 'recertification']);
export type ActionKind = z.infer<typeof ActionKind>;

export const CoachingRequest = z.strictObject({
  /** Markdown; may name task ids (listed in taskIds so the workstation can link them) */
  note: Words(20_000),
  taskIds: z.array(Id).max(50).default([]),
});
export const RestrictionRequest = z.strictObject({
  /** the only production projects the reviewer may lease from (sandbox projects stay open); [] = none */
  projects: z.array(Id).max(50),
  note: Md(20_000).optional(),
});
export const RecertificationRequest = z.strictObject({
  skill: Id,
  note: Md(20_000).optional(),
});

/**
 * An action on a reviewer as they receive it (the `coaching` change) and the lead lists it: `words`
 * say in plain words what it means for them; a newer copy (lifted, acknowledged) replaces the older.
 */
export const ReviewerAction = z.strictObject({
  id: Id,
  kind: ActionKind,
  userId: z.string(),
  state: z.enum(['active', 'lifted']),
  words: z.string(),
  note: z.string().nullable(),
  taskIds: z.array(Id),
  /** restriction: the production projects still open to the reviewer */
  projects: z.array(Id),
  /** re-certification: the skill */
  skill: Id.nullable(),
  createdAt: z.string(),
  /** the lead's display name */
  lead: z.string(),
  acknowledgedAt: z.string().nullable(),
  liftedAt: z.string().nullable(),
});
export type ReviewerAction = z.infer<typeof ReviewerAction>;

/** Lease refusal: a lead restricted the caller to other projects (403). */
export const RESTRICTED = 'restricted';

/** One audit log entry (GET LEAD_PATHS.audit, `audit export`). */
export const AuditEntry = z.strictObject({
  id: z.number().int(),
  at: z.string(),
  actorUserId: z.string().nullable(),
  /** 'lead', 'admin', or 'operator' (the server CLI) */
  actorRole: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** A trainee or reviewer of a pod (GET LEAD_PATHS.reviewers): whom a lead's actions apply to. */
export const PodMember = z.strictObject({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['trainee', 'reviewer']),
});
export type PodMember = z.infer<typeof PodMember>;

export const PodMembersReply = z.strictObject({ reviewers: z.array(PodMember) });

export const AuditQuery = z.strictObject({
  /** ISO date or datetime: entries at or after it */
  since: z.string().max(40).optional(),
  /** the last id of the previous page */
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** GET LEAD_PATHS.audit: a page of entries; `next` is the `after` of the next page (null at the end) */
export const AuditPage = z.strictObject({
  entries: z.array(AuditEntry),
  next: z.number().int().nullable(),
});
export type AuditPage = z.infer<typeof AuditPage>;
