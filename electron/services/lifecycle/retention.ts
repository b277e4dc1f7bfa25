import type { Store } from '../store';
import type { AckRow } from './erase';
import { scrub } from './erase';

const DAY_MS = 24 * 3600 * 1000;
/** rows per transaction: a long backlog is removed without blocking the reviewer for long */
const CHUNK = 500;

/**
 * Finished work the server acknowledged more than `days` ago (docs/workstation-sync.md,
 * "Retention"): a task whose every outbox row is accepted, with no draft, no unsent or quarantined
 * row, and its label (if any) marked synced; last changed before the cutoff. Tasks that never went
 * to a server (local imports), pending tasks and drafts are never touched.
 */
const EXPIRED = `
  SELECT t.id FROM tasks t
  WHERE t.state IN ('submitted', 'skipped', 'escalated') AND t.updated_at < ?
    AND EXISTS (SELECT 1 FROM outbox o WHERE o.task_id = t.id AND o.type <> 'training.answer'
                AND o.state = 'accepted' AND o.updated_at < ?)
    AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.task_id = t.id AND o.type <> 'training.answer'
                    AND o.state <> 'accepted')
    AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.task_id = t.id)
    AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.task_id = t.id AND (l.synced_at IS NULL OR l.updated_at >= ?))
  LIMIT ${CHUNK}`;

/**
 * Removes acknowledged work older than `days` from the local database, in small transactions, then
 * truncates the WAL (secure_delete has zeroed the rows in place). Returns how many tasks went.
 */
export function applyRetention(store: Store, days: number, now: Date, keep: () => AckRow): number {
  const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
  const expired = store.stmt(EXPIRED);
  const dropLabel = store.stmt('DELETE FROM labels WHERE task_id = ?');
  const dropRows = store.stmt(`DELETE FROM outbox WHERE task_id = ? AND state = 'accepted'
    AND type <> 'training.answer' AND NOT (device_id IS ? AND mutation_id IS ?)`);
  const dropTask = store.stmt('DELETE FROM tasks WHERE id = ?');
  const dropQa = store.stmt('DELETE FROM qa_tasks WHERE task_id = ?');
  let removed = 0;
  for (;;) {
    const batch = store.light(() => {
      const ids = expired.all(cutoff, cutoff, cutoff) as { id: string }[];
      const ack = keep();
      for (const { id } of ids) {
        dropLabel.run(id);
        dropRows.run(id, ack.deviceId, ack.mutationId);
        dropQa.run(id);
        dropTask.run(id); // drafts and leases go with it (ON DELETE CASCADE)
      }
      return ids.length;
    });
    removed += batch;
    if (batch < CHUNK) break;
  }
  if (removed > 0) scrub(store, { vacuum: false });
  return removed;
}
