import type { FastifyInstance } from 'fastify';
import { LeaseRequest, PullRequest, PushRequest, SYNC_PATHS } from '../../shared/sync';
import type { AppContext } from '../context';
import { requireCaller } from '../auth/guard';
import { HttpError, parseOr400 } from '../errors';
import { leaseTasks } from '../sync/lease';
import { wellbeingForCaller } from '../sync/wellbeing';
import { leaseQa } from '../quality/qa-lease';
import { pullChanges } from '../sync/pull';
import { applyPushes } from '../sync/push';
import { PushGroups, type PushGroupOptions } from '../sync/push-groups';

/** Trainees push and pull too (training projects); production work is refused per task and project. */
const SYNC_ROLES = ['trainee', 'reviewer', 'lead', 'admin'] as const;

export function registerSyncRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  pushOptions: PushGroupOptions = {},
): void {
  // the push route owns its queue: pushes that arrive together are applied together
  const pushes = new PushGroups(
    ctx.writes,
    ctx.sdb.dialect,
    (trx, group) => applyPushes(trx, ctx, group),
    pushOptions,
  );

  app.post(SYNC_PATHS.lease, { config: { roles: SYNC_ROLES } }, async (request) => {
    const body = parseOr400(LeaseRequest, request.body ?? {});
    if (body.queue === 'qa') return leaseQa(ctx, requireCaller(request), body.projectId);
    const caller = requireCaller(request);
    const leased = await leaseTasks(ctx, caller, body.projectId, { utcOffsetMinutes: body.utcOffsetMinutes });
    // the caps and break reminder travel with every lease reply (docs/wellbeing.md); none: left out
    const wellbeing = await wellbeingForCaller(ctx.sdb.db, caller);
    return wellbeing.length ? { ...leased, wellbeing } : leased;
  });
  app.post(SYNC_PATHS.push, { config: { roles: SYNC_ROLES } }, async (request) => {
    const caller = requireCaller(request);
    const req = parseOr400(PushRequest, request.body);
    if (req.deviceId !== caller.deviceId)
      throw new HttpError(
        403,
        'device-mismatch',
        `deviceId ${req.deviceId} is not the device this session signed in on`,
      );
    return pushes.submit(caller, req);
  });
  app.post(SYNC_PATHS.pull, { config: { roles: SYNC_ROLES } }, async (request) =>
    pullChanges(ctx, requireCaller(request), parseOr400(PullRequest, request.body)),
  );
}
