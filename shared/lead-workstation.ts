import { z } from 'zod';
import {
  AuditEntry,
  AuditQuery,
  CoachingRequest,
  EscalationId,
  InboxPage,
  InboxQuery,
  PodMember,
  PromoteRequest,
  PromoteResponse,
  RecertificationRequest,
  RestrictionRequest,
  ReviewerAction,
  Ruling,
  RulingRequest,
} from './lead';
import { CheckId, WorkState } from './label';
import { Id } from './task';

/**
 * The lead workspace and the reviewer's notices as the workstation's contract channels carry them
 * (shared/contract.ts; docs/lead-workspace.md, "On the workstation").
 */

/** A ruling or a lead's action, as the pull feed brought it, with whether the user has read it. */
export const Notice = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('ruling'),
    ruling: Ruling,
    receivedAt: z.string(),
    readAt: z.string().nullable(),
  }),
  z.strictObject({
    kind: z.literal('coaching'),
    action: ReviewerAction,
    receivedAt: z.string(),
    readAt: z.string().nullable(),
  }),
]);
export type Notice = z.infer<typeof Notice>;

export const NoticeList = z.strictObject({
  notices: z.array(Notice),
  unread: z.number().int().min(0),
});
export type NoticeList = z.infer<typeof NoticeList>;

export const AcknowledgeInput = z.strictObject({
  kind: z.enum(['ruling', 'coaching']),
  /** the escalation id (ruling) or the action id (coaching) */
  id: z.string().min(1).max(100),
});

/** lead.inbox: the signed-in lead's pod (an admin names one) */
export const InboxInput = InboxQuery.extend({ podId: Id.optional() });

export const RuleInput = z.strictObject({ escalationId: EscalationId, ruling: RulingRequest });
export const PromoteInput = z.strictObject({ escalationId: EscalationId, promotion: PromoteRequest });

const Reviewer = { podId: Id.optional(), userId: z.string().min(1).max(100) };
export const CoachInput = z.strictObject({ ...Reviewer, coaching: CoachingRequest });
export const RestrictInput = z.strictObject({ ...Reviewer, restriction: RestrictionRequest });
export const RecertifyInput = z.strictObject({ ...Reviewer, recertification: RecertificationRequest });
export const LiftInput = z.strictObject({ ...Reviewer, actionId: z.string().min(1).max(100) });

export const LeadOutputs = {
  inbox: InboxPage,
  rule: Ruling,
  promote: PromoteResponse,
  action: ReviewerAction,
} as const;

/** lead.open: an escalation of the pod on the labeling screen, the reviewer's work to start from */
export const OpenEscalationInput = z.strictObject({ escalationId: EscalationId, podId: Id.optional() });

/** lead.submitRuling: the lead's judgement from the labeling controls, or the task back with guidance */
export const SubmitRulingInput = z.strictObject({
  escalationId: EscalationId,
  podId: Id.optional(),
  decision: z.enum(['label', 'return']),
  work: WorkState,
  explanation: z.string().max(20_000),
  guidance: z.string().max(20_000).default(''),
  acknowledgedWarnings: z.array(CheckId).default([]),
});

/** lead.reviewers: the pod's trainees and reviewers, each with the actions taken on them, newest first */
export const ReviewersInput = z.strictObject({ podId: Id.optional() });
export const PodReviewer = z.strictObject({ member: PodMember, actions: z.array(ReviewerAction) });
export type PodReviewer = z.infer<typeof PodReviewer>;
export const PodReviewers = z.strictObject({ podId: Id, reviewers: z.array(PodReviewer) });
export type PodReviewers = z.infer<typeof PodReviewers>;

/** admin.audit: a page of the audit log, oldest first, each entry with the actor's name */
export const AuditInput = AuditQuery;
export const AuditRow = AuditEntry.extend({
  /** the actor's display name (username when none); null for the operator */
  actor: z.string().nullable(),
  /** a user target's name (the log keeps the id); null for other targets */
  targetName: z.string().nullable(),
});
export type AuditRow = z.infer<typeof AuditRow>;
export const AuditView = z.strictObject({ entries: z.array(AuditRow), next: z.number().int().nullable() });
export type AuditView = z.infer<typeof AuditView>;
