import type { FastifyInstance } from 'fastify';
import { LeaseRequest, PullRequest, PushRequest, SYNC_PATHS } from '../../shared/sync';
import type { AppContext } from '../context';
import { requireCaller } from '../auth/guard';
import { parseOr400 } from '../errors';
import { leaseTasks } from '../sync/lease';
import { pullChanges } from '../sync/pull';
import { pushMutations } from '../sync/push';

/** Trainees push and pull too (training projects); production work is refused per task and project. */
const SYNC_ROLES = ['trainee', 'reviewer', 'lead', 'admin'] as const;

export function registerSyncRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(SYNC_PATHS.lease, { config: { roles: SYNC_ROLES } }, async (request) => {
    const body = parseOr400(LeaseRequest, request.body ?? {});
    return leaseTasks(ctx, requireCaller(request), body.projectId);
  });
  app.post(SYNC_PATHS.push, { config: { roles: SYNC_ROLES } }, async (request) =>
    pushMutations(ctx, requireCaller(request), parseOr400(PushRequest, request.body)),
  );
  app.post(SYNC_PATHS.pull, { config: { roles: SYNC_ROLES } }, async (request) =>
    pullChanges(ctx, requireCaller(request), parseOr400(PullRequest, request.body)),
  );
}
