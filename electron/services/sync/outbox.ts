import { createHash } from 'node:crypto';
import { EMPTY_HISTORY, nextDigest } from '../../../shared/history';
import type { QuarantineItem, QuarantineList } from '../../../shared/session';
import type {
  HistoryPoint,
  Mutation,
  MutationOutcome,
  PushResponse,
  TaskMutation,
  TrainingMutation,
} from '../../../shared/sync';
import { trainingRefKey } from '../../../shared/training/ref';
import type { Settings } from '../settings';
import type { Store } from '../store';
import type { SyncDevice } from './device';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** A mutation without the fields the outbox fills in (id, task, lease). */
type Body<M> = M extends Mutation ? Omit<M, 'id' | 'taskId' | 'leaseToken'> : never;
export type MutationBody = Body<Mutation>;
/** production work on a leased task */
export type TaskBody = Body<TaskMutation>;
/** a training answer as the outbox keeps it: no lease (the server checks the item is the caller's) */
export type TrainingBody = Omit<TrainingMutation, 'id' | 'taskId'>;

export interface OutboxRow {
  seq: number;
  mutation: Mutation;
  /** the device's history digest after this mutation */
  digest: string;
}

/** the next push: the device's acknowledged history point and the rows after it */
export interface OutboxBatch {
  deviceId: string;
  base: HistoryPoint;
  rows: OutboxRow[];
}

export const SYNC_KEYS = {
  cursor: 'sync.cursor',
  epoch: 'sync.epoch',
  /** the highest mutation id the server acknowledged for the current sync device id */
  lastMutationId: 'sync.lastMutationId',
  lastSyncAt: 'sync.lastSyncAt',
} as const;

interface RawRow {
  seq: number;
  type: Mutation['type'];
  device_id: string | null;
  mutation_id: number | null;
  chain: string | null;
  task_id: string;
  payload: string;
  lease_token: number;
  lease_proof: string | null;
}

function prepare({ stmt }: Store) {
  return {
    leaseOf: stmt('SELECT lease_token, lease_proof FROM leases WHERE task_id = ?'),
    insert: stmt(
      `INSERT INTO outbox (type, task_id, payload, lease_token, lease_proof, created_at, state, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)`,
    ),
    unsent: stmt(
      `SELECT seq, type, device_id, mutation_id, chain, task_id, payload, lease_token, lease_proof FROM outbox
       WHERE state IN ('queued', 'sent') ORDER BY seq LIMIT ?`,
    ),
    chainAt: stmt('SELECT chain FROM outbox WHERE device_id = ? AND mutation_id = ?'),
    assignId: stmt('UPDATE outbox SET device_id = ?, mutation_id = ?, chain = ? WHERE seq = ?'),
    countUnsent: stmt(`SELECT count(*) AS n FROM outbox WHERE state IN ('queued', 'sent')`),
    countQuarantined: stmt(`SELECT count(*) AS n FROM outbox WHERE state = 'quarantined'`),
    markSent: stmt(`UPDATE outbox SET state = 'sent', updated_at = ? WHERE seq = ? AND state = 'queued'`),
    byMutationId: stmt('SELECT seq, payload, type FROM outbox WHERE device_id = ? AND mutation_id = ?'),
    accept: stmt(
      `UPDATE outbox SET state = 'accepted', flagged = ?, reason = NULL, message = NULL, updated_at = ?
       WHERE seq = ?`,
    ),
    quarantine: stmt(
      `UPDATE outbox SET state = 'quarantined', reason = ?, message = ?, updated_at = ? WHERE seq = ?`,
    ),
    acceptUpTo: stmt(
      `UPDATE outbox SET state = 'accepted', updated_at = ?
       WHERE device_id = ? AND mutation_id <= ? AND state IN ('queued', 'sent')`,
    ),
    markLabelSynced: stmt('UPDATE labels SET synced_at = ? WHERE id = ? AND revision = ?'),
    unsentForTask: stmt(`SELECT 1 FROM outbox WHERE task_id = ? AND state IN ('queued', 'sent') LIMIT 1`),
    idOf: stmt('SELECT device_id, mutation_id FROM outbox WHERE seq = ?'),
    releaseFrom: stmt(
      `UPDATE outbox SET device_id = NULL, mutation_id = NULL, chain = NULL
       WHERE device_id = ? AND mutation_id >= ? AND state IN ('queued', 'sent')`,
    ),
    releaseId: stmt('UPDATE outbox SET device_id = NULL, mutation_id = NULL, chain = NULL WHERE seq = ?'),
    resendAbove: stmt(
      `UPDATE outbox SET state = 'queued', reason = NULL, message = NULL, updated_at = ?
       WHERE device_id = ? AND mutation_id > ?`,
    ),
    renumberAbove: stmt(
      `UPDATE outbox SET state = 'queued', device_id = NULL, mutation_id = NULL, chain = NULL,
         reason = NULL, message = NULL, updated_at = ?
       WHERE device_id = ? AND mutation_id > ?`,
    ),
    renumberUnsent: stmt(
      `UPDATE outbox SET device_id = NULL, mutation_id = NULL, chain = NULL
       WHERE state IN ('queued', 'sent')`,
    ),
    // a training answer's task id is the training item's, not a queue task's: its preview is the answer's
    quarantined: stmt(
      `SELECT o.seq, o.type, o.task_id, o.reason, o.message, o.created_at, o.updated_at,
              CASE WHEN o.type = 'training.answer' THEN NULL ELSE coalesce(t.prompt_preview, '') END AS preview,
              CASE WHEN o.type = 'training.answer' THEN o.payload END AS training
       FROM outbox o LEFT JOIN tasks t ON t.id = o.task_id AND o.type <> 'training.answer'
       WHERE o.state = 'quarantined' ORDER BY o.seq LIMIT 500`,
    ),
    trainingPreview: stmt('SELECT prompt_preview FROM training_answers WHERE ref_key = ? LIMIT 1'),
    withdrawn: stmt(
      `SELECT l.task_id, l.withdrawn, t.prompt_preview FROM leases l JOIN tasks t ON t.id = l.task_id
       WHERE l.withdrawn IS NOT NULL ORDER BY t.seq LIMIT 500`,
    ),
    countWithdrawn: stmt('SELECT count(*) AS n FROM leases WHERE withdrawn IS NOT NULL'),
  };
}

/**
 * The outbox: mutations waiting for the server. Rows are written inside the same local
 * transaction as the label, skip or escalation they describe. Unsent and refused rows are never
 * deleted (refused ones are quarantined with the server's reason); accepted rows stay as the
 * record until retention, an account switch or a wipe order removes them (lifecycle/).
 */
export class Outbox {
  private readonly sql: ReturnType<typeof prepare>;

  constructor(
    private readonly store: Store,
    private readonly settings: Settings,
    private readonly device: SyncDevice,
    private readonly clock: () => Date,
  ) {
    this.sql = prepare(store);
  }

  /**
   * Appends a mutation for a task that came from the server (it holds a lease). Locally
   * imported tasks have no lease and stay local: returns null. Must run inside the caller's
   * transaction so the mutation and the local change commit together.
   */
  enqueue(taskId: string, body: TaskBody): number | null {
    if (!this.store.db.inTransaction) throw new Error('Outbox.enqueue must run inside a transaction');
    const lease = this.sql.leaseOf.get(taskId) as
      { lease_token: number; lease_proof: string | null } | undefined;
    if (!lease) return null;
    const now = this.now();
    const result = this.sql.insert.run(
      body.type,
      taskId,
      JSON.stringify(body),
      lease.lease_token,
      lease.lease_proof,
      now,
      now,
    );
    return Number(result.lastInsertRowid);
  }

  /**
   * Appends a training answer (sandbox, exam, calibration). It holds no lease: the row stores
   * lease_token 0 and no proof, and its mutation is sent without them. Must run inside the caller's
   * transaction, like `enqueue`. Returns the outbox row.
   */
  enqueueTraining(taskId: string, body: TrainingBody): number {
    if (!this.store.db.inTransaction) throw new Error('Outbox.enqueueTraining must run inside a transaction');
    const now = this.now();
    const result = this.sql.insert.run(body.type, taskId, JSON.stringify(body), 0, null, now, now);
    return Number(result.lastInsertRowid);
  }

  /**
   * The next push: the acknowledged history point and the next rows, in order, each with its
   * mutation id and history digest. Ids are given here, once, in seq order and without gaps after
   * the acknowledged id (the server insists); a retried row keeps the id and digest it was first
   * sent with, so a retry is recognised as the same history.
   */
  nextBatch(limit: number): OutboxBatch {
    return this.store.light(() => {
      const deviceId = this.device.id();
      const base = this.acknowledged();
      const rows = this.sql.unsent.all(limit) as RawRow[];
      let id = base.id;
      let digest = base.digest;
      const out = rows.map((row) => {
        id += 1;
        const mutation = toMutation(row, id);
        if (row.device_id !== deviceId || row.mutation_id !== id || row.chain === null) {
          // a row first sent now (or numbered before digests existed): its id and digest are fixed here
          digest = nextDigest(sha256, digest, mutation);
          this.sql.assignId.run(deviceId, id, digest, row.seq);
        } else digest = row.chain;
        return { seq: row.seq, mutation, digest };
      });
      return { deviceId, base, rows: out };
    });
  }

  /** the highest id the server acknowledged for the current device, and the history digest there */
  acknowledged(): HistoryPoint {
    const id = Number(this.settings.get(SYNC_KEYS.lastMutationId) ?? 0);
    if (id === 0) return { id, digest: EMPTY_HISTORY };
    const row = this.sql.chainAt.get(this.device.id(), id) as { chain: string | null } | undefined;
    // rows numbered before history digests existed: the server adopts the first digest it is sent
    return { id, digest: row?.chain ?? `legacy-${id}` };
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
   * Never beyond `sentUpTo`, the highest id this install sent: ids it never sent are not its work.
   */
  applyPush(deviceId: string, response: PushResponse, sentUpTo: number): void {
    const now = this.now();
    const upTo = Math.min(response.lastMutationId, sentUpTo);
    this.store.durable(() => {
      if (deviceId !== this.device.id()) return; // the install moved to another device id meanwhile
      for (const outcome of response.outcomes) this.applyOutcome(deviceId, outcome, now);
      this.sql.acceptUpTo.run(now, deviceId, upTo);
      if (upTo > Number(this.settings.get(SYNC_KEYS.lastMutationId) ?? 0))
        this.settings.set(SYNC_KEYS.lastMutationId, String(upTo));
    });
  }

  /** An outcome from a push answer or a later pull change; runs inside the caller's transaction. */
  applyOutcome(deviceId: string, outcome: MutationOutcome, now = this.now()): void {
    const row = this.sql.byMutationId.get(deviceId, outcome.mutationId) as
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
      const row = this.sql.idOf.get(seq) as
        { device_id: string | null; mutation_id: number | null } | undefined;
      this.sql.quarantine.run(reason, message, now, seq);
      this.sql.releaseId.run(seq);
      if (row?.device_id && row.mutation_id !== null)
        this.sql.releaseFrom.run(row.device_id, row.mutation_id);
    });
  }

  /**
   * The server holds less of this device's history than it acknowledged (restored from a backup):
   * everything after its point goes back in the queue with the same ids and digests (accepted and
   * server-quarantined rows too: the restored server never saw them), to be sent again in order.
   * Returns false when the history at the server's point is not this install's: the caller then
   * moves to a new device id (renumber).
   */
  serverBehind(point: HistoryPoint): boolean {
    const deviceId = this.device.id();
    if (point.id > 0 && point.digest !== '') {
      const row = this.sql.chainAt.get(deviceId, point.id) as { chain: string | null } | undefined;
      if (!row || (row.chain !== null && row.chain !== point.digest)) return false;
    }
    this.store.durable(() => {
      this.sql.resendAbove.run(this.now(), deviceId, point.id);
      this.settings.set(SYNC_KEYS.lastMutationId, String(point.id));
    });
    return true;
  }

  /**
   * The install moves to a new sync device id (another install shares the old one, or the server
   * registered another at sign-in): rows of the old id above `keepThrough` (what the server
   * acknowledged and still holds) are numbered afresh under the new id; so is all unsent work.
   * The caller's transaction also records the new device id.
   */
  renumber(oldDeviceId: string, keepThrough: number): void {
    if (!this.store.db.inTransaction) throw new Error('Outbox.renumber must run inside a transaction');
    this.sql.renumberAbove.run(this.now(), oldDeviceId, keepThrough);
    this.sql.renumberUnsent.run();
    this.settings.set(SYNC_KEYS.lastMutationId, '0');
  }

  /** what the server acknowledged of the current device id */
  acknowledgedId(): number {
    return Number(this.settings.get(SYNC_KEYS.lastMutationId) ?? 0);
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
        preview: string | null;
        training: string | null;
      }[]
    ).map((r): QuarantineItem => ({
      itemId: r.seq,
      type: r.type,
      taskId: r.task_id,
      promptPreview: r.preview ?? this.trainingPreview(r.training),
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

  /** the prompt of the training item the answer was for, from the stored answer ('' when unknown) */
  private trainingPreview(payload: string | null): string {
    if (payload === null) return '';
    const body = JSON.parse(payload) as TrainingBody;
    const row = this.sql.trainingPreview.get(trainingRefKey(body.ref)) as
      { prompt_preview: string } | undefined;
    return row?.prompt_preview ?? '';
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

/** A row as the protocol sends it: production work carries its lease, training answers none. */
function toMutation(row: RawRow, id: number): Mutation {
  const body = JSON.parse(row.payload) as MutationBody;
  if (row.type === 'training.answer') return { ...(body as TrainingBody), id, taskId: row.task_id };
  return {
    ...body,
    id,
    taskId: row.task_id,
    leaseToken: row.lease_token,
    ...(row.lease_proof ? { leaseProof: row.lease_proof } : {}),
  } as Mutation;
}
