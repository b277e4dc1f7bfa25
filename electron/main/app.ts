import path from 'node:path';
import type {
  App,
  BrowserWindow,
  Dialog,
  IpcMain,
  Menu as MenuType,
  MenuItemConstructorOptions,
  Net,
  Protocol,
} from 'electron';
import { DB_FILE, SERVER_URL_ENV, type ServicesOptions, resolveDatabaseKey } from '../services/index';
import type { ServicesClient } from '../services/worker/client';
import { importAndReport } from '../host/import-report';
import { registerIpc } from './ipc';
import { menuTemplate } from './menu';
import type { AppPaths } from './paths';
import { type AsyncSafeStorage, netFetchHttpPort, safeStorageSecretPort } from './ports';
import { handleAppProtocol, registerAppScheme } from './protocol';
import { hardenSession, installContentsGuards } from './security';
import { describeStartupError } from '../host/startup-error';
import { type BrowserWindowConstructor, createMainWindow, focusWindow } from './window';

/** Overrides for the demo and tests: another data folder, a task file to import at start. */
export const DATA_DIR_ENV = 'RLHF_WORKSTATION_DATA_DIR';
export const IMPORT_ENV = 'RLHF_WORKSTATION_IMPORT';

/** The Electron objects the shell uses, passed in so tests can hand it fakes. */
export interface ElectronDeps {
  app: Pick<
    App,
    'requestSingleInstanceLock' | 'quit' | 'on' | 'whenReady' | 'getPath' | 'getVersion' | 'enableSandbox'
  > & { readonly isPackaged: boolean };
  BrowserWindow: BrowserWindowConstructor;
  ipcMain: Pick<IpcMain, 'handle'>;
  dialog: Pick<Dialog, 'showErrorBox'>;
  session: { defaultSession: Parameters<typeof hardenSession>[0] };
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  Menu: {
    buildFromTemplate(template: MenuItemConstructorOptions[]): MenuType;
    setApplicationMenu(menu: MenuType | null): void;
  };
  /**
   * wraps the session token and the database key; absent (tests) = no key store: token in memory
   * only, database unencrypted
   */
  safeStorage?: AsyncSafeStorage;
  /** sync through Chromium's network stack; absent (tests) = Node's http */
  net?: Pick<Net, 'fetch'>;
}

/**
 * The services as the shell uses them: in the services worker (main.ts: the main process's thread,
 * which also pumps IPC and window events, only relays), or in this thread (tests).
 */
export type ShellServices = Pick<ServicesClient, 'dispatch' | 'importFile'> & {
  close(): void | Promise<void>;
};

export interface StartOptions<S extends ShellServices = ShellServices> {
  openServices(options: ServicesOptions): S | Promise<S>;
  paths: AppPaths;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  log(line: string): void;
}

export interface RunningApp<S extends ShellServices = ShellServices> {
  services: S;
  window(): BrowserWindow | null;
}

/**
 * Boots the shell: one instance, hardened session, app:// protocol, IPC to services,
 * one window. Returns null when this process must quit (second instance, failed start).
 */
export async function startApp<S extends ShellServices>(
  electron: ElectronDeps,
  options: StartOptions<S>,
): Promise<RunningApp<S> | null> {
  const { app } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  let mainWindow: BrowserWindow | null = null;
  app.on('second-instance', () => focusWindow(mainWindow));
  app.enableSandbox();
  registerAppScheme(electron.protocol);
  installContentsGuards(app);

  await app.whenReady();

  // a packaged build takes its settings from IT's configuration file only, never the environment
  const env = developmentEnv(app, options.env);
  let services: S;
  try {
    const dataDir = dataDirFor(app, env);
    const secret = electron.safeStorage
      ? safeStorageSecretPort(electron.safeStorage, options.platform)
      : null;
    // before services open: the key store answers asynchronously, services open synchronously
    const { key } = await resolveDatabaseKey(dataDir, path.join(dataDir, DB_FILE), secret);
    services = await options.openServices({
      dataDir,
      resourcesDir: options.paths.resourcesDir,
      host: 'electron',
      appVersion: app.getVersion(),
      secret,
      databaseKey: key,
      http: electron.net ? netFetchHttpPort(electron.net) : {},
      env,
    });
  } catch (error) {
    const text = describeStartupError(error);
    options.log(`${text.title}\n${text.detail}`);
    electron.dialog.showErrorBox(text.title, text.detail);
    app.quit();
    return null;
  }
  await importRequestedFile(electron, { ...options, env }, services);

  hardenSession(electron.session.defaultSession);
  handleAppProtocol(electron.protocol, options.paths.rendererDir);
  registerIpc(electron.ipcMain, {
    trustedFrame: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.mainFrame : null),
    dispatch: (channel, input) => services.dispatch(channel, input),
  });
  electron.Menu.setApplicationMenu(
    electron.Menu.buildFromTemplate(menuTemplate(options.platform, app.isPackaged)),
  );

  const openWindow = () => {
    mainWindow = createMainWindow(electron.BrowserWindow, options.paths.preloadPath);
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };
  openWindow();
  app.on('activate', () => {
    if (!mainWindow) openWindow();
  });
  app.on('window-all-closed', () => app.quit());
  // the worker closes the database cleanly before the process ends (else the next start runs the
  // full integrity check): quitting waits for it once
  let closed = false;
  app.on('will-quit', (event?: { preventDefault(): void }) => {
    if (closed) return;
    const closing: unknown = services.close();
    if (!(closing instanceof Promise)) {
      closed = true;
      return;
    }
    event?.preventDefault();
    void closing.finally(() => {
      closed = true;
      app.quit();
    });
  });
  return { services, window: () => mainWindow };
}

/** The development overrides (data folder, server, import file) the shell may read from the environment. */
export const DEVELOPMENT_ENV = [DATA_DIR_ENV, SERVER_URL_ENV, IMPORT_ENV] as const;

/**
 * The environment the shell reads: all of it in development (the demo, tests); none of the
 * development overrides in a packaged build, where anyone who can set a variable on a shared
 * laptop could otherwise point the app at another server or data folder.
 */
export function developmentEnv(
  app: { readonly isPackaged: boolean },
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  if (!app.isPackaged) return env;
  const kept = { ...env };
  for (const name of DEVELOPMENT_ENV) delete kept[name];
  return kept;
}

/** userData/data, unless the demo or a test points elsewhere. */
export function dataDirFor(app: Pick<App, 'getPath'>, env: Record<string, string | undefined>): string {
  const override = env[DATA_DIR_ENV];
  return override ? path.resolve(override) : path.join(app.getPath('userData'), 'data');
}

/** The demo imports its task file on every start; a re-import adds nothing (ids dedupe). */
async function importRequestedFile(
  electron: ElectronDeps,
  options: StartOptions,
  services: ShellServices,
): Promise<void> {
  const file = options.env[IMPORT_ENV];
  if (!file) return;
  const report = await importAndReport((absolute) => services.importFile(absolute), file);
  for (const line of report.lines) options.log(line);
  if (!report.ok) {
    const lines = report.lines;
    const shown = lines.length > 21 ? [...lines.slice(0, 20), '…', ...lines.slice(-1)] : lines;
    electron.dialog.showErrorBox('The task file was not imported', shown.join('\n'));
  }
}
