import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TRAINING_PATHS } from '../../shared/sync';
import { Id } from '../../shared/task';
import type { AttemptDoc } from '../../shared/training/docs';
import { ALL_ROLES, requireCaller } from '../auth/guard';
import type { AppContext } from '../context';
import { parseOr400 } from '../errors';
import { startAttempt } from '../training/start';

const ExamParams = z.strictObject({ examId: Id });

/**
 * Training endpoints (docs/training.md). Answers do not come here: they go through the push, like
 * labels, exactly once; results come back through the pull feed.
 */
export function registerTrainingRoutes(app: FastifyInstance, ctx: AppContext): void {
  /** starts an attempt: 404 unknown exam, 409 exam-unavailable with the reason in plain words */
  app.post(TRAINING_PATHS.startAttempt, { config: { roles: ALL_ROLES } }, async (request) => {
    const { examId } = parseOr400(ExamParams, request.params, 'path');
    const attempt: AttemptDoc = await startAttempt(ctx, requireCaller(request), examId);
    return { attempt };
  });
}
