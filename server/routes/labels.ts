import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Label } from '../../shared/label';
import type { AppContext } from '../context';
import { ALL_ROLES, requireCaller } from '../auth/guard';
import { parseOr400 } from '../errors';
import { projectVisible } from '../auth/project-access';
import type { Caller } from '../context';

export const LABEL_PATHS = { mine: '/v1/labels/mine', pod: '/v1/pods/:podId/labels' } as const;

const Page = z.strictObject({
  after: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export type LabelItem = {
  label: Label;
  username: string;
  flagged: string | null;
  receivedAt: string;
};
export type LabelPage = { items: LabelItem[]; next: string | null };

/** Who sees which labels: a reviewer their own, a lead their pod's (checked by the route's podParam), admin all. */
export function registerLabelRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.sdb.db;
  const page = async (
    filter: { userId?: string; podId?: string; blindQa?: boolean; viewer?: Caller },
    after: string | undefined,
    limit: number,
  ) => {
    let q = db
      .selectFrom('labels as l')
      .innerJoin('users as u', 'u.id', 'l.user_id')
      .select(['l.id', 'l.body', 'u.username', 'l.flagged', 'l.received_at'])
      .orderBy('l.id')
      .limit(limit + 1);
    if (filter.userId) q = q.where('l.user_id', '=', filter.userId);
    if (filter.podId) q = q.where('u.pod_id', '=', filter.podId);
    if (after) q = q.where('l.id', '>', after);
    // a lead reads their pod's labels on the projects they may see (docs/server.md, "Projects and pods")
    if (filter.viewer) q = q.where(projectVisible(filter.viewer, 'l.project_id'));
    // a label sampled for QA stays out of a lead's view until it is re-rated: the lead may be the
    // one who re-rates it blind (docs/lead-workspace.md, "Blind QA re-rating")
    if (filter.blindQa)
      q = q.where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('qa_samples as s')
              .select('s.id')
              .whereRef('s.label_id', '=', 'l.id')
              .where('s.rated_at', 'is', null),
          ),
        ),
      );
    const rows = await q.execute();
    const items = rows.slice(0, limit);
    const result: LabelPage = {
      items: items.map((r) => ({
        label: JSON.parse(r.body) as Label,
        username: r.username,
        flagged: r.flagged,
        receivedAt: r.received_at,
      })),
      next: rows.length > limit ? items[items.length - 1]!.id : null,
    };
    return result;
  };

  app.get(LABEL_PATHS.mine, { config: { roles: ALL_ROLES } }, async (request) => {
    const q = parseOr400(Page, request.query, 'query');
    return page({ userId: requireCaller(request).userId }, q.after, q.limit);
  });
  app.get(LABEL_PATHS.pod, { config: { roles: ['lead', 'admin'], podParam: 'podId' } }, async (request) => {
    const q = parseOr400(Page, request.query, 'query');
    const viewer = requireCaller(request);
    const blindQa = viewer.role !== 'admin';
    return page({ podId: (request.params as { podId: string }).podId, blindQa, viewer }, q.after, q.limit);
  });
}
