import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../context';
import type { Database } from '../db/schema';
import { AttemptSet } from './attempt-set';
import { dueRoundsQuery, revealDueRounds } from './calibration';
import { LATE_GRACE_MS, writeGrades } from './grade';

/** open attempts of the user whose deadline and its grace have passed (exam_attempts_user_exam index) */
const expiredQuery = (db: Kysely<Database> | Transaction<Database>, userId: string, now: Date) =>
  db
    .selectFrom('exam_attempts')
    .select('id')
    .where('user_id', '=', userId)
    .where('state', '=', 'open')
    .where('deadline', 'is not', null)
    .where('deadline', '<', new Date(now.getTime() - LATE_GRACE_MS).toISOString());

/**
 * What falls due at a contact with the server, in the caller's transaction: the user's attempts
 * whose time is up are graded (grade.ts, "Time limits": what was answered counts, the rest 0), and
 * calibration rounds past their due date are revealed (calibration.ts). Returns how many attempts
 * were graded.
 */
export async function settleExpiredAttempts(
  trx: Transaction<Database>,
  ctx: Pick<AppContext, 'sdb'>,
  userId: string,
  now: Date,
): Promise<number> {
  await revealDueRounds(trx, now);
  const ids = (await expiredQuery(trx, userId, now).execute()).map((r) => r.id);
  if (ids.length === 0) return 0;
  const set = await AttemptSet.load(trx, ctx.sdb.dialect, ids);
  // re-read under the lock: a push may have graded one meanwhile
  const open = ids.filter((id) => set.attempts.get(id)?.state === 'open');
  const nowIso = now.toISOString();
  await writeGrades(trx, set.grade(open, nowIso), nowIso);
  return open.length;
}

/**
 * For a read path (pull): two indexed lookups outside the write queue, and a write only when an
 * attempt of the caller or a calibration round is due to be settled.
 */
export async function settleIfExpired(ctx: AppContext, userId: string): Promise<void> {
  const now = ctx.clock();
  const any =
    (await expiredQuery(ctx.sdb.db, userId, now).limit(1).executeTakeFirst()) ??
    (await dueRoundsQuery(ctx.sdb.db, now).limit(1).executeTakeFirst());
  if (any) await ctx.writes.run((trx) => settleExpiredAttempts(trx, ctx, userId, now));
}
