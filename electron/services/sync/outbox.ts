import type { QuarantineItem, QuarantineList } from '../../../shared/session';
import type { Mutation, MutationOutcome, PushResponse } from '../../../shared/sync';
import type { Settings } from '../settings';
import type { Store } from '../store';

/** A mutation without the fields the outbox fills in (id, task, lease). */
type Body<M> = M extends Mutation ? Omit<M, 'id' | 'taskId' | 'leaseToken'> : never;
export type MutationBody = Body<Mutation>;

export interface OutboxRow {
  seq: number;
  mutation: Mutation;
}

export const SYNC_KEYS = {
  cursor: 'sync.cursor',
  epoch: 'sync.epoch',
  /** the highest mutation id the server reported applied for this device */
  lastMutationId: 'sync.lastMutationId',
  lastSyncAt: 'sync.lastSyncAt',
} as const;

interface RawRow {
  seq: number;
  mutation_id: number | null;
  task_id: string;
  payload: string;
  lease_token: number;
}

function prepare({ stmt }: Store) {
  return {
    leaseOf: stmt('SELECT lease_token FROM leases WHERE task_id = ?'),
    insert: stmt(
      `INSERT INTO outbox (type, task_id, payload, lease_token, created_at, state, updated_at)
       VALUES (?, ?, ?, ?, ?, 'queued', ?)`,
    ),
    unsent: stmt(
      `SELECT seq, mutation_id, task_id, payload, lease_token FROM outbox
       WHERE state IN ('queued', 'sent') ORDER BY seq LIMIT ?`,
    ),
    maxLiveId: stmt(
      `SELECT coalesce(max(mutation_id), 0) AS n FROM outbox WHERE state IN ('queued', 'sent', 'accepted')`,
    ),
    assignId: stmt('UPDATE outbox SET mutation_id = ? WHERE seq = ?'),
    countUnsent: stmt(`SELECT count(*) AS n FROM outbox WHERE state IN ('queued', 'sent')`),
    countQuarantined: stmt(`SELECT count(*) AS n FROM outbox WHERE state = 'quarantined'`),
    markSent: stmt(`UPDATE outbox SET state = 'sent', updated_at = ? WHERE seq = ? AND state = 'queued'`),
    byMutationId: stmt('SELECT seq, payload, type FROM outbox WHERE mutation_id = ?'),
    accept: stmt(
      `UPDATE outbox SET state = 'accepted', flagged = ?, reason = NULL, message = NULL, updated_at = ?
       WHERE seq = ?`,
    ),
    quarantine: stmt(
      `UPDATE outbox SET state = 'quarantined', reason = ?, message = ?, updated_at = ? WHERE seq = ?`,
    ),
    acceptUpTo: stmt(
      `UPDATE outbox SET state = 'accepted', updated_at = ?
       WHERE mutation_id <= ? AND state IN ('queued', 'sent')`,
    ),
    markLabelSynced: stmt('UPDATE labels SET synced_at = ? WHERE id = ? AND revision = ?'),
    unsentForTask: stmt(`SELECT 1 FROM outbox WHERE task_id = ? AND state IN ('queued', 'sent') LIMIT 1`),
    idOf: stmt('SELECT mutation_id FROM outbox WHERE seq = ?'),
    releaseId: stmt('UPDATE outbox SET mutation_id = NULL WHERE seq = ?'),
    releaseUnsentFrom: stmt(
      `UPDATE outbox SET mutation_id = NULL WHERE mutation_id >= ? AND state IN ('queued', 'sent')`,
    ),
    requeueAbove: stmt(
      `UPDATE outbox SET state = 'queued', mutation_id = NULL, updated_at = ?
       WHERE mutation_id > ? AND state IN ('accepted', 'sent', 'queued')`,
    ),
    forgetQuarantinedIdsAbove: stmt(
      `UPDATE outbox SET mutation_id = NULL WHERE mutation_id > ? AND state = 'quarantined'`,
    ),
    quarantined: stmt(
      `SELECT o.seq, o.type, o.task_id, o.reason, o.message, o.created_at, o.updated_at,
              coalesce(t.prompt_preview, '') AS preview
       FROM outbox o LEFT JOIN tasks t ON t.id = o.task_id
       WHERE o.state = 'quarantined' ORDER BY o.seq LIMIT 500`,
    ),
    withdrawn: stmt(
      `SELECT l.task_id, l.withdrawn, t.prompt_preview FROM leases l JOIN tasks t ON t.id = l.task_id
       WHERE l.withdrawn IS NOT NULL ORDER BY t.seq LIMIT 500`,
    ),
    countWithdrawn: stmt('SELECT count(*) AS n FROM leases WHERE withdrawn IS NOT NULL'),
  };
}

/**
 * The outbox: mutations waiting for the server. Rows are written inside the same local
 * transaction as the label, skip or escalation they describe, and are never deleted:
 * accepted rows stay as the record, refused ones are quarantined with the server's reason.
 */
export class Outbox {
  private readonly sql: ReturnType<typeof prepare>;

  constructor(
    private readonly store: Store,
    private readonly settings: Settings,
    private readonly clock: () => Date,
  ) {
    this.sql = prepare(store);
  }

  /**
   * Appends a mutation for a task that came from the server (it holds a lease). Locally
   * imported tasks have no lease and stay local: returns null. Must run inside the caller's
   * transaction so the mutation and the local change commit together.
   */
  enqueue(taskId: string, body: MutationBody): number | null {
    if (!this.store.db.inTransaction) throw new Error('Outbox.enqueue must run inside a transaction');
    const lease = this.sql.leaseOf.get(taskId) as { lease_token: number } | undefined;
    if (!lease) return null;
    const now = this.now();
    const result = this.sql.insert.run(body.type, taskId, JSON.stringify(body), lease.lease_token, now, now);
    return Number(result.lastInsertRowid);
  }

  /**
   * The next rows to push, in order, each with its mutation id. Ids are given here, once, in seq
   * order and without gaps after the highest id still live (the server rejects gaps); a retried
   * row keeps the id it was first sent with.
   */
  nextBatch(limit: number): OutboxRow[] {
    return this.store.light(() => {
      const rows = this.sql.unsent.all(limit) as RawRow[];
      let next = this.nextId();
      return rows.map((row) => {
        let id = row.mutation_id;
        if (id === null) {
          id = next++;
          this.sql.assignId.run(id, row.seq);
        }
        const mutation = {
          ...(JSON.parse(row.payload) as MutationBody),
          id,
          taskId: row.task_id,
          leaseToken: row.lease_token,
        } as Mutation;
        return { seq: row.seq, mutation };
      });
    });
  }

  private nextId(): number {
    const max = (this.sql.maxLiveId.get() as { n: number }).n;
    return Math.max(max, this.serverLast()) + 1;
  }

  private serverLast(): number {
    return Number(this.settings.get(SYNC_KEYS.lastMutationId) ?? 0);
  }

  unsentCount(): number {
    return (this.sql.countUnsent.get() as { n: number }).n;
  }

  quarantinedCount(): number {
    return (this.sql.countQuarantined.get() as { n: number }).n;
  }

  withdrawnCount(): number {
    return (this.sql.countWithdrawn.get() as { n: number }).n;
  }

  hasUnsent(taskId: string): boolean {
    return this.sql.unsentForTask.get(taskId) !== undefined;
  }

  markSent(seqs: readonly number[]): void {
    const now = this.now();
    this.store.light(() => {
      for (const seq of seqs) this.sql.markSent.run(now, seq);
    });
  }

  /**
   * Records a push answer in one transaction: each outcome marks its row accepted (and the
   * label synced) or quarantined; rows at or below the server's lastMutationId without an
   * outcome were applied by an earlier push whose answer was lost, so they are accepted too.
   */
  applyPush(response: PushResponse): void {
    const now = this.now();
    this.store.durable(() => {
      for (const outcome of response.outcomes) this.applyOutcome(outcome, now);
      this.sql.acceptUpTo.run(now, response.lastMutationId);
      this.setServerLast(response.lastMutationId);
    });
  }

  /** An outcome from a push answer or a later pull change; runs inside the caller's transaction. */
  applyOutcome(outcome: MutationOutcome, now = this.now()): void {
    const row = this.sql.byMutationId.get(outcome.mutationId) as
      { seq: number; payload: string; type: string } | undefined;
    if (!row) return;
    if (outcome.status === 'accepted') {
      this.sql.accept.run(outcome.flagged, now, row.seq);
      const body = JSON.parse(row.payload) as MutationBody;
      if (body.type === 'label.submit') this.sql.markLabelSynced.run(now, body.label.id, body.label.revision);
    } else {
      this.sql.quarantine.run(
        outcome.reason ?? 'rejected',
        outcome.message ?? 'The server refused this item.',
        now,
        row.seq,
      );
    }
  }

  /**
   * The server would not take this row at all (it refused the request that held it alone, so it
   * applied nothing): kept and shown, never sent again. Its mutation id, and those given to later
   * unsent rows, go back so the ids the server sees stay gap-free.
   */
  quarantineLocally(seq: number, reason: string, message: string): void {
    const now = this.now();
    this.store.durable(() => {
      const id = (this.sql.idOf.get(seq) as { mutation_id: number | null } | undefined)?.mutation_id ?? null;
      this.sql.quarantine.run(reason, message, now, seq);
      this.sql.releaseId.run(seq);
      if (id !== null) this.sql.releaseUnsentFrom.run(id);
    });
  }

  setServerLast(lastMutationId: number): void {
    if (lastMutationId > this.serverLast()) {
      this.settings.set(SYNC_KEYS.lastMutationId, String(lastMutationId));
    }
  }

  /**
   * After a server restore: whatever the restored server has not applied (ids above its
   * lastMutationId) goes back in the queue with fresh ids. Inside the caller's transaction.
   */
  requeueAbove(lastMutationId: number): void {
    this.sql.requeueAbove.run(this.now(), lastMutationId);
    // ids the restored server never saw are given out again; quarantined rows keep their record, not the id
    this.sql.forgetQuarantinedIdsAbove.run(lastMutationId);
    this.settings.set(SYNC_KEYS.lastMutationId, String(lastMutationId));
  }

  list(): QuarantineList {
    const items = (
      this.sql.quarantined.all() as {
        seq: number;
        type: QuarantineItem['type'];
        task_id: string;
        reason: string;
        message: string;
        created_at: string;
        updated_at: string;
        preview: string;
      }[]
    ).map((r): QuarantineItem => ({
      itemId: r.seq,
      type: r.type,
      taskId: r.task_id,
      promptPreview: r.preview,
      reason: r.reason as QuarantineItem['reason'],
      message: r.message,
      createdAt: r.created_at,
      quarantinedAt: r.updated_at,
    }));
    const withdrawn = (
      this.sql.withdrawn.all() as {
        task_id: string;
        withdrawn: 'lease-expired' | 'revoked';
        prompt_preview: string;
      }[]
    ).map((r) => ({ taskId: r.task_id, promptPreview: r.prompt_preview, reason: r.withdrawn }));
    return { items, withdrawn };
  }

  private now(): string {
    return this.clock().toISOString();
  }
}
