import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  DraftId,
  DraftListQuery,
  GUIDELINE_DRAFT_PATHS,
  GuidelineDraftRequest,
  PublishDraftRequest,
  RejectDraftRequest,
  type DraftList,
} from '../../shared/guideline-draft';
import { Id } from '../../shared/task';
import { requireCaller } from '../auth/guard';
import type { AppContext } from '../context';
import { parseOr400 } from '../errors';
import { createDraft, listDrafts, publishDraft, rejectDraft } from '../quality/guideline-drafts';

const PodParams = z.strictObject({ podId: Id });
const DraftParams = z.strictObject({ id: DraftId });

/**
 * The guideline loop (docs/lead-workspace.md, "Guideline loop"): a lead drafts for their own pod
 * (the pod in the path, kept to theirs by the guard); an admin lists every draft and publishes or
 * rejects one. Each change is audited in its own transaction.
 */
export function registerGuidelineDraftRoutes(app: FastifyInstance, ctx: AppContext): void {
  const pod = { roles: ['lead', 'admin'] as const, podParam: 'podId' };

  app.get(GUIDELINE_DRAFT_PATHS.pod, { config: pod }, async (request) => {
    const { podId } = parseOr400(PodParams, request.params, 'path');
    const query = parseOr400(DraftListQuery, request.query, 'query');
    const result: DraftList = { drafts: await listDrafts(ctx.sdb.db, podId, query) };
    return result;
  });

  app.post(GUIDELINE_DRAFT_PATHS.pod, { config: pod }, async (request) => {
    const { podId } = parseOr400(PodParams, request.params, 'path');
    const body = parseOr400(GuidelineDraftRequest, request.body);
    const caller = requireCaller(request);
    return { draft: await ctx.writes.run((trx) => createDraft(trx, caller, podId, body, ctx.clock())) };
  });

  app.get(GUIDELINE_DRAFT_PATHS.all, { config: { roles: ['admin'] } }, async (request) => {
    const query = parseOr400(DraftListQuery, request.query, 'query');
    const result: DraftList = { drafts: await listDrafts(ctx.sdb.db, undefined, query) };
    return result;
  });

  app.post(GUIDELINE_DRAFT_PATHS.publish, { config: { roles: ['admin'] } }, async (request) => {
    const { id } = parseOr400(DraftParams, request.params, 'path');
    const { level } = parseOr400(PublishDraftRequest, request.body);
    const caller = requireCaller(request);
    return ctx.writes.run((trx) => publishDraft(trx, caller, id, level, ctx.clock()));
  });

  app.post(GUIDELINE_DRAFT_PATHS.reject, { config: { roles: ['admin'] } }, async (request) => {
    const { id } = parseOr400(DraftParams, request.params, 'path');
    const { reason } = parseOr400(RejectDraftRequest, request.body);
    const caller = requireCaller(request);
    return { draft: await ctx.writes.run((trx) => rejectDraft(trx, caller, id, reason, ctx.clock())) };
  });
}
