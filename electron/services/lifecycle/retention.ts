import type { Store } from '../store';
import type { AckRow } from './erase';
import { scrub } from './erase';

const DAY_MS = 24 * 3600 * 1000;
/** rows per transaction: a long backlog is removed without blocking the reviewer for long */
export const RETENTION_STEP = 500;
const CHUNK = RETENTION_STEP;

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
 * One step of retention: up to CHUNK expired tasks removed in one transaction (about 20 ms).
 * Returns how many went; CHUNK means there may be more.
 */
export function retentionStep(store: Store, days: number, now: Date, keep: () => AckRow): number {
  const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
  const expired = store.stmt(EXPIRED);
  const dropLabel = store.stmt('DELETE FROM labels WHERE task_id = ?');
  const dropRows = store.stmt(`DELETE FROM outbox WHERE task_id = ? AND state = 'accepted'
    AND type <> 'training.answer' AND NOT (device_id IS ? AND mutation_id IS ?)`);
  const dropTask = store.stmt('DELETE FROM tasks WHERE id = ?');
  const dropQa = store.stmt('DELETE FROM qa_tasks WHERE task_id = ?');
  return store.light(() => {
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
}

/**
 * Removes acknowledged work older than `days` from the local database at once, then truncates the
 * WAL (secure_delete has zeroed the rows in place). Returns how many tasks went. The services'
 * background run takes one step at a time instead (`retentionInSteps`), so a long backlog never
 * holds the process for more than a step.
 */
export function applyRetention(store: Store, days: number, now: Date, keep: () => AckRow): number {
  let removed = 0;
  for (;;) {
    const step = retentionStep(store, days, now, keep);
    removed += step;
    if (step < CHUNK) break;
  }
  if (removed > 0) scrub(store, { vacuum: false });
  return removed;
}

/** Retention one step per timer tick; `done` after the last step (and the scrub). */
export function retentionInSteps(
  store: Store,
  days: number,
  now: Date,
  keep: () => AckRow,
  done: (removed: number) => void,
  gapMs = 20,
): () => void {
  let removed = 0;
  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    timer = null;
    if (!store.db.open) return;
    try {
      const step = retentionStep(store, days, now, keep);
      removed += step;
      if (step === CHUNK) {
        timer = setTimeout(tick, gapMs).unref();
        return;
      }
      if (removed > 0) scrub(store, { vacuum: false });
    } catch (error) {
      // a timer callback must not throw: the next daily run tries again
      console.error('[services] retention failed:', error);
    }
    done(removed);
  };
  tick();
  return () => {
    if (timer) clearTimeout(timer);
  };
}
