import { z } from 'zod';
import { DashboardSnapshot, MetricsProjectsReply, TaskLabelsReply } from './metrics/dashboard';
import { CheckId } from './label';
import { Guideline } from './guideline';
import {
  DraftCreateInput,
  DraftList,
  DraftPublishInput,
  DraftRejectInput,
  DraftsListInput,
  GuidelineDraft,
  GuidelineNoticeList,
  GuidelineNoticeReadInput,
  PublishDraftResponse,
} from './guideline-draft';
import { InboxPage, PromoteResponse, ReviewerAction, Ruling } from './lead';
import {
  AcknowledgeInput,
  AuditInput,
  AuditView,
  CoachInput,
  InboxInput,
  LiftInput,
  NoticeList,
  OpenEscalationInput,
  PodReviewers,
  PromoteInput,
  RecertifyInput,
  RestrictInput,
  ReviewersInput,
  RuleInput,
  SubmitRulingInput,
} from './lead-workstation';
import { WorkState } from './label';
import { QaComparison } from './qa';
import { QaClassifyInput, QaLeaseInput, QaLeaseResult, QaTaskInput, QaTaskList } from './qa-workstation';
import {
  EscalationReason,
  ImportResult,
  Preferences,
  PreferencesPatch,
  QueueItem,
  QueueSummary,
  SkipReason,
  TaskBundle,
} from './queue';
import { AuthStatus, QuarantineList, SignInInput, SyncStatus } from './session';
import { Id, TaskState } from './task';
import { TrainingRef } from './training/ref';
import { TrainingOverview } from './training/workstation';
import { WellbeingStatus } from './wellbeing';
import {
  API_ERROR_CODES,
  type Api,
  type ApiErrorBody as PlainApiErrorBody,
  ApiError,
} from './contract-client';

const Empty = z.strictObject({});
const Note = z.string().max(5000).default('');

export const AppInfo = z.strictObject({
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  dataDir: z.string(),
  reviewerId: z.string(),
  deviceId: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** What the first screen needs, in one reply instead of a chain of calls (issue 12). */
export const AppBoot = z.strictObject({
  auth: AuthStatus,
  sync: SyncStatus,
  prefs: Preferences,
  summary: QueueSummary,
  /** the task the reviewer was on (after a crash or restart), as task.next opens it; else null */
  resume: TaskBundle.nullable(),
});
export type AppBoot = z.infer<typeof AppBoot>;

const FailedChecks = z.strictObject({
  ok: z.literal(false),
  checks: z.array(z.strictObject({ id: CheckId, level: z.enum(['block', 'warn']), message: z.string() })),
});
const SubmitOutcome = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), labelId: z.uuid(), next: TaskBundle.nullable() }),
  FailedChecks,
]);
export type SubmitOutcome = z.infer<typeof SubmitOutcome>;

/** A training answer submitted: the same item again, now locked or with its sandbox feedback. */
const TrainingSubmitOutcome = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), bundle: TaskBundle }),
  FailedChecks,
]);
export type TrainingSubmitOutcome = z.infer<typeof TrainingSubmitOutcome>;

/**
 * The UI <-> services contract: channel -> input/output schemas. Both hosts
 * (Electron IPC, browser-mode HTTP) validate every input against it; the
 * renderer's `api` object is derived from it. Adding a capability = one line here.
 */
export const contract = {
  'app.info': { input: Empty, output: AppInfo },
  /** the first screen's sign-in and sync state, preferences, counts and task to resume, in one reply */
  'app.boot': { input: Empty, output: AppBoot },
  'queue.summary': { input: Empty, output: QueueSummary },
  'queue.list': {
    input: z.strictObject({
      state: TaskState,
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).default(0),
    }),
    output: z.array(QueueItem),
  },
  /** resume the current task, else the first pending one; null when the queue is empty */
  'task.next': { input: Empty, output: TaskBundle.nullable() },
  /**
   * what task.next will open once `after` is done (without: now), read only: the screen prepares it
   * ahead; `also`: tasks to count as done too, to look one further
   */
  'task.peekNext': {
    input: z.strictObject({ after: Id.optional(), also: z.array(Id).max(4).default([]) }),
    output: TaskBundle.nullable(),
  },
  /** open any task (reopen a skipped or escalated one, edit a submitted label) */
  'task.open': { input: z.strictObject({ taskId: Id }), output: TaskBundle },
  'draft.save': {
    input: z.strictObject({ taskId: Id, work: WorkState }),
    output: z.strictObject({ savedAt: z.string() }),
  },
  'label.submit': {
    input: z.strictObject({
      taskId: Id,
      work: WorkState,
      acknowledgedWarnings: z.array(CheckId).default([]),
    }),
    output: SubmitOutcome,
  },
  'task.skip': {
    input: z.strictObject({ taskId: Id, reason: SkipReason, note: Note, work: WorkState.optional() }),
    output: z.strictObject({ next: TaskBundle.nullable() }),
  },
  'task.escalate': {
    input: z.strictObject({ taskId: Id, reason: EscalationReason, note: Note, work: WorkState.optional() }),
    output: z.strictObject({ next: TaskBundle.nullable() }),
  },
  'tasks.import': {
    input: z.strictObject({
      fileName: z.string().max(500).default('tasks.jsonl'),
      text: z.string().max(200_000_000),
    }),
    output: ImportResult,
  },
  'guideline.get': { input: z.strictObject({ id: Id.optional() }), output: Guideline.nullable() },
  'prefs.get': { input: Empty, output: Preferences },
  'prefs.set': { input: PreferencesPatch, output: Preferences },
  'auth.status': { input: Empty, output: AuthStatus },
  /** signs in to the central server; wrong password, unreachable server etc. come back as plain-word errors */
  'auth.signIn': { input: SignInInput, output: AuthStatus },
  /** forgets the session token; the local queue and unsent work stay */
  'auth.signOut': { input: Empty, output: AuthStatus },
  'sync.status': { input: Empty, output: SyncStatus },
  /** starts a sync cycle now (or joins the running one) and returns the status when it ends */
  'sync.now': { input: Empty, output: SyncStatus },
  'sync.quarantine': { input: Empty, output: QuarantineList },
  /** courses, exams, certificates and calibration rounds, from what the last sync brought */
  'training.overview': { input: Empty, output: TrainingOverview },
  /** a training item on the labeling screen (sandbox, exam or calibration mode) */
  'training.open': { input: z.strictObject({ ref: TrainingRef }), output: TaskBundle },
  'training.save': {
    input: z.strictObject({ ref: TrainingRef, work: WorkState }),
    output: z.strictObject({ savedAt: z.string() }),
  },
  /** sandbox: feedback at once, offline; exam and calibration: the answer locks and syncs */
  'training.submit': {
    input: z.strictObject({
      ref: TrainingRef,
      work: WorkState,
      acknowledgedWarnings: z.array(CheckId).default([]),
    }),
    output: TrainingSubmitOutcome,
  },
  /** sandbox: the item again with a fresh answer (the attempts so far stay recorded) */
  'training.retry': { input: z.strictObject({ ref: TrainingRef }), output: TaskBundle },
  /** starts an attempt at an exam: the server draws its items (needs the network) */
  'training.startExam': {
    input: z.strictObject({ examId: Id }),
    output: z.strictObject({ first: TrainingRef }),
  },
  /** shadowing: the open set of a project, else a new one the server draws (needs the network) */
  'training.startShadow': {
    input: z.strictObject({ projectId: Id }),
    output: z.strictObject({ first: TrainingRef }),
  },
  /** the projects a quality dashboard can show (last known ones offline) */
  'metrics.projects': { input: Empty, output: MetricsProjectsReply },
  /** a project's dashboard: the team's figures (lead: own pod; admin: any) or one's own beside the pod's medians */
  'metrics.dashboard': {
    input: z.strictObject({ projectId: Id, podId: Id.nullable().default(null) }),
    output: DashboardSnapshot,
  },
  /** the disagreement explorer: one task's labels side by side (lead, admin; needs the server) */
  'metrics.taskLabels': { input: z.strictObject({ projectId: Id, taskId: Id }), output: TaskLabelsReply },
  /** sends a disagreed task to the pod's calibration: a one-task round, due in a week */
  'metrics.toCalibration': {
    input: z.strictObject({ projectId: Id, taskId: Id, podId: Id.nullable().default(null) }),
    output: z.strictObject({ roundId: Id, title: z.string(), dueAt: z.string() }),
  },
  /** lead workspace (online; docs/lead-workspace.md): the pod's escalations, paged */
  'lead.inbox': { input: InboxInput, output: InboxPage },
  /** rule on an escalation: the lead's label, or the task back to the reviewer with guidance */
  'lead.rule': { input: RuleInput, output: Ruling },
  /** an escalation on the labeling screen: the lead's controls, the reviewer's work to start from */
  'lead.open': { input: OpenEscalationInput, output: TaskBundle },
  /** a ruling from the labeling controls: the checks first (as a submit), then the server */
  'lead.submitRuling': {
    input: SubmitRulingInput,
    output: z.discriminatedUnion('ok', [
      z.strictObject({ ok: z.literal(true), ruling: Ruling }),
      FailedChecks,
    ]),
  },
  /** a ruled task to a golden example, a course or an exam bank */
  'lead.promote': { input: PromoteInput, output: PromoteResponse },
  'lead.coach': { input: CoachInput, output: ReviewerAction },
  'lead.restrict': { input: RestrictInput, output: ReviewerAction },
  'lead.recertify': { input: RecertifyInput, output: ReviewerAction },
  /** ends a restriction or re-certification, withdraws a coaching note */
  'lead.lift': { input: LiftInput, output: ReviewerAction },
  /** the pod's trainees and reviewers with the actions taken on them (lead: own pod; admin names one) */
  'lead.reviewers': { input: ReviewersInput, output: PodReviewers },
  /** the audit log, oldest first, a page at a time (admins; needs the server) */
  'admin.audit': { input: AuditInput, output: AuditView },
  /** rulings on my escalations and leads' actions on me, unread first (offline: what sync brought) */
  'notices.list': { input: Empty, output: NoticeList },
  /** marks one read; a coaching note's acknowledgement also goes to the server (now or later) */
  'notices.acknowledge': { input: AcknowledgeInput, output: NoticeList },
  /** blind QA re-rating (online): QA work from the server's QA lease, kept apart from my queue */
  'qa.lease': { input: QaLeaseInput, output: QaLeaseResult },
  /** my QA tasks on this computer, open first (offline too); nothing of the originals */
  'qa.list': { input: Empty, output: QaTaskList },
  /** a QA task on the labeling screen (qa mode); submitted with the unchanged label.submit */
  'qa.open': { input: QaTaskInput, output: TaskBundle },
  /** after submit (sent first if needed): my re-rating beside the original, the reviewer named */
  'qa.comparison': { input: QaTaskInput, output: QaComparison },
  /** classifies the discrepant parts; a new classification replaces the old */
  'qa.classify': { input: QaClassifyInput, output: QaComparison },
  /** "Guidelines updated": newer guideline versions the pull brought, with the changed sections (offline) */
  'guidelines.updates': { input: Empty, output: GuidelineNoticeList },
  'guidelines.markRead': { input: GuidelineNoticeReadInput, output: GuidelineNoticeList },
  /** the guideline loop (online): a lead's pod's drafts, or every draft (admins, `all`) */
  'guidelineDrafts.list': { input: DraftsListInput, output: DraftList },
  'guidelineDrafts.create': { input: DraftCreateInput, output: GuidelineDraft },
  /** admins: publish as the next minor or major version, or reject with a reason */
  'guidelineDrafts.publish': { input: DraftPublishInput, output: PublishDraftResponse },
  'guidelineDrafts.reject': { input: DraftRejectInput, output: GuidelineDraft },
  /**
   * exposure caps and the break reminder (offline; docs/wellbeing.md); `workingOn`: the sensitive
   * task the screen shows, which continues the stretch of sensitive work
   */
  'wellbeing.status': { input: z.strictObject({ workingOn: Id.optional() }), output: WellbeingStatus },
  /** the reviewer dismissed the break reminder: it comes back after another full stretch */
  'wellbeing.dismissBreak': { input: Empty, output: WellbeingStatus },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

export const channels = Object.keys(contract) as Channel[];
export const isChannel = (name: unknown): name is Channel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);

/** Services implement one handler per channel; hosts validate before calling them. */
export type Handlers = {
  [C in Channel]: (input: ParsedInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
};

/** The renderer's API (zod-free, with ApiError, in contract-client.ts). */
export { ApiError, type Api };

/** Error shape that crosses the boundary: a code, plain words, and zod field paths when input was invalid. */
export const ApiErrorBody = z.strictObject({
  code: z.enum(API_ERROR_CODES),
  message: z.string(),
  issues: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

// the renderer's plain copy of the type (contract-client.ts) must name the same shape
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _plainErrorBodyMatches: Same<ApiErrorBody, PlainApiErrorBody> = true;

/** Builds the namespaced api from one transport function (IPC invoke or HTTP POST). */
export function buildApi(invoke: (channel: Channel, input: unknown) => Promise<unknown>): Api {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const channel of channels) {
    const [ns, method] = channel.split('.') as [string, string];
    (api[ns] ??= {})[method] = (input: unknown) => invoke(channel, input ?? {});
  }
  return api as unknown as Api;
}

/** Formats zod issues as `path: message` pairs (`responses.2.id`). */
export function formatIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}
