import type { SyncState, SyncStatus } from '../../../shared/session';
import { LeaseResponse, Mutation, PullResponse, PushResponse, SYNC_PATHS } from '../../../shared/sync';
import type { ActiveSession, SessionManager } from '../auth/session';
import type { Identity } from '../identity';
import type { Settings } from '../settings';
import { backoffDelay } from './backoff';
import { type HttpPort, RequestFailed, createHttp, postJson } from './http';
import type { Outbox, OutboxRow } from './outbox';
import { SYNC_KEYS } from './outbox';
import type { PullApplier } from './pull';

/** setTimeout/clearTimeout, injectable so tests drive the background loop themselves */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const nodeTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SyncEngineDeps {
  settings: Settings;
  identity: Identity;
  outbox: Outbox;
  pull: PullApplier;
  session: SessionManager;
  http: HttpPort;
  clock: () => Date;
  random?: () => number;
  timers?: Timers;
  /** run the background loop at all (hosts: yes; tests that drive cycles themselves: no) */
  background?: boolean;
  /** between clean background cycles */
  intervalMs?: number;
  /** after a submit: long enough to batch a few quick submits */
  nudgeDelayMs?: number;
  pushBatch?: number;
  pullLimit?: number;
}

export type CycleResult = 'ok' | 'signed-out' | 'retry';

/** status codes on which one bad item may be the cause: bisect the batch to find it */
const ITEM_STATUSES = new Set([400, 413, 422]);

/**
 * Push outbox in batches -> lease top-up -> pull until !hasMore. Runs in the background while
 * signed in (an interval, and soon after each submit) and on "Sync now". Reviewer actions never
 * wait for it: they only write the outbox row in their own local transaction.
 */
export class SyncEngine {
  private state: Exclude<SyncState, 'syncing'> = 'offline';
  private running: Promise<CycleResult> | null = null;
  private attempt = 0;
  private progress: { done: number; total: number } | null = null;
  private lastError: string | null = null;
  private timer: unknown = null;
  private nextAttemptAt: number | null = null;
  private loopOn = false;
  private rerun = false;
  private closed = false;
  private readonly timers: Timers;

  constructor(private readonly deps: SyncEngineDeps) {
    this.timers = deps.timers ?? nodeTimers;
    if (!deps.session.active()) this.state = 'signed-out';
  }

  status(): SyncStatus {
    const { outbox, settings } = this.deps;
    const signedIn = this.deps.session.active() !== null;
    const state: SyncState = !signedIn ? 'signed-out' : this.running ? 'syncing' : this.state;
    return {
      state,
      queued: outbox.unsentCount(),
      quarantined: outbox.quarantinedCount(),
      withdrawnKept: outbox.withdrawnCount(),
      lastSyncAt: settings.get(SYNC_KEYS.lastSyncAt) ?? null,
      progress: this.progress,
      lastError: this.lastError,
      nextAttemptAt: this.nextAttemptAt === null ? null : new Date(this.nextAttemptAt).toISOString(),
    };
  }

  /** Background sync: a cycle now, then on an interval; backoff after failures; idle when signed out. */
  start(): void {
    if (this.closed) return;
    this.loopOn = true;
    this.schedule(0);
  }

  /** starts the background loop if this engine runs one (after opening, after sign-in) */
  resume(): void {
    if (this.deps.background !== false) this.start();
  }

  stop(): void {
    this.loopOn = false;
    this.cancelTimer();
  }

  /** closing the services: no new cycle, and a running one writes nothing more */
  close(): void {
    this.closed = true;
    this.stop();
  }

  /** a reviewer action committed: push it soon */
  nudge(): void {
    if (!this.loopOn || this.state === 'signed-out') return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    const soon = this.deps.clock().getTime() + (this.deps.nudgeDelayMs ?? 1500);
    if (this.nextAttemptAt === null || this.nextAttemptAt > soon)
      this.schedule(this.deps.nudgeDelayMs ?? 1500);
  }

  /** "Sync now": runs a cycle at once (or joins the running one), backoff reset. */
  async syncNow(): Promise<SyncStatus> {
    this.attempt = 0;
    this.cancelTimer();
    await this.cycle();
    return this.status();
  }

  /** One attempt; concurrent callers share it. */
  cycle(): Promise<CycleResult> {
    if (this.running) return this.running;
    const run = this.runCycle().finally(() => {
      this.running = null;
      this.progress = null;
    });
    this.running = run;
    void run.then((result) => this.afterCycle(result));
    return run;
  }

  private afterCycle(result: CycleResult): void {
    if (!this.loopOn || this.closed) return;
    if (result === 'signed-out') return this.cancelTimer();
    if (result === 'retry') return this.schedule(backoffDelay(this.attempt - 1, this.deps.random));
    if (this.rerun) {
      this.rerun = false;
      return this.schedule(this.deps.nudgeDelayMs ?? 1500);
    }
    this.schedule(this.deps.intervalMs ?? 60_000);
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    this.nextAttemptAt = this.deps.clock().getTime() + ms;
    this.timer = this.timers.set(() => {
      this.timer = null;
      this.nextAttemptAt = null;
      void this.cycle();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    this.nextAttemptAt = null;
  }

  private async runCycle(): Promise<CycleResult> {
    const session = this.deps.session.active();
    if (!session) {
      this.state = 'signed-out';
      return 'signed-out';
    }
    const http = createHttp(session.serverUrl, this.deps.http);
    try {
      await this.push(http, session);
      await postJson(http, SYNC_PATHS.lease, {}, LeaseResponse, session.token);
      this.deps.session.contact();
      // a restored server (new epoch) put work back in the outbox: send it in this same cycle
      if (await this.pullAll(http, session)) await this.push(http, session);
      if (this.closed) return 'ok';
      this.deps.settings.set(SYNC_KEYS.lastSyncAt, this.deps.clock().toISOString());
      this.deps.session.contact();
      this.attempt = 0;
      this.lastError = null;
      this.state = 'online';
      return 'ok';
    } catch (error) {
      if (this.closed) return 'ok';
      if (error instanceof RequestFailed && error.failure.kind === 'auth') {
        this.deps.session.rejected(error.failure.message);
        this.lastError = error.failure.message;
        this.state = 'signed-out';
        return 'signed-out';
      }
      this.attempt++;
      this.lastError =
        error instanceof RequestFailed
          ? error.message
          : `Sync stopped on an unexpected problem: ${error instanceof Error ? error.message : String(error)}`;
      this.state =
        error instanceof RequestFailed && error.failure.kind === 'transient' ? 'offline' : 'online';
      return 'retry';
    }
  }

  private async push(http: ReturnType<typeof createHttp>, session: ActiveSession): Promise<void> {
    const { outbox } = this.deps;
    const batch = this.deps.pushBatch ?? 200;
    this.progress = { done: 0, total: outbox.unsentCount() };
    for (;;) {
      if (this.closed) return;
      const rows = outbox.nextBatch(batch);
      if (rows.length === 0) return;
      const valid = this.validated(rows);
      if (valid.length < rows.length) continue; // ids were given back: take the batch again
      outbox.markSent(rows.map((r) => r.seq));
      await this.pushRows(http, session, rows);
    }
  }

  /** A row that fails the protocol schema locally can never be accepted: quarantine it now. */
  private validated(rows: OutboxRow[]): OutboxRow[] {
    return rows.filter((row) => {
      const parsed = Mutation.safeParse(row.mutation);
      if (parsed.success) return true;
      const issue = parsed.error.issues[0]!;
      this.deps.outbox.quarantineLocally(
        row.seq,
        'invalid',
        `This item cannot be sent: ${issue.path.join('.')}: ${issue.message}`,
      );
      this.bump(1);
      return false;
    });
  }

  /**
   * Pushes rows; when the server refuses a batch as a whole (400/413/422), halves it until the bad
   * item is alone and quarantines that one. Returns false once ids were given back (the caller
   * must take a fresh batch), true otherwise.
   */
  private async pushRows(
    http: ReturnType<typeof createHttp>,
    session: ActiveSession,
    rows: OutboxRow[],
  ): Promise<boolean> {
    try {
      const response = await postJson(
        http,
        SYNC_PATHS.push,
        { deviceId: this.deps.identity.deviceId, mutations: rows.map((r) => r.mutation) },
        PushResponse,
        session.token,
      );
      if (this.closed) return false;
      this.deps.outbox.applyPush(response);
      if (response.lastMutationId < rows[rows.length - 1]!.mutation.id) {
        // the server answered but did not take the batch: stop rather than resend it in a loop
        throw new RequestFailed({
          kind: 'transient',
          status: 200,
          message: `The server did not apply the batch (it reports mutation ${response.lastMutationId} as its last); sync will try again.`,
        });
      }
      this.bump(rows.length);
      return true;
    } catch (error) {
      if (!(error instanceof RequestFailed) || error.failure.kind !== 'refused') throw error;
      const { failure } = error;
      // a gap or a foreign device is about the batch as a whole, never one item: retry later
      if (!ITEM_STATUSES.has(failure.status) || failure.code === 'mutation-gap') throw error;
      if (rows.length === 1) {
        const where = failure.issues.length
          ? ` (${failure.issues.map((i) => `${i.path}: ${i.message}`).join('; ')})`
          : '';
        this.deps.outbox.quarantineLocally(rows[0]!.seq, 'invalid', `${failure.message}${where}`);
        this.bump(1);
        return false;
      }
      const half = Math.ceil(rows.length / 2);
      if (!(await this.pushRows(http, session, rows.slice(0, half)))) return false;
      return this.pushRows(http, session, rows.slice(half));
    }
  }

  /** pulls until !hasMore; true when the server reset this client (epoch change) */
  private async pullAll(http: ReturnType<typeof createHttp>, session: ActiveSession): Promise<boolean> {
    const { pull, identity } = this.deps;
    let reset = false;
    for (let page = 0; page < 10_000; page++) {
      if (this.closed) return reset;
      const response = await postJson(
        http,
        SYNC_PATHS.pull,
        {
          deviceId: identity.deviceId,
          cursor: pull.cursor() || null,
          epoch: pull.epoch(),
          limit: this.deps.pullLimit ?? 500,
        },
        PullResponse,
        session.token,
      );
      if (this.closed) return reset;
      reset = pull.apply(response) || reset;
      if (!response.hasMore) return reset;
    }
    return reset;
  }

  private bump(n: number): void {
    if (this.progress)
      this.progress = { ...this.progress, done: Math.min(this.progress.total, this.progress.done + n) };
  }
}
