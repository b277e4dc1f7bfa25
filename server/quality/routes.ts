import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { GOLD_PATHS, type GoldSummaryResponse } from '../../shared/gold';
import { QA_PATHS, QaClassificationRequest } from '../../shared/qa';
import { Id } from '../../shared/task';
import { requireCaller } from '../auth/guard';
import type { AppContext } from '../context';
import { parseOr400 } from '../errors';
import { classifyQa, qaComparison } from './comparison';
import { goldSummary } from './gold-summary';

const RatingParams = z.strictObject({ id: z.string().min(1).max(100) });
const PodParams = z.strictObject({ podId: Id });

/** re-raters: leads, admins, and reviewers given the qa permission (checked per re-rating) */
const RATER_ROLES = ['reviewer', 'lead', 'admin'] as const;

/** Blind QA re-rating and silent gold (docs/lead-workspace.md). */
export function registerQualityRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(QA_PATHS.comparison, { config: { roles: RATER_ROLES } }, async (request) => {
    const { id } = parseOr400(RatingParams, request.params, 'path');
    const caller = requireCaller(request);
    return ctx.writes.run((trx) => qaComparison(trx, caller, id, ctx.clock()));
  });
  app.post(QA_PATHS.classification, { config: { roles: RATER_ROLES } }, async (request) => {
    const { id } = parseOr400(RatingParams, request.params, 'path');
    const body = parseOr400(QaClassificationRequest, request.body);
    const caller = requireCaller(request);
    return ctx.writes.run((trx) => classifyQa(trx, caller, id, body, ctx.clock()));
  });
  /** a pod's gold results per reviewer and project: counts and mean score, never keys or feedback */
  app.get(
    GOLD_PATHS.summary,
    { config: { roles: ['lead', 'admin'], podParam: 'podId' } },
    async (request) => {
      const { podId } = parseOr400(PodParams, request.params, 'path');
      const result: GoldSummaryResponse = { reviewers: await goldSummary(ctx.sdb.db, podId) };
      return result;
    },
  );
}
