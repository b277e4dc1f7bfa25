import type { SyncState, SyncStatus } from '../../../shared/session';
import {
  CERTIFICATION_REQUIRED,
  type HistoryPoint,
  LeaseResponse,
  Mutation,
  PullResponse,
  PushResponse,
  SYNC_PATHS,
} from '../../../shared/sync';
import type { AxiosInstance } from 'axios';
import type { SessionManager } from '../auth/session';
import type { Settings } from '../settings';
import { backoffDelay } from './backoff';
import { type HttpPort, RequestFailed, createHttp, postJson } from './http';
import type { SyncDevice } from './device';
import type { Outbox, OutboxBatch, OutboxRow } from './outbox';
import { SYNC_KEYS } from './outbox';
import type { PullApplier } from './pull';
import type { Wellbeing } from '../wellbeing';

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
  device: SyncDevice;
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
  /** keeps the projects' exposure caps and break reminder each lease reply brings (docs/wellbeing.md) */
  wellbeing?: Pick<Wellbeing, 'storeSettings'>;
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
  /** why the server gives this account no production work, in its words (a certificate is missing) */
  private leaseRefusal: string | null = null;
  private timer: unknown = null;
  private nextAttemptAt: number | null = null;
  private loopOn = false;
  private rerun = false;
  /** the whole-batch refusal the last cycles ended on, to tell a stuck workstation from a blip */
  private refusal: { code: string; since: string; count: number } | null = null;
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
      lastError: this.lastError ?? this.leaseRefusal,
      leaseRefusal: this.leaseRefusal,
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
    await this.deps.session.ready();
    const session = this.deps.session.active();
    if (!session) {
      this.state = 'signed-out';
      this.leaseRefusal = null; // it was about the account that signed out
      return 'signed-out';
    }
    const http = createHttp(session.serverUrl, this.deps.http);
    try {
      // a push refused as a whole never stops the pull that may explain it (a restored server)
      let refused = await this.pushKeepingRefusal(http);
      await this.lease(http);
      this.deps.session.contact();
      const reset = await this.pullAll(http);
      // a restored server (reset) may now take what it refused; push again in this same cycle
      if (reset || refused) refused = await this.pushKeepingRefusal(http);
      if (this.closed) return 'ok';
      this.deps.session.contact();
      if (refused) return this.stuck(refused);
      this.refusal = null;
      this.deps.settings.set(SYNC_KEYS.lastSyncAt, this.deps.clock().toISOString());
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

  /**
   * Asks for production work. A project that requires a certificate the account lacks is refused
   * with the server's own words ("Certification required: take the … exam"): kept for the status,
   * while push and pull go on (the exam and its result come through them).
   */
  private async lease(http: AxiosInstance): Promise<void> {
    try {
      // the reviewer's UTC offset: the server counts the day's sensitive labels on their local day
      const utcOffsetMinutes = -this.deps.clock().getTimezoneOffset();
      const reply = await postJson(http, SYNC_PATHS.lease, { utcOffsetMinutes }, LeaseResponse, this.token());
      // absent: no project of this account has caps (the list is sent only when there are some)
      this.deps.wellbeing?.storeSettings(reply.wellbeing ?? []);
      this.leaseRefusal = null;
    } catch (error) {
      if (
        !(error instanceof RequestFailed) ||
        error.failure.kind !== 'refused' ||
        error.failure.code !== CERTIFICATION_REQUIRED
      )
        throw error;
      this.leaseRefusal = error.failure.message.startsWith('Certification required')
        ? error.failure.message
        : `Certification required: ${error.failure.message}`;
    }
  }

  /** the session token now (a new device registration replaces it mid-cycle) */
  private token(): string {
    const active = this.deps.session.active();
    if (!active) throw new RequestFailed({ kind: 'auth', status: 401, message: 'Sign in again to sync.' });
    return active.token;
  }

  /** pushes; a refusal of a whole batch is returned (to report after the pull), anything else thrown */
  private async pushKeepingRefusal(http: AxiosInstance): Promise<RequestFailed | null> {
    try {
      await this.push(http);
      return null;
    } catch (error) {
      if (error instanceof RequestFailed && error.failure.kind === 'refused') return error;
      throw error;
    }
  }

  /**
   * The same refusal, cycle after cycle, is a stuck workstation: say so in plain words (the work is
   * safe here) and keep retrying with backoff; the server logs the refusals too.
   */
  private stuck(error: RequestFailed): CycleResult {
    const failure = error.failure as Extract<RequestFailed['failure'], { kind: 'refused' }>;
    const now = this.deps.clock().toISOString();
    if (this.refusal?.code !== failure.code) this.refusal = { code: failure.code, since: now, count: 0 };
    this.refusal.count += 1;
    this.attempt++;
    this.state = 'online';
    this.lastError =
      this.refusal.count > 1
        ? // what matters first: the status bar shows one line and may cut the rest (full text on hover)
          'Sync is stuck; your work is safe on this computer, keep working and tell your lead or IT. ' +
          `The server has refused this computer's work ${this.refusal.count} times since ` +
          `${this.refusal.since} (${failure.code}: ${failure.message}).`
        : `The server refused this computer's work (${failure.code}: ${failure.message}); sync will try again.`;
    return 'retry';
  }

  private async push(http: AxiosInstance): Promise<void> {
    const { outbox } = this.deps;
    const size = this.deps.pushBatch ?? 200;
    this.progress = { done: 0, total: outbox.unsentCount() };
    let conflicts = 0;
    for (;;) {
      if (this.closed) return;
      const batch = outbox.nextBatch(size);
      if (batch.rows.length === 0) return;
      const valid = this.validated(batch.rows);
      if (valid.length < batch.rows.length) continue; // ids were given back: take the batch again
      outbox.markSent(batch.rows.map((r) => r.seq));
      const pushed = await this.pushRows(http, batch);
      if (pushed === 'history-conflict' && ++conflicts > 3)
        throw new RequestFailed({
          kind: 'refused',
          status: 409,
          code: 'history-conflict',
          message: 'the server and this computer keep disagreeing about which work the server holds',
          issues: [],
        });
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
   * Pushes a batch. When the server refuses it as a whole for one bad item (400/413/422), pushes
   * its first half alone, down to the bad item, which is quarantined; when it refuses the device's
   * history (409), mends the outbox (re-send after a restore, or a new device id for a copied
   * install). Returns 'ok', or why the caller must take a fresh batch.
   */
  private async pushRows(
    http: AxiosInstance,
    batch: OutboxBatch,
  ): Promise<'ok' | 'again' | 'history-conflict'> {
    const { rows } = batch;
    try {
      const response = await postJson(
        http,
        SYNC_PATHS.push,
        {
          deviceId: batch.deviceId,
          base: batch.base,
          mutations: rows.map((r) => r.mutation),
          digests: rows.map((r) => r.digest),
        },
        PushResponse,
        this.token(),
      );
      if (this.closed) return 'again';
      const sentUpTo = rows[rows.length - 1]!.mutation.id;
      this.deps.outbox.applyPush(batch.deviceId, response, sentUpTo);
      if (response.lastMutationId < sentUpTo) {
        // the server answered but did not take the batch: stop rather than resend it in a loop
        throw new RequestFailed({
          kind: 'transient',
          status: 200,
          message: `The server did not apply the batch (it reports mutation ${response.lastMutationId} as its last); sync will try again.`,
        });
      }
      this.bump(rows.length);
      return 'ok';
    } catch (error) {
      if (!(error instanceof RequestFailed) || error.failure.kind !== 'refused') throw error;
      const { failure } = error;
      if (failure.status === 409 && failure.history) {
        await this.mendHistory(failure.code, failure.history);
        return 'history-conflict';
      }
      // a gap or a foreign device is about the batch as a whole, never one item: report it
      if (!ITEM_STATUSES.has(failure.status) || failure.code === 'mutation-gap') throw error;
      if (rows.length === 1) {
        const where = failure.issues.length
          ? ` (${failure.issues.map((i) => `${i.path}: ${i.message}`).join('; ')})`
          : '';
        this.deps.outbox.quarantineLocally(rows[0]!.seq, 'invalid', `${failure.message}${where}`);
        this.bump(1);
        return 'again';
      }
      await this.pushRows(http, { ...batch, rows: rows.slice(0, Math.ceil(rows.length / 2)) });
      return 'again';
    }
  }

  /**
   * server-behind: the server lost acknowledged work (restored from a backup): re-send everything
   * after its point with the same ids. device-diverged (or a restored server whose history is not
   * ours): another install shares this device id; register a new one and re-send what the server
   * does not hold for us under it.
   */
  private async mendHistory(code: string, point: HistoryPoint): Promise<void> {
    const { outbox, session } = this.deps;
    if (code === 'server-behind' && outbox.serverBehind(point)) return;
    const keepThrough = code === 'server-behind' ? 0 : outbox.acknowledgedId();
    await session.registerNewDevice(keepThrough);
  }

  /**
   * Pulls until !hasMore. True when the server turned out to be restored (a reset, or it holds less
   * of this device's history than it acknowledged): the caller pushes again, as the outbox now
   * holds the work to re-send.
   */
  private async pullAll(http: AxiosInstance): Promise<boolean> {
    const { pull, device, outbox } = this.deps;
    let restored = false;
    for (let page = 0; page < 10_000; page++) {
      if (this.closed) return restored;
      const deviceId = device.id();
      const response = await postJson(
        http,
        SYNC_PATHS.pull,
        {
          deviceId,
          cursor: pull.cursor() || null,
          epoch: pull.epoch(),
          limit: this.deps.pullLimit ?? 500,
        },
        PullResponse,
        this.token(),
      );
      if (this.closed) return restored;
      restored = pull.apply(response) || restored;
      if (device.id() === deviceId && response.history.id < outbox.acknowledgedId()) {
        await this.mendHistory('server-behind', response.history);
        restored = true;
      }
      if (!response.hasMore) return restored;
    }
    return restored;
  }

  private bump(n: number): void {
    if (this.progress)
      this.progress = { ...this.progress, done: Math.min(this.progress.total, this.progress.done + n) };
  }
}
