import { z } from 'zod';
import {
  InboxPage,
  LEAD_PATHS,
  leadPath,
  PodMembersReply,
  PromoteResponse,
  ReviewerAction,
  Ruling,
} from '../../../shared/lead';
import type {
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
} from '../../../shared/lead-workstation';
import type { CheckResult } from '../../../shared/checks';
import type { Label } from '../../../shared/label';
import { orderSeed, presentationOrder } from '../../../shared/order';
import { type TaskBundle, guidelineRef } from '../../../shared/queue';
import type { SessionManager } from '../auth/session';
import type { Config } from '../config';
import type { Identity } from '../identity';
import { answerLabel } from '../training/answer';
import { ServiceError } from '../errors';
import type { Store } from '../store';
import type { HttpPort } from '../sync/http';
import { auditView } from './audit';
import { NoticesStore } from './notices-store';
import { online, signedInUser } from '../sync/online';

const OFFLINE = 'The lead workspace needs a connection to the server.';
const RulingReply = z.object({ ruling: Ruling });
const ActionReply = z.object({ action: ReviewerAction });
const ActionsReply = z.object({ actions: z.array(ReviewerAction) });

export interface LeadServiceDeps {
  store: Store;
  session: SessionManager;
  http: HttpPort;
  clock: () => Date;
  /** rulings are labeled with the same documents and identity as any label */
  config: Config;
  identity: Identity;
}

type Reviewer = { podId?: string; userId: string };

/**
 * The lead's workspace (online: the server decides and audits) and the reviewer's notices (offline:
 * rulings and coaching notes the pull feed stored; docs/lead-workspace.md, "On the workstation").
 */
export class LeadService {
  private readonly notices: NoticesStore;
  private flushing: Promise<void> | null = null;

  constructor(private readonly deps: LeadServiceDeps) {
    this.notices = new NoticesStore(deps.store);
  }

  /** the escalations of the lead's pod (an admin names the pod) */
  inbox(input: z.output<typeof InboxInput>): Promise<InboxPage> {
    const { podId, ...query } = input;
    const pod = podId ?? signedInUser(this.deps.session, OFFLINE).podId;
    if (!pod) throw new ServiceError('invalid-input', 'Name the pod: your account belongs to none.');
    const params: Record<string, string> = {
      state: query.state,
      order: query.order,
      limit: String(query.limit),
    };
    if (query.after !== undefined) params.after = query.after;
    return this.call({ method: 'get', path: leadPath(LEAD_PATHS.inbox, { podId: pod }), params }, InboxPage);
  }

  /**
   * An open escalation on the labeling screen: the lead judges with the reviewer's controls, the
   * reviewer's work to start from, the responses in the lead's own seeded order.
   */
  async open(input: z.output<typeof OpenEscalationInput>): Promise<TaskBundle> {
    const item = await this.escalation(input.escalationId, input.podId);
    const { config } = this.deps;
    const seed = orderSeed(signedInUser(this.deps.session, OFFLINE).id, item.task.id);
    return {
      task: item.task,
      state: 'draft',
      presentedOrder: presentationOrder(
        item.task.responses.map((r) => r.id),
        seed,
      ),
      orderSeed: seed,
      work: item.work,
      label: null,
      taxonomy: config.taxonomy(item.task.tags),
      template: config.template(item.task.rationale),
      guideline: guidelineRef(config.guideline(item.task.guideline)),
      checkPolicy: config.checkPolicy,
      position: { index: 1, open: 1 },
      ruling: {
        escalationId: item.id,
        reviewer: item.reviewer.displayName || item.reviewer.username,
        reason: item.reason,
        note: item.note,
        escalatedAt: item.escalatedAt,
        ageHours: item.ageHours,
        targetHours: item.targetHours,
        overdue: item.overdue,
      },
    };
  }

  /**
   * A ruling from the labeling controls. 'label': the work becomes the lead's label, through the
   * same checks and label building as a submit (a check that blocks or warns comes back first);
   * 'return': the task goes back to the reviewer with the guidance. The server decides and audits.
   */
  async submitRuling(
    input: z.output<typeof SubmitRulingInput>,
  ): Promise<{ ok: true; ruling: Ruling } | { ok: false; checks: CheckResult[] }> {
    if (!input.explanation.trim())
      throw new ServiceError(
        'invalid-input',
        'Write why: the explanation goes to the reviewer with the ruling.',
      );
    const guidance = input.guidance.trim() ? input.guidance : undefined;
    let label: Label | undefined;
    if (input.decision === 'label') {
      const bundle = await this.open({ escalationId: input.escalationId, podId: input.podId });
      const built = answerLabel({
        task: bundle.task,
        work: input.work,
        presentedOrder: bundle.presentedOrder,
        orderSeed: bundle.orderSeed,
        acknowledgedWarnings: input.acknowledgedWarnings,
        config: this.deps.config,
        identity: this.deps.identity,
        now: this.deps.clock().toISOString(),
        policy: this.deps.config.checkPolicy,
      });
      if ('checks' in built) return { ok: false, checks: built.checks };
      label = built.label;
    }
    const ruling = await this.rule({
      escalationId: input.escalationId,
      ruling: {
        decision: input.decision,
        explanation: input.explanation,
        ...(guidance ? { guidance } : {}),
        ...(label ? { label } : {}),
      },
    });
    return { ok: true, ruling };
  }

  /** one open escalation of the pod, as the inbox lists it */
  private async escalation(id: string, podId: string | undefined) {
    const page = await this.inbox({
      state: 'open',
      order: 'oldest',
      limit: 500,
      ...(podId ? { podId } : {}),
    });
    const item = page.items.find((i) => i.id === id);
    if (!item)
      throw new ServiceError('not-found', `No open escalation "${id}" in your pod (ruled already?).`);
    return item;
  }

  async rule(input: z.output<typeof RuleInput>): Promise<Ruling> {
    const path = leadPath(LEAD_PATHS.ruling, { id: input.escalationId });
    return (await this.call({ method: 'post', path, body: input.ruling }, RulingReply)).ruling;
  }

  promote(input: z.output<typeof PromoteInput>): Promise<PromoteResponse> {
    const path = leadPath(LEAD_PATHS.promote, { id: input.escalationId });
    return this.call({ method: 'post', path, body: input.promotion }, PromoteResponse);
  }

  coach(input: z.output<typeof CoachInput>): Promise<ReviewerAction> {
    return this.act(LEAD_PATHS.coaching, input, input.coaching);
  }

  restrict(input: z.output<typeof RestrictInput>): Promise<ReviewerAction> {
    return this.act(LEAD_PATHS.restriction, input, input.restriction);
  }

  recertify(input: z.output<typeof RecertifyInput>): Promise<ReviewerAction> {
    return this.act(LEAD_PATHS.recertification, input, input.recertification);
  }

  async lift(input: z.output<typeof LiftInput>): Promise<ReviewerAction> {
    const path = leadPath(LEAD_PATHS.lift, { ...this.reviewer(input), actionId: input.actionId });
    return (await this.call({ method: 'post', path, body: {} }, ActionReply)).action;
  }

  /**
   * The pod's trainees and reviewers, each with the actions taken on them (a pod is 5-8 people: one
   * request for the members, then their actions side by side).
   */
  async reviewers(input: z.output<typeof ReviewersInput>): Promise<PodReviewers> {
    const podId = this.pod(input.podId);
    const get = <T>(path: string, reply: z.ZodType<T>) =>
      this.call({ method: 'get', path, params: {} }, reply);
    const { reviewers } = await get(leadPath(LEAD_PATHS.reviewers, { podId }), PodMembersReply);
    const actions = await Promise.all(
      reviewers.map((m) => get(leadPath(LEAD_PATHS.actions, { podId, userId: m.id }), ActionsReply)),
    );
    return { podId, reviewers: reviewers.map((member, i) => ({ member, actions: actions[i]!.actions })) };
  }

  /** a page of the audit log, each entry with its actor's name (admins) */
  audit(input: z.output<typeof AuditInput>): Promise<AuditView> {
    return auditView((path, params, reply) => this.call({ method: 'get', path, params }, reply), input);
  }

  /** rulings and coaching notes for this user, unread first; acknowledgements not yet sent go out */
  listNotices(): NoticeList {
    void this.flushAcknowledgements().catch(() => undefined);
    const notices = this.notices.list();
    return { notices, unread: notices.filter((n) => n.readAt === null).length };
  }

  /**
   * Marks a notice read at once (offline too); a coaching note's acknowledgement is then sent to the
   * server, now if it can be, else at the next list or acknowledge.
   */
  async acknowledge(input: z.output<typeof AcknowledgeInput>): Promise<NoticeList> {
    const now = this.deps.clock().toISOString();
    const marked = this.deps.store.durable(() => this.notices.markRead(input.kind, input.id, now));
    if (!marked)
      throw new ServiceError('not-found', `No ${input.kind} notice "${input.id}" on this computer.`);
    await this.flushAcknowledgements();
    return this.listNotices();
  }

  /** sends pending acknowledgements; failures leave them pending (no error: the read is local) */
  flushAcknowledgements(): Promise<void> {
    if (!this.flushing)
      this.flushing = this.sendAcknowledgements().finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  private async sendAcknowledgements(): Promise<void> {
    // one await first: `flushing` is set before any of this runs
    await Promise.resolve();
    for (const id of this.notices.pendingAcknowledgements()) {
      const path = leadPath(LEAD_PATHS.acknowledge, { actionId: id });
      try {
        const { action } = await this.call({ method: 'post', path, body: {} }, ActionReply);
        this.deps.store.light(() => {
          this.notices.acknowledgementSent(id);
          this.notices.putAction(action, this.deps.clock().toISOString());
        });
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        // not found: the note is not on the server for this account; stop retrying it
        if (error.code === 'not-found') this.deps.store.light(() => this.notices.acknowledgementSent(id));
        else return;
      }
    }
  }

  private async act(path: string, who: Reviewer, body: unknown): Promise<ReviewerAction> {
    const url = leadPath(path, this.reviewer(who));
    return (await this.call({ method: 'post', path: url, body }, ActionReply)).action;
  }

  private reviewer(who: Reviewer): { podId: string; userId: string } {
    return { podId: this.pod(who.podId), userId: who.userId };
  }

  /** the pod named, else the signed-in lead's own */
  private pod(named: string | undefined): string {
    const podId = named ?? signedInUser(this.deps.session, OFFLINE).podId;
    if (!podId) throw new ServiceError('invalid-input', 'Name the pod: your account belongs to none.');
    return podId;
  }

  private call<T>(request: Parameters<typeof online>[2], reply: z.ZodType<T>): Promise<T> {
    return online(this.deps.session, this.deps.http, request, reply, OFFLINE);
  }
}
