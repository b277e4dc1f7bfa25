import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Trx = Transaction<Database> | Kysely<Database>;
/** a uniform number in [0, 1) (tests pass their own) */
export type Random = () => number;

/** How many of a batch's `slots` go to gold: each slot independently with probability `rate`. */
export function goldSlots(slots: number, rate: number, random: Random = Math.random): number {
  let n = 0;
  if (rate > 0) for (let i = 0; i < slots; i++) if (random() < rate) n++;
  return n;
}

/**
 * Up to `count` gold tasks of the project for this reviewer, drawn at random among those not
 * withdrawn that they have never held (in any lease state) nor labeled: never twice to anyone.
 */
export async function drawGold(
  trx: Trx,
  projectId: string,
  userId: string,
  count: number,
  random: Random = Math.random,
): Promise<{ id: string; body: string }[]> {
  if (count <= 0) return [];
  const candidates = await trx
    .selectFrom('gold_keys as g')
    .innerJoin('tasks as t', 't.id', 'g.task_id')
    .select(['t.id', 't.body'])
    .where('g.project_id', '=', projectId)
    .where('t.revoked_at', 'is', null)
    .where('t.id', 'not in', (eb) =>
      eb
        .selectFrom('leases')
        .select('task_id')
        .where('user_id', '=', userId)
        .where('project_id', '=', projectId),
    )
    .where('t.id', 'not in', (eb) =>
      eb
        .selectFrom('labels')
        .select('task_id')
        .where('user_id', '=', userId)
        .where('project_id', '=', projectId),
    )
    .orderBy('t.id')
    .execute();
  return shuffle(candidates, random).slice(0, count);
}

/** Fisher–Yates on a copy. */
export function shuffle<T>(items: readonly T[], random: Random = Math.random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `regular` in its order with each of `extra` put at a random position. */
export function mixIn<T>(regular: readonly T[], extra: readonly T[], random: Random = Math.random): T[] {
  const out = [...regular];
  for (const item of extra) out.splice(Math.floor(random() * (out.length + 1)), 0, item);
  return out;
}
