import type { Kysely, Transaction } from 'kysely';
import { chunks } from './batch';
import type { Database, LeaseState } from './schema';

/** Lease states that hold a rating slot; a completed lease's slot is held by its label instead. */
export const OCCUPYING_STATES = ['active', 'escalated'] as const satisfies readonly LeaseState[];

export const occupies = (state: LeaseState): number =>
  (OCCUPYING_STATES as readonly LeaseState[]).includes(state) ? 1 : 0;

/** Per-task changes of tasks.occupancy collected during a write, applied at its end. */
export class OccupancyDelta {
  private readonly delta = new Map<string, number>();

  add(taskId: string, by: number): void {
    if (by !== 0) this.delta.set(taskId, (this.delta.get(taskId) ?? 0) + by);
  }

  leaseMoved(taskId: string, from: LeaseState, to: LeaseState): void {
    this.add(taskId, occupies(to) - occupies(from));
  }

  /**
   * One UPDATE per distinct delta (usually one), task ids sorted so concurrent writers lock rows in
   * the same order.
   */
  async apply(trx: Transaction<Database> | Kysely<Database>): Promise<void> {
    const byDelta = new Map<number, string[]>();
    for (const [taskId, by] of this.delta)
      if (by !== 0) byDelta.set(by, [...(byDelta.get(by) ?? []), taskId]);
    for (const [by, ids] of byDelta)
      for (const batch of chunks(ids.sort()))
        await trx
          .updateTable('tasks')
          .set((eb) => ({ occupancy: eb('occupancy', '+', by) }))
          .where('id', 'in', batch)
          .execute();
    this.delta.clear();
  }
}
