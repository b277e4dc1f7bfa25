import type { Store } from '../store';

/**
 * Deleting what the laptop holds of an account (docs/security.md, "Local data lifecycle"). The store
 * runs with `secure_delete` on, so a deleted row's bytes are overwritten in its page; the WAL still
 * holds the pages as they were before, until a checkpoint truncates it (`scrub`).
 */

/**
 * The acknowledged history point (the device id and its last acknowledged mutation id): its outbox
 * row holds the history digest the next push starts from, so it stays whatever else goes.
 */
export type AckRow = { deviceId: string; mutationId: number };

/** accepted rows are only the record of what the server holds: all go but the acknowledged point */
export const ACCEPTED_BUT_ACK = `DELETE FROM outbox WHERE state = 'accepted'
  AND NOT (device_id IS ? AND mutation_id IS ?)`;

/** tasks that must stay: a quarantined item's task (the refused work is kept with its reason) */
const KEPT_TASK = `SELECT task_id FROM outbox WHERE state = 'quarantined' AND type <> 'training.answer'`;

/**
 * The previous account's work on a shared laptop, once its outbox is empty (the session refuses a
 * sign-in over unsent work, so that is the caller's precondition): tasks, drafts, labels, leases,
 * the record of accepted items, its training answers and tries, its metric snapshots. Quarantined
 * items stay. Runs inside the caller's transaction.
 */
export function removeAccountWork(store: Store, ownerId: string | null, keep: AckRow): void {
  if (!store.db.inTransaction) throw new Error('removeAccountWork must run inside a transaction');
  const unsent = store.stmt(`SELECT count(*) AS n FROM outbox WHERE state IN ('queued', 'sent')`).get() as {
    n: number;
  };
  if (unsent.n > 0) throw new Error('removeAccountWork: the outbox still holds unsent work');
  store.db.exec(`
    DELETE FROM labels WHERE task_id NOT IN (${KEPT_TASK});
    DELETE FROM tasks WHERE id NOT IN (${KEPT_TASK});
  `);
  store.stmt(ACCEPTED_BUT_ACK).run(keep.deviceId, keep.mutationId);
  if (ownerId !== null) {
    for (const table of ['training_answers', 'training_attempts', 'metric_snapshots'])
      store.stmt(`DELETE FROM ${table} WHERE owner_id = ?`).run(ownerId);
  }
  store.stmt(`DELETE FROM settings WHERE key = 'currentTaskId'`).run();
}

/**
 * Everything of the account and of the server on this laptop (a wipe order): every task, draft,
 * label and outbox row (unsent and quarantined included), training, notices, metric snapshots, QA
 * marks, guideline notices, the server's configuration documents and the sync state. Returns how
 * many unsent items went. Runs inside the caller's transaction.
 */
export function eraseAll(store: Store): { unsent: number } {
  if (!store.db.inTransaction) throw new Error('eraseAll must run inside a transaction');
  const { n } = store.stmt(`SELECT count(*) AS n FROM outbox WHERE state IN ('queued', 'sent')`).get() as {
    n: number;
  };
  store.db.exec(`
    DELETE FROM drafts;
    DELETE FROM labels;
    DELETE FROM leases;
    DELETE FROM tasks;
    DELETE FROM outbox;
    DELETE FROM training_docs;
    DELETE FROM training_answers;
    DELETE FROM training_attempts;
    DELETE FROM notices;
    DELETE FROM metric_snapshots;
    DELETE FROM qa_tasks;
    DELETE FROM guideline_notices;
    DELETE FROM config_docs WHERE kind || ':' || id IN
      (SELECT substr(key, length('config.server:') + 1) FROM settings WHERE key LIKE 'config.server:%');
    DELETE FROM settings WHERE key LIKE 'config.server:%' OR key LIKE 'sync.%' OR key = 'currentTaskId';
  `);
  return { unsent: n };
}

/**
 * After deletions have committed: the WAL's old frames (which still hold the deleted rows) are
 * checkpointed and the file truncated to zero bytes; `vacuum` also rebuilds the database file so
 * that freed pages leave it (a wipe). Temporary tables stay in memory, never in a temp file.
 */
export function scrub(store: Store, options: { vacuum: boolean }): void {
  const { db } = store;
  if (db.inTransaction) throw new Error('scrub must run after the transaction');
  db.pragma('wal_checkpoint(TRUNCATE)');
  if (!options.vacuum) return;
  db.pragma('temp_store = MEMORY');
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
}
