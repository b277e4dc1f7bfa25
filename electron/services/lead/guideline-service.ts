import { z } from 'zod';
import {
  DraftList,
  GUIDELINE_DRAFT_PATHS,
  GuidelineDraft,
  PublishDraftResponse,
  type DraftCreateInput,
  type DraftPublishInput,
  type DraftRejectInput,
  type DraftsListInput,
  type GuidelineNoticeList,
  type GuidelineNoticeReadInput,
} from '../../../shared/guideline-draft';
import { leadPath } from '../../../shared/lead';
import type { SessionManager } from '../auth/session';
import { ServiceError } from '../errors';
import type { Store } from '../store';
import type { HttpPort } from '../sync/http';
import { online, signedInUser } from '../sync/online';
import { GuidelineNotices } from './guideline-notices';

const OFFLINE = 'Guideline drafts need a connection to the server.';
const DraftReply = z.object({ draft: GuidelineDraft });

export interface GuidelineServiceDeps {
  store: Store;
  session: SessionManager;
  http: HttpPort;
  clock: () => Date;
}

/**
 * The workstation's side of the guideline loop (docs/lead-workspace.md, "Guideline loop"): the
 * reviewer's "Guidelines updated" notices (local, what the pull recorded), and a lead's drafts and
 * an admin's decisions (online: the server decides and audits).
 */
export class GuidelineService {
  private readonly notices: GuidelineNotices;

  constructor(private readonly deps: GuidelineServiceDeps) {
    this.notices = new GuidelineNotices(deps.store);
  }

  updates(): GuidelineNoticeList {
    const notices = this.notices.list();
    return { notices, unread: notices.filter((n) => n.readAt === null).length };
  }

  markRead(input: z.output<typeof GuidelineNoticeReadInput>): GuidelineNoticeList {
    const now = this.deps.clock().toISOString();
    const marked = this.deps.store.light(() => this.notices.markRead(input.guidelineId, input.version, now));
    if (!marked)
      throw new ServiceError(
        'not-found',
        `No "Guidelines updated" notice for ${input.guidelineId} v${input.version} on this computer.`,
      );
    return this.updates();
  }

  async drafts(input: z.output<typeof DraftsListInput>): Promise<DraftList> {
    const params: Record<string, string> = input.state ? { state: input.state } : {};
    const path = input.all
      ? GUIDELINE_DRAFT_PATHS.all
      : leadPath(GUIDELINE_DRAFT_PATHS.pod, { podId: this.pod(input.podId) });
    return this.call({ method: 'get', path, params }, DraftList);
  }

  async create(input: z.output<typeof DraftCreateInput>): Promise<GuidelineDraft> {
    const path = leadPath(GUIDELINE_DRAFT_PATHS.pod, { podId: this.pod(input.podId) });
    return (await this.call({ method: 'post', path, body: input.draft }, DraftReply)).draft;
  }

  publish(input: z.output<typeof DraftPublishInput>): Promise<PublishDraftResponse> {
    const path = leadPath(GUIDELINE_DRAFT_PATHS.publish, { id: input.id });
    return this.call({ method: 'post', path, body: { level: input.level } }, PublishDraftResponse);
  }

  async reject(input: z.output<typeof DraftRejectInput>): Promise<GuidelineDraft> {
    const path = leadPath(GUIDELINE_DRAFT_PATHS.reject, { id: input.id });
    return (await this.call({ method: 'post', path, body: { reason: input.reason } }, DraftReply)).draft;
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
