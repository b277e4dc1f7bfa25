import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TRAINING_PATHS } from '../../shared/sync';
import { Id } from '../../shared/task';
import type { AttemptDoc, CalibrationDoc, ShadowSetDoc } from '../../shared/training/docs';
import { CalibrationItem, keyProblems } from '../../shared/training/key';
import { audit } from '../audit/audit';
import { ALL_ROLES, requireCaller } from '../auth/guard';
import type { AppContext, Caller } from '../context';
import { HttpError, parseOr400 } from '../errors';
import { createRound, roundDiscussion, roundDoc, RoundRefused } from '../training/calibration';
import { settleIfExpired } from '../training/settle';
import { startShadowSet } from '../training/shadow';
import { startAttempt } from '../training/start';

const ExamParams = z.strictObject({ examId: Id });
const RoundParams = z.strictObject({ roundId: Id });
const ShadowParams = z.strictObject({ projectId: Id });

/** POST TRAINING_PATHS.calibration: a round as a lead publishes it (items as in an item file, keys optional) */
const RoundBody = z.strictObject({
  podId: Id,
  title: z.string().min(1, 'must not be empty').max(300),
  dueAt: z.iso.datetime({ message: 'must be an ISO-8601 UTC datetime such as 2026-01-12T17:00:00.000Z' }),
  items: z.array(CalibrationItem).min(1, 'needs at least one item').max(200),
});

/** A lead acts for their own pod only; an admin for any. */
function ownPod(caller: Caller, podId: string): void {
  if (caller.role !== 'admin' && caller.podId !== podId)
    throw new HttpError(403, 'forbidden', 'this endpoint is limited to your own pod');
}

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

  /**
   * a shadowing set of a project open for shadowing (trainees): the unfinished one, else a new draw;
   * 404 for a project unknown, closed or never opened alike, 409 nothing-to-shadow
   */
  app.post(TRAINING_PATHS.startShadow, { config: { roles: ['trainee'] } }, async (request) => {
    const { projectId } = parseOr400(ShadowParams, request.params, 'path');
    const set: ShadowSetDoc = await startShadowSet(ctx, requireCaller(request), projectId);
    return { set };
  });

  /** publishes a calibration round to a pod: its trainees and reviewers, and its lead, get it */
  app.post(TRAINING_PATHS.calibration, { config: { roles: ['lead', 'admin'] } }, async (request) => {
    const caller = requireCaller(request);
    const body = parseOr400(RoundBody, request.body);
    ownPod(caller, body.podId);
    const issues = body.items.flatMap((item, i) => [
      ...(item.key ? keyProblems(item.task, item.key) : []).map((p) => ({
        path: `items.${i}.${p.path}`,
        message: p.message,
      })),
      ...(body.items.findIndex((other) => other.task.id === item.task.id) < i
        ? [{ path: `items.${i}.task.id`, message: `duplicate task id "${item.task.id}"` }]
        : []),
    ]);
    if (issues.length)
      throw new HttpError(
        400,
        'invalid-request',
        `invalid request body: ${issues[0]!.path}: ${issues[0]!.message}`,
        issues,
      );
    const round = await ctx.writes.run(async (trx) => {
      try {
        const created = await createRound(trx, { ...body, createdBy: caller.userId }, ctx.clock());
        await audit(trx, {
          actor: caller,
          action: 'calibration.create',
          targetType: 'calibration',
          targetId: created.id,
          after: { podId: body.podId, title: body.title, dueAt: body.dueAt, items: body.items.length },
          at: ctx.clock(),
        });
        return created;
      } catch (error) {
        if (error instanceof RoundRefused) throw new HttpError(400, 'invalid-request', error.message);
        throw error;
      }
    });
    const doc: CalibrationDoc = roundDoc(round, caller.userId, []);
    return { round: doc };
  });

  /** a revealed round's items, most disputed first, for the session the lead runs */
  app.get(TRAINING_PATHS.discussion, { config: { roles: ['lead', 'admin'] } }, async (request) => {
    const caller = requireCaller(request);
    const { roundId } = parseOr400(RoundParams, request.params, 'path');
    // a contact like any other: a round past its due date is revealed now
    await settleIfExpired(ctx, caller.userId);
    const row = await ctx.sdb.db
      .selectFrom('calibration_rounds')
      .selectAll()
      .where('id', '=', roundId)
      .executeTakeFirst();
    // another pod's round answers as an unknown one
    if (!row || (caller.role !== 'admin' && caller.podId !== row.pod_id))
      throw new HttpError(404, 'not-found', `no calibration round "${roundId}" in your pod`);
    const discussion = await roundDiscussion(ctx.sdb.db, row);
    if (!discussion)
      throw new HttpError(
        409,
        'not-revealed',
        `the round is revealed at ${row.due_at} or once everyone has answered`,
      );
    return discussion;
  });
}
