import { z } from 'zod';
import {
  InboxPage,
  LEAD_PATHS,
  leadPath,
  PromoteResponse,
  ReviewerAction,
  Ruling,
} from '../../../shared/lead';
import type {
  AcknowledgeInput,
  CoachInput,
  InboxInput,
  LiftInput,
  NoticeList,
  PromoteInput,
  RecertifyInput,
  RestrictInput,
  RuleInput,
} from '../../../shared/lead-workstation';
import type { SessionManager } from '../auth/session';
import { ServiceError } from '../errors';
import type { Store } from '../store';
import type { HttpPort } from '../sync/http';
import { NoticesStore } from './notices-store';
import { online, signedInUser } from '../sync/online';

const OFFLINE = 'The lead workspace needs a connection to the server.';
const RulingReply = z.object({ ruling: Ruling });
const ActionReply = z.object({ action: ReviewerAction });

export interface LeadServiceDeps {
  store: Store;
  session: SessionManager;
  http: HttpPort;
  clock: () => Date;
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
    const podId = who.podId ?? signedInUser(this.deps.session, OFFLINE).podId;
    if (!podId) throw new ServiceError('invalid-input', 'Name the pod: your account belongs to none.');
    return { podId, userId: who.userId };
  }

  private call<T>(request: Parameters<typeof online>[2], reply: z.ZodType<T>): Promise<T> {
    return online(this.deps.session, this.deps.http, request, reply, OFFLINE);
  }
}
