import fs from 'node:fs';
import type { Handlers } from '../../shared/contract';
import type { ImportResult } from '../../shared/queue';
import { loadConfig } from './config';
import { createDispatch } from './dispatch';
import type { DispatchResult } from './dispatch';
import { createHandlers } from './handlers';
import { ensureIdentity } from './identity';
import { importTasks } from './import';
import { Queue } from './queue';
import { createSettings } from './settings';
import { openStore } from './store';
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

export { StoreOpenError, ConfigError, ServiceError } from './errors';
export type { StoreOpenErrorKind } from './errors';
export type { DispatchResult } from './dispatch';
export { DB_FILE } from './store';
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
  /** how sync reaches the network (Electron: net.fetch); default: Node's http */
  http?: HttpPort;
  /** browser mode's --server; wins over the env var and `<dataDir>/../config.json` */
  serverUrl?: string;
  /** for RLHF_WORKSTATION_SERVER; default process.env */
  env?: Record<string, string | undefined>;
  /** run the background sync loop (default true); tests drive cycles themselves */
  backgroundSync?: boolean;
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
  /** validate + import a JSONL file atomically (used by `npm run web -- --import FILE`); throws if unreadable */
  importFile(filePath: string): ImportResult;
  /** the sync engine and session, for hosts and tests */
  sync: SyncEngine;
  session: SessionManager;
  close(): void;
}

/**
 * Opens the local store and wires the services. Throws StoreOpenError (damaged,
 * newer-version, locked or unwritable database) or ConfigError (bad resource file).
 */
export function openServices(options: ServicesOptions): Services {
  const clock = options.clock ?? (() => new Date());
  const store = openStore(options.dataDir, { clock });
  try {
    const settings = createSettings(store);
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
    const http = options.http ?? {};
    const session = new SessionManager({
      store,
      device,
      secret: options.secret ?? null,
      http,
      config: workstationConfig,
      clock,
      unsentCount: () => outbox.unsentCount(),
      onAccountChange: () => {
        pull.forgetServerState();
        // the QA marker was the other account's: their leftover work is treated like production work
        qa.forgetAccount();
      },
      onDeviceChange: (oldDeviceId, keepThrough) =>
        outbox.renumber(oldDeviceId, keepThrough ?? outbox.acknowledgedId()),
    });
    const sync = new SyncEngine({
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
    const handlers = createHandlers({
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
    const dispatch = createDispatch(handlers);
    // the key store answers asynchronously: every channel waits until the saved session is read
    void session.ready();
    const services: Services = {
      handlers,
      dispatch: async (channel, input) => {
        await session.ready();
        return dispatch(channel, input);
      },
      importFile: (filePath) => importTasks({ store, config, clock }, fs.readFileSync(filePath, 'utf8')),
      sync,
      session,
      close: () => {
        sync.close();
        store.close();
      },
    };
    sync.resume();
    return services;
  } catch (error) {
    store.close();
    throw error;
  }
}
