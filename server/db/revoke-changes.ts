import type { Kysely, Transaction } from 'kysely';
import type { Change } from '../../shared/sync';
import { chunks } from './batch';
import type { Database } from './schema';

/**
 * Tells each holder that a task left their queue (a `revoke` change in their pull feed): their lease
 * expired (the task went back to the pool) or the operator withdrew the task.
 */
export async function recordRevokes(
  trx: Transaction<Database> | Kysely<Database>,
  holders: readonly { task_id: string; user_id: string }[],
  reason: Extract<Change, { type: 'revoke' }>['reason'],
  nowIso: string,
): Promise<void> {
  for (const batch of chunks(holders))
    await trx
      .insertInto('changes')
      .values(
        batch.map((h) => ({
          user_id: h.user_id,
          type: 'revoke',
          payload: JSON.stringify({ type: 'revoke', taskId: h.task_id, reason } satisfies Change),
          created_at: nowIso,
        })),
      )
      .execute();
}
