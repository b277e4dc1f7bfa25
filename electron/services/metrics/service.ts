import { z } from 'zod';
import {
  DashboardReply,
  METRICS_PATHS,
  MetricsProjectsReply,
  TaskLabelsReply,
  type DashboardSnapshot,
} from '../../../shared/metrics/dashboard';
import { TRAINING_PATHS } from '../../../shared/sync';
import { CalibrationDoc } from '../../../shared/training/docs';
import type { SessionManager } from '../auth/session';
import { ServiceError } from '../errors';
import type { Store } from '../store';
import { createHttp, getJson, type HttpPort, RequestFailed } from '../sync/http';
import { online } from '../sync/online';
import { MetricSnapshots } from './snapshots';

/** what the explorer's requests say offline */
const NEEDS_SERVER = 'The task explorer needs a connection to the server.';

export interface MetricsDeps {
  store: Store;
  session: SessionManager;
  http: HttpPort;
  clock: () => Date;
  /** the account the snapshots are kept under: the signed-in user's id */
  owner: () => string;
}

/**
 * The quality dashboards' data: asked from the server (it computes and scopes it by role); the last
 * answer is kept, so the dashboards still open offline, labeled with when it was fetched.
 */
export class MetricsService {
  private readonly snapshots: MetricSnapshots;

  constructor(private readonly deps: MetricsDeps) {
    this.snapshots = new MetricSnapshots(deps.store);
  }

  async projects(): Promise<MetricsProjectsReply> {
    const kept = await this.fetchOrKept('projects', METRICS_PATHS.projects, {}, MetricsProjectsReply);
    return MetricsProjectsReply.parse(kept.data);
  }

  async dashboard(projectId: string, podId: string | null): Promise<DashboardSnapshot> {
    const path = METRICS_PATHS.dashboard.replace(':projectId', encodeURIComponent(projectId));
    const kept = await this.fetchOrKept(
      `dashboard:${projectId}:${podId ?? '*'}`,
      path,
      podId ? { pod: podId } : {},
      DashboardReply,
    );
    return { ...kept, data: DashboardReply.parse(kept.data) };
  }

  /** One disagreed task's labels side by side (needs the server: labels are not kept here). */
  async taskLabels(projectId: string, taskId: string): Promise<TaskLabelsReply> {
    const path = METRICS_PATHS.taskLabels
      .replace(':projectId', encodeURIComponent(projectId))
      .replace(':taskId', encodeURIComponent(taskId));
    return online(
      this.deps.session,
      this.deps.http,
      { method: 'get', path, params: {} },
      TaskLabelsReply,
      NEEDS_SERVER,
    );
  }

  /**
   * Sends a disagreed task to the pod's next calibration: a round of that one task, without a key
   * (the lead's answer is the reference at the reveal), due in a week. A lead's own pod; an admin
   * names one.
   */
  async toCalibration(
    projectId: string,
    taskId: string,
    podId: string | null,
  ): Promise<{ roundId: string; title: string; dueAt: string }> {
    const pod = podId ?? this.deps.session.status().user?.podId ?? null;
    if (!pod)
      throw new ServiceError('invalid-input', 'Choose a pod first: a calibration round goes to one pod.');
    const { task } = await this.taskLabels(projectId, taskId);
    const dueAt = new Date(this.deps.clock().getTime() + 7 * 86_400_000).toISOString();
    const title = `Calibration: disagreement on ${taskId}`;
    const reply = await online(
      this.deps.session,
      this.deps.http,
      {
        method: 'post',
        path: TRAINING_PATHS.calibration,
        body: { podId: pod, title, dueAt, items: [{ task, key: null }] },
      },
      z.object({ round: CalibrationDoc }),
      NEEDS_SERVER,
    );
    return { roundId: reply.round.id, title, dueAt };
  }

  /**
   * The server's answer, kept; when the server cannot be reached, the copy kept last time. A refusal
   * (no such project, not allowed) is passed on in the server's words, and nothing kept is shown.
   */
  private async fetchOrKept<S extends z.ZodType>(
    key: string,
    path: string,
    params: Record<string, string>,
    schema: S,
  ): Promise<{ data: unknown; fetchedAt: string; offline: boolean; reason: string | null }> {
    const owner = this.deps.owner();
    const active = this.deps.session.active();
    let reason = 'Not signed in: sign in to see the latest figures.';
    if (active) {
      try {
        const data = await getJson(
          createHttp(active.serverUrl, this.deps.http),
          path,
          params,
          schema,
          active.token,
        );
        this.deps.session.contact();
        const fetchedAt = this.deps.clock().toISOString();
        this.deps.store.light(() => this.snapshots.put(owner, key, data, fetchedAt));
        return { data, fetchedAt, offline: false, reason: null };
      } catch (error) {
        if (!(error instanceof RequestFailed)) throw error;
        const { failure } = error;
        if (failure.kind === 'auth') {
          if (failure.status === 401) this.deps.session.rejected(failure.message);
          throw new ServiceError('forbidden', failure.message);
        }
        if (failure.kind === 'refused')
          throw new ServiceError(failure.status === 404 ? 'not-found' : 'invalid-input', failure.message);
        reason = failure.message;
      }
    }
    const kept = this.snapshots.get(owner, key);
    if (!kept) throw new ServiceError('unavailable', `${reason} No figures were kept on this computer yet.`);
    return { data: kept.body, fetchedAt: kept.fetchedAt, offline: true, reason };
  }
}
