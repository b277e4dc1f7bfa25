import { z } from 'zod';
import { Guideline } from './guideline';
import { Label, WorkState } from './label';
import { ReviewerAction, Ruling } from './lead';
import { EscalationReason, SkipReason } from './queue';
import { RationaleTemplate } from './rationale';
import { Taxonomy } from './taxonomy';
import { Id, Task } from './task';
import { TrainingDoc } from './training/docs';
import { TrainingRef } from './training/ref';
import { ProjectWellbeing } from './wellbeing';

/**
 * Sync protocol v1 (Replicache-style push/pull), used by the server and the workstation.
 *
 * Push: client mutations with per-device monotonic ids. The server applies a batch in one
 * transaction together with the device's `lastMutationId`, so a retried batch is a no-op.
 * Pull: changes since a cursor; the client applies them and the new cursor in one local
 * transaction. A change of `epoch` (server restored from backup) forces a clean re-sync
 * of server state without touching unsent local work.
 */

/** ids and counters are stored as 32-bit integers (PostgreSQL `integer`) */
const MAX_ID = 2_147_483_647;

/** Monotonic per task: a newer lease fences writers holding an older token. */
export const LeaseToken = z.number().int().min(1).max(MAX_ID);

/** the server's signature of a lease it gave (task, token, reviewer): lets a restored server trust it */
export const LeaseProof = z.string().min(1).max(100);

const MutationBase = {
  /** per-device monotonic, starts at 1, no gaps within what the client sends */
  id: z.number().int().min(1).max(MAX_ID),
  taskId: Id,
  leaseToken: LeaseToken,
  /** the assignment's leaseProof, when it had one */
  leaseProof: LeaseProof.optional(),
};

export const Mutation = z.discriminatedUnion('type', [
  /** a label submitted, or a submitted label edited (same label id, higher revision) */
  z.strictObject({ ...MutationBase, type: z.literal('label.submit'), label: Label }),
  z.strictObject({
    ...MutationBase,
    type: z.literal('task.skip'),
    reason: SkipReason,
    note: z.string().max(5000),
  }),
  z.strictObject({
    ...MutationBase,
    type: z.literal('task.escalate'),
    reason: EscalationReason,
    note: z.string().max(5000),
    /** what the reviewer had entered, for the lead */
    work: WorkState.nullable(),
  }),
  /**
   * An answer to a training item (sandbox, exam, calibration; docs/training.md). No lease: the
   * server checks that the item is the caller's (their attempt, their pod's round). `taskId` is
   * the served task id, as in `ref` and `label`.
   */
  z.strictObject({
    id: MutationBase.id,
    type: z.literal('training.answer'),
    taskId: Id,
    ref: TrainingRef,
    label: Label,
    /** sandbox: which try at this item (1, 2, ...); exams and rounds take one answer: 1 */
    attempt: z.number().int().min(1).max(10_000),
  }),
]);
export type Mutation = z.infer<typeof Mutation>;
/** the mutations that work on a leased production task */
export type TaskMutation = Exclude<Mutation, { type: 'training.answer' }>;
export type TrainingMutation = Extract<Mutation, { type: 'training.answer' }>;
export const isTrainingMutation = (m: Mutation): m is TrainingMutation => m.type === 'training.answer';

/**
 * What the pushing device holds as acknowledged: the last mutation id the server applied for it and
 * the history digest after it (shared/history.ts). The server checks it against its own record
 * before applying anything (docs/sync-protocol.md, "Device history").
 */
export const HistoryPoint = z.strictObject({
  id: z.number().int().min(0).max(MAX_ID),
  digest: z.string().max(100),
});
export type HistoryPoint = z.infer<typeof HistoryPoint>;

export const PushRequest = z
  .strictObject({
    deviceId: z.string().min(8).max(100),
    /** the device's acknowledged history; mutations[0].id must be base.id + 1 */
    base: HistoryPoint,
    mutations: z.array(Mutation).min(1).max(1000),
    /**
     * the device's history digest after each mutation (shared/history.ts), as the device computed
     * it when it numbered the mutation: the server compares and stores them, it does not recompute
     */
    digests: z.array(z.string().min(1).max(100)).min(1).max(1000),
  })
  .refine((push) => push.digests.length === push.mutations.length, {
    path: ['digests'],
    message: 'one digest per mutation',
  });
export type PushRequest = z.infer<typeof PushRequest>;

export const RejectReason = z.enum([
  'invalid', // the mutation contradicts the task (unknown response ids, wrong kind, ...)
  'not-assigned', // this reviewer never held a lease on the task
  'task-revoked', // the task was withdrawn from the project
  'label-conflict', // the label id belongs to another task or reviewer
  'forbidden', // role may not do this (e.g. trainee on production work)
  'closed', // training: the attempt was graded or the round revealed before the answer arrived
]);
export type RejectReason = z.infer<typeof RejectReason>;

export const MutationOutcome = z.strictObject({
  mutationId: z.number().int(),
  status: z.enum(['accepted', 'rejected']),
  reason: RejectReason.nullable(),
  message: z.string().nullable(),
  /** accepted, but the lease had been lost: kept and flagged for a lead, never dropped */
  flagged: z.enum(['lease-lost', 'lease-expired']).nullable(),
});
export type MutationOutcome = z.infer<typeof MutationOutcome>;

export const PushResponse = z.strictObject({
  /** the highest mutation id the server has applied for this device (including earlier pushes) */
  lastMutationId: z.number().int().min(0),
  /** one per mutation newly applied in this push; already-applied ids are not repeated */
  outcomes: z.array(MutationOutcome),
});
export type PushResponse = z.infer<typeof PushResponse>;

export const Change = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('assignment'),
    projectId: Id,
    task: Task,
    leaseToken: LeaseToken,
    leaseExpiresAt: z.string(),
    /** sent back with the work on this lease (Mutation.leaseProof) */
    leaseProof: LeaseProof.optional(),
  }),
  /** the task was withdrawn (lease expired and re-assigned, or revoked by an admin) */
  z.strictObject({ type: z.literal('revoke'), taskId: Id, reason: z.enum(['lease-expired', 'revoked']) }),
  z.strictObject({ type: z.literal('taxonomy'), taxonomy: Taxonomy }),
  z.strictObject({ type: z.literal('template'), template: RationaleTemplate }),
  z.strictObject({ type: z.literal('guideline'), guideline: Guideline }),
  /** a training document (course, exam, attempt, certificate, calibration round): replaces its older copy */
  z.strictObject({ type: z.literal('training'), doc: TrainingDoc }),
  /**
   * The verdict on a mutation of one of the user's devices, when it was not a plain accept: the
   * durable copy of a push answer (a client whose answer was lost learns it here), or a later
   * verdict. Only the device that sent the mutation applies it (mutation ids are per device).
   */
  z.strictObject({
    type: z.literal('outcome'),
    deviceId: z.string().min(8).max(100),
    outcome: MutationOutcome,
  }),
  /** a lead's ruling on one of the user's escalations (docs/lead-workspace.md): to that reviewer only */
  z.strictObject({ type: z.literal('ruling'), ruling: Ruling }),
  /** a lead's action on the user (coaching note, restriction, re-certification): replaces its older copy */
  z.strictObject({ type: z.literal('coaching'), action: ReviewerAction }),
]);
export type Change = z.infer<typeof Change>;

export const PullRequest = z.strictObject({
  deviceId: z.string().min(8).max(100),
  /** opaque; null on first sync or after an epoch change */
  cursor: z.string().max(200).nullable(),
  epoch: z.string().max(100).nullable(),
  limit: z.number().int().min(1).max(2000).default(500),
});
export type PullRequest = z.infer<typeof PullRequest>;

export const PullResponse = z.strictObject({
  epoch: z.string(),
  /** true when the client's epoch is stale: drop server-derived state (not unsent work), restart from cursor null */
  reset: z.boolean(),
  cursor: z.string(),
  hasMore: z.boolean(),
  lastMutationId: z.number().int().min(0),
  /**
   * the device's history as the server holds it (last id and digest, shared/history.ts): a device
   * that holds acknowledgements beyond it learns here that the server was restored, even with
   * nothing to push
   */
  history: HistoryPoint,
  changes: z.array(Change),
});
export type PullResponse = z.infer<typeof PullResponse>;

/** Ask for leases on new tasks, up to the project's batch size. */
export const LeaseRequest = z.strictObject({
  projectId: Id.optional(),
  /**
   * 'qa': blind QA re-rating tasks (leads and users with the qa permission; docs/lead-workspace.md),
   * handed out as ordinary assignments; absent or 'work': the project's regular work
   */
  queue: z.enum(['work', 'qa']).optional(),
  /**
   * the reviewer's clock offset (minutes east of UTC): the server counts sensitive labels per
   * reviewer per local day (shared/wellbeing.ts) to leave sensitive tasks out past the day cap
   */
  utcOffsetMinutes: z.number().int().min(-840).max(840).optional(),
});
export const LeaseResponse = z.strictObject({
  leased: z.number().int().min(0),
  open: z.number().int().min(0),
  /**
   * queue 'qa' only: every QA task the caller holds now (this lease's and earlier ones), so the
   * workstation keeps them apart from its production queue (they arrive as ordinary assignments)
   */
  qaTasks: z.array(z.strictObject({ taskId: Id, projectId: Id })).optional(),
  /**
   * queue 'work': the wellbeing settings (exposure caps, break reminder) of every project the
   * caller may work in that has any; a project not listed has none. The whole list each time;
   * absent when it would be empty.
   */
  wellbeing: z.array(ProjectWellbeing).max(10_000).optional(),
});

export const HealthResponse = z.object({
  status: z.literal('ok'),
  db: z.enum(['sqlite', 'postgres']),
  version: z.string(),
  epoch: z.string(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

/** Every error body the server sends: a code, plain words, zod field paths where input was bad. */
/**
 * A remote wipe order (docs/security.md, "Lost laptop"), sent on any refused request of the device
 * (code WIPE_CODE). `proof`: HMAC-SHA256 (base64url) of `wipe:<deviceId>:<orderId>` keyed with the
 * SHA-256 (hex) of the device secret, which only the server the device registered with knows: the
 * workstation obeys no order it cannot check, so nobody else can wipe a laptop.
 */
export const WipeOrder = z.strictObject({
  orderId: z.string().min(1).max(100),
  deviceId: z.string().min(1).max(200),
  proof: z.string().min(1).max(200),
});
export type WipeOrder = z.infer<typeof WipeOrder>;
export const WIPE_CODE = 'device-wipe';

/** POST SYNC_PATHS.wiped: the workstation deleted its data; proven by the device secret (sessions are gone) */
export const WipeReport = z.strictObject({
  deviceId: z.string().min(1).max(200),
  deviceSecret: z.string().min(32).max(200),
  orderId: z.string().min(1).max(100),
  /** unsent items of the account deleted with the rest (a wipe order is for a lost laptop) */
  unsent: z.number().int().min(0).max(100_000_000),
  wipedAt: z.iso.datetime(),
});
export type WipeReport = z.infer<typeof WipeReport>;

export const ServerError = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
    /** push refusals `server-behind` and `device-diverged`: what the server holds for the device */
    history: HistoryPoint.optional(),
    /** code WIPE_CODE: the administrator ordered this device wiped */
    wipe: WipeOrder.optional(),
  }),
});
export type ServerError = z.infer<typeof ServerError>;

/** HTTP paths of protocol v1 */
export const SYNC_PATHS = {
  health: '/v1/health',
  login: '/v1/auth/login',
  logout: '/v1/auth/logout',
  me: '/v1/auth/me',
  push: '/v1/sync/push',
  pull: '/v1/sync/pull',
  lease: '/v1/sync/lease',
  /** a signed-in workstation asks for a new device id (its history diverged: a cloned install) */
  device: '/v1/auth/device',
  /** a wiped workstation reports the wipe (WipeReport) */
  wiped: '/v1/sync/wiped',
} as const;

/** HTTP paths of training (docs/training.md); `:examId`, `:roundId` are path parameters */
export const TRAINING_PATHS = {
  /** POST: start an attempt at an exam (draws its items); answers go through the push */
  startAttempt: '/v1/training/exams/:examId/attempts',
  /** POST (lead of the pod, admin): publish a calibration round */
  calibration: '/v1/training/calibration',
  /** GET (lead of the pod, admin): a revealed round's items ordered by disagreement */
  discussion: '/v1/training/calibration/:roundId/discussion',
  /** POST (trainee): a shadowing set of a project open for shadowing (the open one, else a new one) */
  startShadow: '/v1/training/shadow/:projectId',
} as const;

/** Lease refusal: the project requires a certificate the caller does not hold (403). */
export const CERTIFICATION_REQUIRED = 'certification-required';

/**
 * Push refusals about the device's history as a whole (409, nothing applied):
 * - `server-behind`: the device holds acknowledgements beyond what the server has (it was restored
 *   from a backup); the device re-sends everything above the server's point, with the same ids.
 * - `device-diverged`: the server's history for this device id is not the device's own (two
 *   installs share the id, e.g. a cloned disk or profile); the device registers a new id and
 *   re-sends its unacknowledged work under it.
 */
export const HISTORY_CONFLICTS = ['server-behind', 'device-diverged'] as const;
export type HistoryConflict = (typeof HISTORY_CONFLICTS)[number];
