import type { z } from 'zod';
import { QA_PATHS, QaComparison } from '../../../shared/qa';
import type {
  QaClassifyInput,
  QaLeaseInput,
  QaLeaseResult,
  QaTask,
  QaTaskList,
} from '../../../shared/qa-workstation';
import type { TaskBundle } from '../../../shared/queue';
import { LeaseResponse, SYNC_PATHS } from '../../../shared/sync';
import type { SessionManager } from '../auth/session';
import { ServiceError } from '../errors';
import type { Queue } from '../queue';
import type { Store } from '../store';
import type { HttpPort } from '../sync/http';
import { online, signedInUser } from '../sync/online';
import { QaStore } from './qa-store';

const OFFLINE = 'QA re-rating needs a connection to the server.';

export interface QaServiceDeps {
  store: Store;
  session: SessionManager;
  http: HttpPort;
  clock: () => Date;
  queue: Queue;
  /** one sync cycle (push, lease, pull): brings leased QA tasks, sends a re-rating */
  syncCycle: () => Promise<unknown>;
  /** whose QA tasks to list offline: the signed-in user, else the last one */
  owner: () => string;
}

/**
 * Blind QA re-rating on the workstation (docs/lead-workspace.md, "On the workstation"). QA tasks
 * come from the server's QA lease as ordinary assignments and are labeled with the unchanged
 * label.submit; a local marker keeps them out of the production queue. Nothing here asks the server
 * for the original before the re-rating has reached it: the comparison needs the re-rating's id.
 */
export class QaService {
  private readonly marks: QaStore;

  constructor(private readonly deps: QaServiceDeps) {
    this.marks = new QaStore(deps.store);
  }

  /** QA work of a project (or of any), then a sync so the tasks are on this computer */
  async lease(input: z.output<typeof QaLeaseInput>): Promise<QaLeaseResult> {
    const user = signedInUser(this.deps.session, OFFLINE);
    const body = { queue: 'qa' as const, ...(input.projectId ? { projectId: input.projectId } : {}) };
    const reply = await online(
      this.deps.session,
      this.deps.http,
      { method: 'post', path: SYNC_PATHS.lease, body },
      LeaseResponse,
      OFFLINE,
    );
    const now = this.deps.clock().toISOString();
    this.deps.store.durable(() => this.marks.mark(user.id, reply.qaTasks ?? [], now));
    // a cycle already under way may have pulled before this lease: then one more brings them
    for (let i = 0; i < 2 && this.marks.missing(user.id) > 0; i++) await this.deps.syncCycle();
    return { leased: reply.leased, open: reply.open, tasks: this.marks.list(user.id) };
  }

  /** another account signed in on this computer (inside the sign-in's transaction) */
  forgetAccount(): void {
    this.marks.dropAll();
  }

  /** my QA tasks on this computer, open ones first (offline too) */
  list(): QaTaskList {
    return { tasks: this.marks.list(this.deps.owner()) };
  }

  /** a QA task on the labeling screen: the same controls, nothing of the original */
  open(taskId: string): TaskBundle {
    const task = this.task(taskId);
    return {
      ...this.deps.queue.openQa(taskId),
      qa: { projectId: task.projectId, leasedAt: task.leasedAt },
    };
  }

  /** the re-rating beside the original, the reviewer named: once the re-rating reached the server */
  async comparison(taskId: string): Promise<QaComparison> {
    const labelId = await this.sentRating(taskId);
    const path = QA_PATHS.comparison.replace(':id', encodeURIComponent(labelId));
    return this.call({ method: 'get', path, params: {} });
  }

  /** classifies the discrepant parts (a new classification replaces the old) */
  async classify(input: z.output<typeof QaClassifyInput>): Promise<QaComparison> {
    const labelId = await this.sentRating(input.taskId);
    const path = QA_PATHS.classification.replace(':id', encodeURIComponent(labelId));
    return this.call({ method: 'post', path, body: input.classification });
  }

  private task(taskId: string): QaTask {
    const task = this.marks.one(this.deps.owner(), taskId);
    if (!task) throw new ServiceError('not-found', `No QA task "${taskId}" on this computer.`);
    return task;
  }

  /** the re-rating's label id once the server holds it; pushes first if it is still here only */
  private async sentRating(taskId: string): Promise<string> {
    let task = this.task(taskId);
    if (task.labelId === null)
      throw new ServiceError(
        'conflict',
        `Re-rate ${taskId} first: the comparison opens once your re-rating is submitted.`,
      );
    if (!task.sent) {
      signedInUser(this.deps.session, OFFLINE);
      await this.deps.syncCycle();
      task = this.task(taskId);
    }
    if (task.sent && task.labelId) return task.labelId;
    const last = this.marks.lastSubmit(taskId);
    if (last?.state === 'quarantined')
      throw new ServiceError(
        'conflict',
        `The server refused your re-rating of ${taskId}: ${last.message ?? 'see Sync problems'}.`,
      );
    throw new ServiceError(
      'unavailable',
      `${OFFLINE} Your re-rating of ${taskId} is safe on this computer and is sent at the next sync; the comparison opens then.`,
    );
  }

  private call(request: Parameters<typeof online>[2]): Promise<QaComparison> {
    return online(this.deps.session, this.deps.http, request, QaComparison, OFFLINE);
  }
}
