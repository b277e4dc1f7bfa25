import type { Kysely, Transaction } from 'kysely';
import type { Change } from '../../shared/sync';
import { OccupancyDelta } from './occupancy';
import { recordRevokes } from './revoke-changes';
import { chunks } from './batch';
import type { Database } from './schema';

export type WithdrawResult = {
  /** tasks newly withdrawn by this call */
  withdrawn: number;
  /** ids already withdrawn before (left as they were) */
  already: number;
  /** reviewers told to drop the task from their queue */
  notified: number;
};

/** Some ids are not tasks of the project: nothing was withdrawn. */
export class UnknownTasksError extends Error {
  constructor(
    readonly projectId: string,
    readonly unknown: string[],
  ) {
    const shown = unknown.slice(0, 20).join(', ');
    const more = unknown.length > 20 ? ` and ${unknown.length - 20} more` : '';
    super(`not tasks of project ${projectId}: ${shown}${more}; nothing withdrawn`);
  }
}

/**
 * Withdraws tasks from a project (a bad prompt, a leaked secret, a duplicate): never leased again,
 * active leases end, and every reviewer holding one gets a 'revoke' change at their next pull.
 * Labels already received stay (exports filter on the task); later pushes on the task are
 * rejected 'task-revoked', which the workstation keeps in quarantine, never deletes.
 * All or nothing: one transaction; an id that is not a task of the project withdraws nothing
 * (UnknownTasksError).
 */
export async function withdrawTasks(
  db: Kysely<Database>,
  projectId: string,
  taskIds: readonly string[],
  nowIso = new Date().toISOString(),
): Promise<WithdrawResult> {
  const ids = [...new Set(taskIds)];
  return db.transaction().execute(async (trx) => {
    const result: WithdrawResult = { withdrawn: 0, already: 0, notified: 0 };
    const unknown: string[] = [];
    for (const batch of chunks(ids)) {
      const found = await trx
        .selectFrom('tasks')
        .select(['id', 'revoked_at'])
        .where('project_id', '=', projectId)
        .where('id', 'in', batch)
        .execute();
      const known = new Map(found.map((t) => [t.id, t.revoked_at]));
      unknown.push(...batch.filter((id) => !known.has(id)));
      const fresh = found.filter((t) => t.revoked_at === null).map((t) => t.id);
      result.already += found.length - fresh.length;
      // already withdrawn ones too (an index lookup): withdrawing a task again scrubs whatever is left
      await scrubAssignments(
        trx,
        found.map((t) => t.id),
      );
      if (fresh.length === 0) continue;
      await trx.updateTable('tasks').set({ revoked_at: nowIso }).where('id', 'in', fresh).execute();
      const holders = await trx
        .updateTable('leases')
        .set({ state: 'released' })
        .where('task_id', 'in', fresh)
        .where('state', '=', 'active')
        .returning(['task_id', 'user_id'])
        .execute();
      await recordRevokes(trx, holders, 'revoked', nowIso);
      const occupancy = new OccupancyDelta();
      for (const h of holders) occupancy.leaseMoved(h.task_id, 'active', 'released');
      await occupancy.apply(trx);
      result.withdrawn += fresh.length;
      result.notified += holders.length;
    }
    if (unknown.length) throw new UnknownTasksError(projectId, unknown);
    return result;
  });
}

/**
 * The withdrawn tasks' text leaves the change feed: every `assignment` change of theirs becomes the
 * `revoke` change, in place. Not deleted: pull cursors name change rows by seq, so the row stays
 * where it is; a client that reads it (a new device pulling from the start) drops the task, or never
 * learns it. Rows are found through the index on changes.assignment_task_id.
 */
async function scrubAssignments(trx: Transaction<Database>, taskIds: readonly string[]): Promise<void> {
  if (taskIds.length === 0) return;
  const assigned = await trx
    .selectFrom('changes')
    .select('assignment_task_id')
    .distinct()
    .where('assignment_task_id', 'is not', null)
    .where('assignment_task_id', 'in', taskIds)
    .execute();
  for (const { assignment_task_id: taskId } of assigned) {
    const revoke: Change = { type: 'revoke', taskId: taskId!, reason: 'revoked' };
    await trx
      .updateTable('changes')
      .set({ type: 'revoke', payload: JSON.stringify(revoke) })
      .where('assignment_task_id', '=', taskId)
      .execute();
  }
}
