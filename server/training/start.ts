import { randomUUID } from 'node:crypto';
import type { AttemptDoc, AttemptResult } from '../../shared/training/docs';
import type { TrainingItem } from '../../shared/training/key';
import { examStanding, standingMessage } from '../../shared/training/standing';
import type { AppContext, Caller } from '../context';
import type { ExamAttemptsTable } from '../db/schema';
import { HttpError } from '../errors';
import { attemptDoc, certificateDoc, examDoc, recordTrainingChanges } from './docs';
import { drawItems, serveItem, type RandomInt } from './serve';
import { settleExpiredAttempts } from './settle';

/**
 * Starts an attempt at an exam for the caller (POST TRAINING_PATHS.startAttempt): the standing
 * rules (shared/training/standing.ts, the same the workstation shows) decide whether one may start;
 * the items are drawn and served without keys (serve.ts); the attempt also reaches the caller's
 * other devices through the feed.
 */
export async function startAttempt(
  ctx: AppContext,
  caller: Caller,
  examId: string,
  random?: RandomInt,
): Promise<AttemptDoc> {
  return ctx.writes.run(async (trx) => {
    const now = ctx.clock();
    const nowIso = now.toISOString();
    // one start at a time per user: two requests at once must not both pass the standing check
    if (ctx.sdb.dialect === 'postgres')
      await trx.selectFrom('users').select('id').where('id', '=', caller.userId).forUpdate().execute();
    await settleExpiredAttempts(trx, ctx, caller.userId, now);
    const exam = await trx.selectFrom('exams').selectAll().where('id', '=', examId).executeTakeFirst();
    if (!exam) throw new HttpError(404, 'not-found', `no exam "${examId}"`);
    const attempts = await trx
      .selectFrom('exam_attempts')
      .select(['id', 'exam_id', 'number', 'started_at', 'deadline', 'state', 'result'])
      .where('user_id', '=', caller.userId)
      .where('exam_id', '=', exam.id)
      .execute();
    const certificates = await trx
      .selectFrom('certificates')
      .selectAll()
      .where('user_id', '=', caller.userId)
      .where('skill', '=', exam.skill)
      .execute();
    const rules = examDoc(exam);
    const standing = examStanding(
      rules,
      // standing reads ids, states, start times and grading times: the served items are not needed
      attempts.map((a) => ({
        kind: 'attempt' as const,
        id: a.id,
        examId: a.exam_id,
        number: a.number,
        startedAt: a.started_at,
        deadline: a.deadline,
        items: [],
        state: a.state,
        result: a.result === null ? null : (JSON.parse(a.result) as AttemptResult),
      })),
      certificates.map(certificateDoc),
      now,
    );
    const blocked = standingMessage(rules, standing);
    if (blocked !== null) throw new HttpError(409, 'exam-unavailable', blocked);

    const bank = await trx
      .selectFrom('exam_items')
      .select(['item_id as itemId', 'stratum'])
      .where('exam_id', '=', exam.id)
      .orderBy('position')
      .execute();
    const drawn = drawItems(bank, exam.draw, exam.stratify !== null, random);
    const bodies = new Map(
      (
        await trx
          .selectFrom('exam_items')
          .select(['item_id', 'body'])
          .where('exam_id', '=', exam.id)
          .where('item_id', 'in', drawn)
          .execute()
      ).map((r) => [r.item_id, JSON.parse(r.body) as TrainingItem]),
    );
    const id = randomUUID();
    const served = drawn.map((itemId, i) => serveItem(id, i + 1, bodies.get(itemId)!, random));
    const row: ExamAttemptsTable = {
      id,
      exam_id: exam.id,
      user_id: caller.userId,
      number: standing.attemptsUsed + 1,
      started_at: nowIso,
      deadline:
        exam.time_limit_min === null
          ? null
          : new Date(now.getTime() + exam.time_limit_min * 60_000).toISOString(),
      served: JSON.stringify(served),
      state: 'open',
      score: null,
      passed: null,
      graded_at: null,
      result: null,
    };
    await trx.insertInto('exam_attempts').values(row).execute();
    const doc = attemptDoc(row, served);
    await recordTrainingChanges(trx, [{ userId: caller.userId, doc }], nowIso);
    return doc;
  });
}
