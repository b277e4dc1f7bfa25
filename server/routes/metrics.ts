import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Label } from '../../shared/label';
import {
  METRICS_PATHS,
  selfView,
  type DashboardReply,
  type TaskLabelsReply,
} from '../../shared/metrics/dashboard';
import { Id, type Task } from '../../shared/task';
import { requireCaller } from '../auth/guard';
import { projectVisible, visibleProject } from '../auth/project-access';
import type { AppContext } from '../context';
import { HttpError, parseOr400 } from '../errors';
import { MetricsCache } from '../metrics/cache';
import { computeMetrics, MetricsScopeError } from '../metrics/compute';
import { taskForCaller } from '../sync/lease';

const Params = z.strictObject({ projectId: Id });
const Query = z.strictObject({ pod: Id.optional() });
const TaskParams = z.strictObject({ projectId: Id, taskId: Id });

/** unknown projects and pods answer alike, whoever asks: no existence oracle */
const notFound = (what: string) => new HttpError(404, 'not-found', what);

/**
 * The quality dashboards' data (docs/metrics.md, "Dashboards"): the same computeMetrics the CLI
 * prints, kept a few minutes while its inputs are unchanged (metrics/cache.ts). An admin reads any
 * pod or all; a lead only their own pod (whatever `pod` says); a reviewer only their own figures
 * beside their pod's medians. Trainees have no dashboard.
 */
export function registerMetricsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const reports = new MetricsCache();
  app.get(METRICS_PATHS.projects, { config: { roles: ['reviewer', 'lead', 'admin'] } }, async (request) => {
    const projects = await ctx.sdb.db
      .selectFrom('projects')
      .select(['id', 'name'])
      .where('production', '=', 1)
      // only the projects the caller may see (docs/server.md, "Projects and pods")
      .where(projectVisible(requireCaller(request), 'id'))
      .orderBy('name')
      .orderBy('id')
      .execute();
    return { projects };
  });

  app.get(METRICS_PATHS.dashboard, { config: { roles: ['reviewer', 'lead', 'admin'] } }, async (request) => {
    const caller = requireCaller(request);
    const { projectId } = parseOr400(Params, request.params, 'path');
    const { pod } = parseOr400(Query, request.query, 'query');
    if (caller.role !== 'admin' && caller.podId === null)
      throw new HttpError(403, 'forbidden', 'you are in no pod: your lead or an admin can add you to one');
    // a lead or a reviewer sees their own pod, whatever they asked for
    const scopePod = caller.role === 'admin' ? (pod ?? null) : caller.podId;
    if (caller.role !== 'admin' && pod !== undefined && pod !== caller.podId)
      throw notFound(`no pod "${pod}" of yours`);
    // another pod's project: the words computeMetrics has for an unknown one
    if (!(await visibleProject(ctx.sdb.db, caller, projectId))) throw notFound(`no project "${projectId}"`);
    try {
      const now = ctx.clock();
      const options = { projectId, pod: scopePod, now };
      const report = await reports.get(ctx.sdb.db, options, now, () => computeMetrics(ctx.sdb.db, options));
      const reply: DashboardReply =
        caller.role === 'reviewer'
          ? { view: 'self', self: selfView(report, caller.userId, caller.podId) }
          : { view: 'team', report };
      return reply;
    } catch (error) {
      if (error instanceof MetricsScopeError) throw notFound(error.message);
      throw error;
    }
  });

  /**
   * One task's labels side by side (the disagreement explorer): the judgements and tags, with
   * names only of the caller's own pod for a lead (an admin sees every name). No rationale texts.
   */
  app.get(METRICS_PATHS.taskLabels, { config: { roles: ['lead', 'admin'] } }, async (request) => {
    const caller = requireCaller(request);
    const { projectId, taskId } = parseOr400(TaskParams, request.params, 'path');
    const db = ctx.sdb.db;
    const visible = await visibleProject(db, caller, projectId);
    const task =
      visible &&
      (await db
        .selectFrom('tasks')
        .select('body')
        .where('id', '=', taskId)
        .where('project_id', '=', projectId)
        .executeTakeFirst());
    if (!task) throw notFound(`no task "${taskId}" in project "${projectId}"`);
    let labels = db
      .selectFrom('labels as l')
      .innerJoin('users as u', 'u.id', 'l.user_id')
      .select(['l.body', 'l.received_at', 'u.username', 'u.pod_id'])
      .where('l.task_id', '=', taskId)
      .orderBy('l.received_at');
    // a label sampled for QA stays out of a lead's view until it is re-rated: the lead may be the
    // one who re-rates it blind (docs/lead-workspace.md, "Blind QA re-rating")
    if (caller.role !== 'admin')
      labels = labels.where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('qa_samples as s')
              .select('s.id')
              .whereRef('s.label_id', '=', 'l.id')
              .where('s.rated_at', 'is', null),
          ),
        ),
      );
    const rows = await labels.execute();
    // a lead looks at their own pod's work: an overlap task with none of it is not theirs to open
    if (caller.role !== 'admin' && !rows.some((r) => r.pod_id === caller.podId))
      throw notFound(`no task "${taskId}" in project "${projectId}" with labels of your pod`);
    const reply: TaskLabelsReply = {
      task: taskForCaller(JSON.parse(task.body) as Task, caller),
      labels: rows.map((row) => {
        const label = JSON.parse(row.body) as Label;
        return {
          reviewer: caller.role === 'admin' || row.pod_id === caller.podId ? row.username : null,
          podId: row.pod_id,
          kind: label.kind,
          ranks: label.ranks,
          pairwise: label.pairwise && {
            preferredResponseId: label.pairwise.preferredResponseId,
            strength: label.pairwise.strength,
          },
          tags: label.tags,
          receivedAt: row.received_at,
        };
      }),
    };
    return reply;
  });
}
