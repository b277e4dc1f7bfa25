import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  AuditQuery,
  CoachingRequest,
  EscalationId,
  InboxQuery,
  LEAD_PATHS,
  PromoteRequest,
  RecertificationRequest,
  RestrictionRequest,
  RulingRequest,
} from '../../shared/lead';
import { Id } from '../../shared/task';
import { auditPage, sinceIso } from '../audit/audit';
import { ALL_ROLES, requireCaller } from '../auth/guard';
import type { AppContext } from '../context';
import { HttpError, parseOr400 } from '../errors';
import { acknowledgeAction, liftAction, listActions, takeAction } from '../quality/actions';
import { podInbox } from '../quality/escalations';
import { podMembers } from '../quality/pod-members';
import { promoteRuling } from '../quality/promote';
import { ruleOnEscalation } from '../quality/rulings';

const PodParams = z.strictObject({ podId: Id });
const EscalationParams = z.strictObject({ id: EscalationId });
const ReviewerParams = z.strictObject({ podId: Id, userId: z.string().min(1).max(100) });
const LiftParams = ReviewerParams.extend({ actionId: z.string().min(1).max(100) });
const AckParams = z.strictObject({ actionId: z.string().min(1).max(100) });

const LEADS = ['lead', 'admin'] as const;

/**
 * The lead workspace (docs/lead-workspace.md). Pod routes carry the pod in the path (the guard
 * keeps a lead to their own); escalation routes find the pod from the escalation and answer 404
 * for another pod's, as for an unknown id. Every change a lead or admin makes is audited in its
 * own transaction.
 */
export function registerLeadRoutes(app: FastifyInstance, ctx: AppContext): void {
  const pod = { roles: LEADS, podParam: 'podId' };

  app.get(LEAD_PATHS.inbox, { config: pod }, async (request) => {
    const { podId } = parseOr400(PodParams, request.params, 'path');
    const query = parseOr400(InboxQuery, request.query, 'query');
    return podInbox(ctx.sdb.db, podId, query, ctx.clock(), requireCaller(request));
  });

  app.post(LEAD_PATHS.ruling, { config: { roles: LEADS } }, async (request) => {
    const { id } = parseOr400(EscalationParams, request.params, 'path');
    const body = parseOr400(RulingRequest, request.body);
    return { ruling: await ruleOnEscalation(ctx, requireCaller(request), id, body) };
  });

  app.post(LEAD_PATHS.promote, { config: { roles: LEADS } }, async (request) => {
    const { id } = parseOr400(EscalationParams, request.params, 'path');
    const body = parseOr400(PromoteRequest, request.body);
    return promoteRuling(ctx, requireCaller(request), id, body);
  });

  app.get(LEAD_PATHS.reviewers, { config: pod }, async (request) => {
    const { podId } = parseOr400(PodParams, request.params, 'path');
    return { reviewers: await podMembers(ctx.sdb.db, podId) };
  });

  app.get(LEAD_PATHS.actions, { config: pod }, async (request) => {
    const { podId, userId } = parseOr400(ReviewerParams, request.params, 'path');
    return { actions: await listActions(ctx.sdb.db, podId, userId) };
  });

  app.post(LEAD_PATHS.coaching, { config: pod }, async (request) => {
    const { podId, userId } = parseOr400(ReviewerParams, request.params, 'path');
    const body = parseOr400(CoachingRequest, request.body);
    return {
      action: await takeAction(ctx, requireCaller(request), podId, userId, { kind: 'coaching', ...body }),
    };
  });

  app.post(LEAD_PATHS.restriction, { config: pod }, async (request) => {
    const { podId, userId } = parseOr400(ReviewerParams, request.params, 'path');
    const body = parseOr400(RestrictionRequest, request.body);
    return {
      action: await takeAction(ctx, requireCaller(request), podId, userId, { kind: 'restriction', ...body }),
    };
  });

  app.post(LEAD_PATHS.recertification, { config: pod }, async (request) => {
    const { podId, userId } = parseOr400(ReviewerParams, request.params, 'path');
    const body = parseOr400(RecertificationRequest, request.body);
    return {
      action: await takeAction(ctx, requireCaller(request), podId, userId, {
        kind: 'recertification',
        ...body,
      }),
    };
  });

  app.post(LEAD_PATHS.lift, { config: pod }, async (request) => {
    const { podId, userId, actionId } = parseOr400(LiftParams, request.params, 'path');
    return { action: await liftAction(ctx, requireCaller(request), podId, userId, actionId) };
  });

  app.post(LEAD_PATHS.acknowledge, { config: { roles: ALL_ROLES } }, async (request) => {
    const { actionId } = parseOr400(AckParams, request.params, 'path');
    return { action: await acknowledgeAction(ctx, requireCaller(request), actionId) };
  });

  app.get(LEAD_PATHS.audit, { config: { roles: ['admin'] } }, async (request) => {
    const query = parseOr400(AuditQuery, request.query, 'query');
    let since: string | undefined;
    if (query.since !== undefined) {
      const iso = sinceIso(query.since);
      if (iso === null)
        throw new HttpError(
          400,
          'invalid-request',
          `invalid request query: since: "${query.since}" is not a date (YYYY-MM-DD) or an ISO-8601 datetime`,
          [{ path: 'since', message: 'must be a date (YYYY-MM-DD) or an ISO-8601 datetime' }],
        );
      since = iso;
    }
    const entries = await auditPage(ctx.sdb.db, { since, after: query.after, limit: query.limit });
    return { entries, next: entries.length === query.limit ? entries[entries.length - 1]!.id : null };
  });
}
