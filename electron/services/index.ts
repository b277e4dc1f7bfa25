import fs from 'node:fs';
import path from 'node:path';
import type { Handlers } from '../../shared/contract';
import type { ImportResult } from '../../shared/queue';
import { loadConfig } from './config';
import { createDispatch } from './dispatch';
import type { DispatchResult } from './dispatch';
import { createHandlers } from './handlers';
import { ensureIdentity } from './identity';
import {
  type ImportOptions,
  ImportRunner,
  type TaskBatches,
  refKeys,
  undoInterruptedImport,
  writeTasks,
} from './import';
import type { KnownRefs } from '../../shared/import/parse';
import { Queue } from './queue';
import { Wellbeing } from './wellbeing';
import { createSettings } from './settings';
import { isCorruption, openStore } from './store';
import { SessionManager } from './auth/session';
import type { SecretPort } from './auth/secret';
import { readWorkstationConfig } from './auth/workstation-config';
import { SyncEngine } from './sync/engine';
import type { Timers } from './sync/engine';
import type { HttpPort } from './sync/http';
import { SyncDevice } from './sync/device';
import { Outbox } from './sync/outbox';
import { PullApplier } from './sync/pull';
import { MetricsService } from './metrics/service';
import { GuidelineService } from './lead/guideline-service';
import { LeadService } from './lead/service';
import { QaService } from './lead/qa-service';
import { TrainingService } from './training/service';
import { removeAccountWork, scrub } from './lifecycle/erase';
import { applyRetention, retentionInSteps } from './lifecycle/retention';
import { LocalWipe } from './lifecycle/wipe';

export { StoreOpenError, ConfigError, ServiceError } from './errors';
export type { StoreOpenErrorKind } from './errors';
export type { DispatchResult } from './dispatch';
export { DB_FILE } from './store';
export { KEY_FILE, resolveDatabaseKey } from './database-key';
export type { ResolvedKey } from './database-key';
export type { SecretPort } from './auth/secret';
export { fileSecretPort } from './auth/secret';
export type { HttpPort } from './sync/http';
export { SERVER_URL_ENV, configFileFor } from './auth/workstation-config';

export interface ServicesOptions {
  /** created 0700 if missing; database file `<dataDir>/workstation.db` (0600) */
  dataDir: string;
  /** the repo's resources/ folder: taxonomy/, rationale/, guidelines/ defaults */
  resourcesDir: string;
  host: 'electron' | 'browser';
  appVersion: string;
  /** injectable for tests */
  clock?: () => Date;
  /** keeps the session token secret (Electron: safeStorage); null/absent = memory only */
  secret?: SecretPort | null;
  /**
   * The local database's key, 64 hex digits, from `resolveDatabaseKey` (the host asks the OS key
   * store before opening services; a plain string, so it crosses a worker boundary as it is).
   * Given: the database is encrypted at rest (a plaintext one from before is encrypted first).
   * Null/absent: it stays plain, and auth.status says why (no key store, or browser mode).
   */
  databaseKey?: string | null;
  /** how sync reaches the network (Electron: net.fetch); default: Node's http */
  http?: HttpPort;
  /** browser mode's --server; wins over the env var and `<dataDir>/../config.json` */
  serverUrl?: string;
  /** for RLHF_WORKSTATION_SERVER; default process.env */
  env?: Record<string, string | undefined>;
  /** run the background sync loop (default true); tests drive cycles themselves */
  backgroundSync?: boolean;
  /** apply retention in the background, soon after opening and daily (default true) */
  backgroundRetention?: boolean;
  /** sync engine tuning for tests */
  sync?: {
    timers?: Timers;
    random?: () => number;
    intervalMs?: number;
    pushBatch?: number;
    pullLimit?: number;
  };
}

export interface Services {
  handlers: Handlers;
  /** validates `input` against contract[channel].input with zod, runs the handler, never throws */
  dispatch(channel: string, input: unknown): Promise<DispatchResult>;
  /** tasks.import from text or UTF-8 bytes (the services worker's way for a large HTTP body) */
  importTasks(text: string | Uint8Array, fileName?: string, options?: ImportOptions): Promise<ImportResult>;
  /** the services worker's imports: the ids tasks may name, and the writer of tasks validated on a reader thread */
  importWriter: { refs(): KnownRefs; write(fileName: string, batches: TaskBatches): Promise<ImportResult> };
  /** validate + import a JSONL file all or nothing (used by `npm run web -- --import FILE`); rejects if unreadable */
  importFile(filePath: string): Promise<ImportResult>;
  /** the sync engine and session, for hosts and tests */
  sync: SyncEngine;
  session: SessionManager;
  /** this start ran the full integrity check: the last run did not close the database cleanly */
  checkedAtStart: boolean;
  /** an import that the last run did not finish (crash, kill): its tasks were removed at this start */
  undoneImport: { fileName: string; removed: number } | null;
  /** removes acknowledged work older than the configured days (`retentionDays`); returns the tasks removed */
  applyRetention(): number;
  /** sends the report of a wipe carried out, if one is owed; true when none is owed any more */
  reportWipe(): Promise<boolean>;
  close(): void;
}

/**
 * Opens the local store and wires the services. Throws StoreOpenError (damaged,
 * newer-version, locked or unwritable database) or ConfigError (bad resource file).
 */
export function openServices(options: ServicesOptions): Services {
  const clock = options.clock ?? (() => new Date());
  const store = openStore(options.dataDir, { clock, key: options.databaseKey ?? null });
  try {
    const settings = createSettings(store);
    const undoneImport = undoInterruptedImport(store);
    const identity = ensureIdentity(store, settings);
    const config = loadConfig(store, settings, options.resourcesDir);
    const workstationConfig = readWorkstationConfig(
      options.dataDir,
      options.env ?? process.env,
      options.serverUrl,
    );
    const device = new SyncDevice(store, settings, identity);
    const outbox = new Outbox(store, settings, device, clock);
    const pull = new PullApplier({ store, settings, config, outbox, clock });
    // every request of every service goes through this port: a refusal carrying a wipe order is
    // carried out at once, whichever service made it (lifecycle/wipe.ts)
    const http: HttpPort = {
      ...options.http,
      onWipe: (order, serverUrl) => wipe.carryOut(order, serverUrl),
    };
    const wipe = new LocalWipe({
      store,
      settings,
      device,
      http,
      clock,
      afterWipe: () => {
        qa.forgetAccount();
        sync.nudge();
      },
    });
    /** the account's removed rows sit in the WAL until a checkpoint after their commit */
    let scrubPending = false;
    const session = new SessionManager({
      store,
      device,
      secret: options.secret ?? null,
      dataProtection: options.databaseKey ? 'os' : options.host === 'browser' ? 'browser' : 'no-key-store',
      http,
      config: workstationConfig,
      clock,
      unsentCount: () => outbox.unsentCount(),
      onAccountChange: () => {
        // the previous account's work goes (its outbox is empty: a sign-in over unsent work is refused)
        const previous = store.stmt('SELECT user_json FROM session WHERE id = 1').get() as
          { user_json: string } | undefined;
        const ownerId = previous ? ((JSON.parse(previous.user_json) as { id?: string }).id ?? null) : null;
        removeAccountWork(store, ownerId, { deviceId: device.id(), mutationId: outbox.acknowledgedId() });
        scrubPending = true;
        pull.forgetServerState();
        // the QA marker was the other account's: their leftover work is treated like production work
        qa.forgetAccount();
      },
      onDeviceChange: (oldDeviceId, keepThrough) =>
        outbox.renumber(oldDeviceId, keepThrough ?? outbox.acknowledgedId()),
    });
    const wellbeing = new Wellbeing({ store, settings, clock });
    const sync = new SyncEngine({
      wellbeing,
      settings,
      device,
      outbox,
      pull,
      session,
      http,
      clock,
      background: options.backgroundSync !== false,
      ...options.sync,
    });
    const queue = new Queue({
      store,
      settings,
      config,
      identity,
      clock,
      outbox,
      wellbeing,
      onLocalWork: () => sync.nudge(),
    });
    const training = new TrainingService({
      store,
      config,
      identity,
      outbox,
      session,
      http,
      clock,
      // answers are kept per account: the signed-in user's (or the last one's), else this install's
      owner: () => session.status().user?.id ?? identity.reviewerId,
      onLocalWork: () => sync.nudge(),
    });
    const metrics = new MetricsService({
      store,
      session,
      http,
      clock,
      owner: () => session.status().user?.id ?? identity.reviewerId,
    });
    const lead = new LeadService({ store, session, http, clock, config, identity });
    const qa = new QaService({
      store,
      session,
      http,
      clock,
      queue,
      syncCycle: () => sync.cycle(),
      owner: () => session.status().user?.id ?? identity.reviewerId,
    });
    const guidelines = new GuidelineService({ store, session, http, clock });
    const imports = new ImportRunner({ store, config, clock });
    const handlers = createHandlers({
      wellbeing,
      imports,
      lead,
      guidelines,
      qa,
      session,
      sync,
      outbox,
      store,
      settings,
      config,
      identity,
      queue,
      training,
      metrics,
      clock,
      host: options.host,
      appVersion: options.appVersion,
      dataDir: options.dataDir,
    });
    let retentionTimer: NodeJS.Timeout | null = null;
    function runRetention(): number {
      return applyRetention(store, workstationConfig.retentionDays, clock(), () => ({
        deviceId: device.id(),
        mutationId: outbox.acknowledgedId(),
      }));
    }
    let stopRetention: (() => void) | null = null;
    // off the start-up path: soon after the window opens, then daily; one small step at a time
    function scheduleRetention(ms: number): void {
      retentionTimer = setTimeout(() => {
        const next = () => scheduleRetention(24 * 3600 * 1000);
        try {
          const keep = () => ({ deviceId: device.id(), mutationId: outbox.acknowledgedId() });
          if (store.db.open)
            stopRetention = retentionInSteps(store, workstationConfig.retentionDays, clock(), keep, next);
        } catch (error) {
          console.error('[services] retention failed:', error);
          next();
        }
      }, ms).unref();
    }
    const dispatch = createDispatch(handlers, (message, error) => {
      // damage met while running: the next start runs the full integrity check before anything else
      if (isCorruption(error)) store.suspectDamage();
      console.error(message, error);
    });
    // the key store answers asynchronously: every channel waits until the saved session is read
    void session.ready();
    const services: Services = {
      handlers,
      dispatch: async (channel, input) => {
        await session.ready();
        const result = await dispatch(channel, input);
        if (scrubPending && store.db.open) {
          scrubPending = false;
          scrub(store, { vacuum: false });
        }
        return result;
      },
      applyRetention: runRetention,
      reportWipe: () => wipe.report(),
      importTasks: (text, fileName, importOptions) => imports.run(text, fileName, importOptions),
      importWriter: {
        refs: () => refKeys(config),
        write: (fileName, batches) =>
          imports.queue(() => writeTasks({ store, config, clock }, fileName, batches)),
      },
      importFile: async (filePath) => imports.run(fs.readFileSync(filePath), path.basename(filePath)),
      sync,
      session,
      checkedAtStart: store.checkedAtStart,
      undoneImport,
      close: () => {
        if (retentionTimer) clearTimeout(retentionTimer);
        stopRetention?.();
        wipe.close();
        sync.close();
        store.close();
      },
    };
    sync.resume();
    void wipe.report();
    if (options.backgroundRetention !== false) scheduleRetention(10_000);
    return services;
  } catch (error) {
    // damage met by the start-up reads is reported (and the file moved aside) like a failed check
    throw store.abandon(error);
  }
}
