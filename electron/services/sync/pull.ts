import type { Change, PullResponse } from '../../../shared/sync';
import { serverDocKey, type Config } from '../config';
import { insertQueueTask } from '../queue-insert';
import type { Settings } from '../settings';
import type { Store } from '../store';
import { GuidelineNotices } from '../lead/guideline-notices';
import { NoticesStore } from '../lead/notices-store';
import { TrainingDocs } from '../training/docs-store';
import type { Outbox } from './outbox';
import { SYNC_KEYS } from './outbox';

function prepare({ stmt }: Store) {
  return {
    upsertLease: stmt(
      `INSERT INTO leases (task_id, project_id, lease_token, expires_at, withdrawn, lease_proof)
       VALUES (?, ?, ?, ?, NULL, ?)
       ON CONFLICT (task_id) DO UPDATE SET project_id = excluded.project_id,
         lease_proof = CASE WHEN excluded.lease_token >= leases.lease_token
                            THEN excluded.lease_proof ELSE leases.lease_proof END,
         lease_token = max(leases.lease_token, excluded.lease_token), expires_at = excluded.expires_at,
         withdrawn = NULL`,
    ),
    hasLease: stmt('SELECT 1 FROM leases WHERE task_id = ?'),
    localWork: stmt(
      `SELECT t.state,
              EXISTS (SELECT 1 FROM drafts d WHERE d.task_id = t.id) AS has_draft,
              EXISTS (SELECT 1 FROM labels l WHERE l.task_id = t.id) AS has_label
       FROM tasks t WHERE t.id = ?`,
    ),
    deleteTask: stmt('DELETE FROM tasks WHERE id = ?'),
    markWithdrawn: stmt('UPDATE leases SET withdrawn = ? WHERE task_id = ?'),
    leasedWithoutWork: stmt(
      `SELECT t.id FROM tasks t JOIN leases l ON l.task_id = t.id
       WHERE t.state = 'pending'
         AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.task_id = t.id)
         AND NOT EXISTS (SELECT 1 FROM labels b WHERE b.task_id = t.id)
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.task_id = t.id)`,
    ),
    upsertDoc: stmt(
      `INSERT INTO config_docs (kind, id, version, body) VALUES (?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, body = excluded.body`,
    ),
  };
}

export interface PullApplyDeps {
  store: Store;
  settings: Settings;
  config: Config;
  outbox: Outbox;
  clock: () => Date;
}

/**
 * Applies pulled changes and the new cursor in ONE durable local transaction: a crash
 * leaves either the old cursor and none of the changes, or both.
 */
export class PullApplier {
  private readonly sql: ReturnType<typeof prepare>;
  private readonly training: TrainingDocs;
  private readonly notices: NoticesStore;
  private readonly guidelineNotices: GuidelineNotices;

  constructor(private readonly deps: PullApplyDeps) {
    this.sql = prepare(deps.store);
    this.training = new TrainingDocs(deps.store);
    this.notices = new NoticesStore(deps.store);
    this.guidelineNotices = new GuidelineNotices(deps.store);
  }

  cursor(): string | null {
    return this.deps.settings.get(SYNC_KEYS.cursor) ?? null;
  }

  epoch(): string | null {
    return this.deps.settings.get(SYNC_KEYS.epoch) || null;
  }

  /** returns true when the server asked for a reset (its epoch changed) */
  apply(response: PullResponse): boolean {
    const { store, settings } = this.deps;
    const configUpdates: Change[] = [];
    store.durable(() => {
      if (response.reset) this.resetServerState();
      const now = this.deps.clock().toISOString();
      for (const change of response.changes) {
        if (this.applyChange(change, now)) configUpdates.push(change);
      }
      settings.set(SYNC_KEYS.cursor, response.cursor);
      settings.set(SYNC_KEYS.epoch, response.epoch);
    });
    // memory follows the database only once the transaction has committed
    for (const change of configUpdates) this.deps.config.put(configDoc(change));
    return response.reset;
  }

  /**
   * Another account or server signed in: its leased, untouched tasks, its training documents
   * (certificates and attempts are the account's) and the cursor go. Inside a transaction.
   */
  forgetServerState(): void {
    const ids = this.sql.leasedWithoutWork.all() as { id: string }[];
    for (const { id } of ids) this.sql.deleteTask.run(id);
    this.training.dropAll();
    this.notices.dropAll();
    this.guidelineNotices.dropAll();
    this.deps.settings.set(SYNC_KEYS.cursor, '');
    this.deps.settings.set(SYNC_KEYS.epoch, '');
  }

  /**
   * The server was restored (its epoch changed, or it no longer holds the change our cursor names):
   * drop server-derived state that holds no local work (leased pending tasks without draft, label
   * or mutation; training documents, while training answers and the outbox stay) and restart from
   * cursor null. Work the restored server lacks is re-sent by the
   * push path, which learns of the restore from the device's history (outbox.serverBehind).
   */
  private resetServerState(): void {
    const ids = this.sql.leasedWithoutWork.all() as { id: string }[];
    for (const { id } of ids) this.sql.deleteTask.run(id);
    this.training.dropAll();
    this.deps.settings.set(SYNC_KEYS.cursor, '');
  }

  /** returns true for configuration documents, which the in-memory config must learn too */
  private applyChange(change: Change, now: string): boolean {
    switch (change.type) {
      case 'assignment': {
        const { task } = change;
        insertQueueTask(this.deps.store, task, now);
        this.sql.upsertLease.run(
          task.id,
          change.projectId,
          change.leaseToken,
          change.leaseExpiresAt,
          change.leaseProof ?? null,
        );
        return false;
      }
      case 'revoke':
        this.revoke(change.taskId, change.reason);
        return false;
      case 'outcome':
        // mutation ids are per device id: only rows this install sent under that id match
        this.deps.outbox.applyOutcome(change.deviceId, change.outcome, now);
        return false;
      case 'taxonomy':
      case 'template':
      case 'guideline': {
        const { kind, doc } = configDoc(change);
        // "Guidelines updated": compared with the stored version before it is replaced
        if (change.type === 'guideline') this.guidelineNotices.record(change.guideline, now);
        const version = 'version' in doc && typeof doc.version === 'string' ? doc.version : null;
        this.sql.upsertDoc.run(kind, doc.id, version, JSON.stringify(doc));
        this.deps.settings.set(serverDocKey(kind, doc.id), version ?? '');
        return true;
      }
      case 'training':
        this.training.put(change.doc, now);
        return false;
      case 'ruling':
        this.notices.putRuling(change.ruling, now);
        return false;
      case 'coaching':
        this.notices.putAction(change.action, now);
        return false;
    }
  }

  /** Removes a withdrawn task only when the reviewer has no unsent work on it; else keeps and marks it. */
  private revoke(taskId: string, reason: 'lease-expired' | 'revoked'): void {
    if (!this.sql.hasLease.get(taskId)) return; // a local task, or already gone
    const work = this.sql.localWork.get(taskId) as
      { state: string; has_draft: number; has_label: number } | undefined;
    if (!work) return;
    const untouched = work.state === 'pending' && !work.has_draft && !work.has_label;
    if (untouched && !this.deps.outbox.hasUnsent(taskId)) this.sql.deleteTask.run(taskId);
    else this.sql.markWithdrawn.run(reason, taskId);
  }
}

type ConfigChange = Extract<Change, { type: 'taxonomy' | 'template' | 'guideline' }>;

function configDoc(change: Change) {
  const c = change as ConfigChange;
  if (c.type === 'taxonomy') return { kind: 'taxonomy' as const, doc: c.taxonomy };
  if (c.type === 'template') return { kind: 'rationale' as const, doc: c.template };
  return { kind: 'guideline' as const, doc: c.guideline };
}
