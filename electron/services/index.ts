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

export { StoreOpenError, ConfigError, ServiceError } from './errors';
export type { StoreOpenErrorKind } from './errors';
export type { DispatchResult } from './dispatch';
export { DB_FILE } from './store';

export interface ServicesOptions {
  /** created 0700 if missing; database file `<dataDir>/workstation.db` (0600) */
  dataDir: string;
  /** the repo's resources/ folder: taxonomy/, rationale/, guidelines/ defaults */
  resourcesDir: string;
  host: 'electron' | 'browser';
  appVersion: string;
  /** injectable for tests */
  clock?: () => Date;
}

export interface Services {
  handlers: Handlers;
  /** validates `input` against contract[channel].input with zod, runs the handler, never throws */
  dispatch(channel: string, input: unknown): Promise<DispatchResult>;
  /** validate + import a JSONL file atomically (used by `npm run web -- --import FILE`); throws if unreadable */
  importFile(filePath: string): ImportResult;
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
    const queue = new Queue({ store, settings, config, identity, clock });
    const handlers = createHandlers({
      store,
      settings,
      config,
      identity,
      queue,
      clock,
      host: options.host,
      appVersion: options.appVersion,
      dataDir: options.dataDir,
    });
    return {
      handlers,
      dispatch: createDispatch(handlers),
      importFile: (filePath) => importTasks({ store, config, clock }, fs.readFileSync(filePath, 'utf8')),
      close: () => store.close(),
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
