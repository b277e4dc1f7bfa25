import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DATA_DIR_ENV,
  IMPORT_ENV,
  type StartOptions,
  dataDirFor,
  startApp,
} from '../../../electron/main/app';
import { CONTRACT_IPC_CHANNEL } from '../../../electron/main/ipc';
import {
  SERVER_URL_ENV,
  type Services,
  StoreOpenError,
  openServices,
} from '../../../electron/services/index';
import { FakeBrowserWindow, fakeElectron } from './fake-electron';

const repo = path.resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
const running: Services[] = [];
afterEach(() => {
  for (const services of running.splice(0)) services.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rw-shell-'));
  dirs.push(dir);
  return dir;
}

function options(overrides: Partial<StartOptions<Services>> = {}): StartOptions<Services> {
  return {
    openServices: (o) => {
      const services = openServices(o);
      running.push(services);
      return services;
    },
    paths: {
      rendererDir: path.join(repo, 'dist/renderer'),
      preloadPath: '/app/dist/preload/preload.cjs',
      resourcesDir: path.join(repo, 'resources'),
    },
    env: {},
    platform: 'linux',
    log: () => undefined,
    ...overrides,
  };
}

describe('startApp', () => {
  it('quits at once when another instance holds the lock, touching nothing', async () => {
    const electron = fakeElectron({ userData: tempDir(), gotLock: false });
    const open = vi.fn();
    await expect(startApp(electron.deps, options({ openServices: open }))).resolves.toBeNull();
    expect(electron.app.quit).toHaveBeenCalled();
    expect(open).not.toHaveBeenCalled();
    expect(FakeBrowserWindow.created).toHaveLength(0);
  });

  it('boots a hardened shell: sandbox, app scheme before ready, guards, IPC, one window', async () => {
    const userData = tempDir();
    const electron = fakeElectron({ userData });
    let ready!: () => void;
    electron.app.whenReady = () => new Promise<void>((resolve) => (ready = resolve));
    const started = startApp(electron.deps, options());
    // before 'ready': only the things Electron requires early
    expect(electron.app.enableSandbox).toHaveBeenCalled();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
    expect(electron.app.listenerCount('web-contents-created')).toBe(1);
    expect(FakeBrowserWindow.created).toHaveLength(0);
    ready();
    const app = await started;
    expect(app).not.toBeNull();

    expect(electron.session.permissionRequestHandler).not.toBeNull();
    expect(electron.session.headersListener).not.toBeNull();
    expect(electron.protocolHandlers.has('app')).toBe(true);
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalled();
    expect(FakeBrowserWindow.created).toHaveLength(1);
    const win = FakeBrowserWindow.created[0]!;
    expect(win.options).toMatchObject({
      webPreferences: { preload: '/app/dist/preload/preload.cjs', contextIsolation: true, sandbox: true },
    });
    expect(win.loadURL).toHaveBeenCalledWith('app://renderer/index.html');

    // the data lives in userData/data
    expect(readdirSync(path.join(userData, 'data'))).toContain('workstation.db');

    // a real contract call from the window's main frame reaches the real services
    const handler = electron.ipcHandlers.get(CONTRACT_IPC_CHANNEL)!;
    const reply = await handler({ senderFrame: { ...win.webContents.mainFrame } }, 'app.info', {});
    expect(reply).toMatchObject({ ok: true, result: { host: 'electron', version: '0.1.0-test' } });
    const foreign = await handler(
      { senderFrame: { ...win.webContents.mainFrame, routingId: 5 } },
      'app.info',
      {},
    );
    expect(foreign).toMatchObject({ ok: false, status: 403 });

    // a second launch focuses this window
    win.minimized = true;
    electron.app.emit('second-instance');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();

    // closing the window quits; quitting closes the database
    electron.app.emit('window-all-closed');
    expect(electron.app.quit).toHaveBeenCalled();
    const close = vi.spyOn(app!.services, 'close');
    electron.app.emit('will-quit');
    expect(close).toHaveBeenCalled();
  });

  it('shows the store error in a dialog and quits, creating no window', async () => {
    const electron = fakeElectron({ userData: tempDir() });
    const log = vi.fn();
    const failing = () => {
      throw new StoreOpenError(
        'corrupt',
        '/data/workstation.db',
        'The database file is damaged.',
        '/data/workstation.db.damaged-1',
      );
    };
    await expect(startApp(electron.deps, options({ openServices: failing, log }))).resolves.toBeNull();
    expect(electron.dialog.showErrorBox).toHaveBeenCalledOnce();
    const [title, detail] = electron.dialog.showErrorBox.mock.calls[0]!;
    expect(title).toBe('The workstation database is damaged');
    expect(detail).toContain('The database file is damaged.');
    expect(detail).toContain('/data/workstation.db.damaged-1');
    expect(detail).not.toMatch(/\n\s+at /); // no stack trace
    expect(electron.app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.created).toHaveLength(0);
    expect(electron.ipcMain.handle).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalled();
  });

  it('tells the reviewer to update when the database is from a newer version', async () => {
    const electron = fakeElectron({ userData: tempDir() });
    const failing = () => {
      throw new StoreOpenError(
        'newer-version',
        '/data/workstation.db',
        'Schema version 99 is newer than this app.',
      );
    };
    await startApp(electron.deps, options({ openServices: failing }));
    const [title, detail] = electron.dialog.showErrorBox.mock.calls[0]!;
    expect(title).toMatch(/newer version/);
    expect(detail).toMatch(/Update the workstation app/);
    expect(detail).toContain('Schema version 99 is newer than this app.');
    expect(electron.app.quit).toHaveBeenCalled();
  });

  it('never recreates a damaged database silently: real services, garbage file', async () => {
    const userData = tempDir();
    mkdirSync(path.join(userData, 'data'), { recursive: true });
    writeFileSync(path.join(userData, 'data', 'workstation.db'), 'this is not a database'.repeat(100));
    const electron = fakeElectron({ userData });
    await expect(startApp(electron.deps, options())).resolves.toBeNull();
    expect(electron.dialog.showErrorBox).toHaveBeenCalledOnce();
    const [title, detail] = electron.dialog.showErrorBox.mock.calls[0]!;
    expect(title).toBe('The workstation database is damaged');
    const kept = readdirSync(path.join(userData, 'data')).filter((name) => name !== 'workstation.db');
    expect(kept).toHaveLength(1);
    expect(detail).toContain(path.join(userData, 'data', kept[0]!));
    expect(electron.app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.created).toHaveLength(0);
  });

  it('imports the task file named by the environment (the demo), idempotently', async () => {
    const dataDir = path.join(tempDir(), 'demo');
    const env = {
      [DATA_DIR_ENV]: dataDir,
      [IMPORT_ENV]: path.join(repo, 'resources/demo/qa-feedback.jsonl'),
    };
    const log = vi.fn();
    const first = await startApp(fakeElectron({ userData: tempDir() }).deps, options({ env, log }));
    expect(log).toHaveBeenCalledWith('Imported 80 tasks (0 already present)');
    const summary = await first!.services.dispatch('queue.summary', {});
    expect(summary).toMatchObject({ ok: true, result: { total: 80, pending: 80 } });
    first!.services.close();
    running.splice(running.indexOf(first!.services), 1);
    await startApp(fakeElectron({ userData: tempDir() }).deps, options({ env, log }));
    expect(log).toHaveBeenCalledWith('Imported 0 tasks (80 already present)');
  });

  it('a packaged build ignores the development overrides: data folder, server and import file', async () => {
    const userData = tempDir();
    const elsewhere = path.join(tempDir(), 'elsewhere');
    const env = {
      [DATA_DIR_ENV]: elsewhere,
      [IMPORT_ENV]: path.join(repo, 'resources/demo/qa-feedback.jsonl'),
      [SERVER_URL_ENV]: 'https://attacker.example',
    };
    const log = vi.fn();
    const packaged = await startApp(fakeElectron({ userData, packaged: true }).deps, options({ env, log }));
    expect(log).not.toHaveBeenCalled();
    expect(await packaged!.services.dispatch('app.info', {})).toMatchObject({
      ok: true,
      result: { dataDir: path.join(userData, 'data') },
    });
    expect(await packaged!.services.dispatch('queue.summary', {})).toMatchObject({ result: { total: 0 } });
    expect(await packaged!.services.dispatch('auth.status', {})).toMatchObject({
      ok: true,
      result: { configuredServerUrl: null, serverUrl: null },
    });
    expect(readdirSync(path.dirname(elsewhere))).toEqual([]);

    // the same environment in development: all three apply
    const dev = await startApp(fakeElectron({ userData: tempDir() }).deps, options({ env, log }));
    expect(await dev!.services.dispatch('app.info', {})).toMatchObject({ result: { dataDir: elsewhere } });
    expect(log).toHaveBeenCalledWith('Imported 80 tasks (0 already present)');
    expect(await dev!.services.dispatch('auth.status', {})).toMatchObject({
      result: { configuredServerUrl: 'https://attacker.example' },
    });
  });

  it('reports a bad import file in a dialog and still opens the queue', async () => {
    const dir = tempDir();
    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id":"a","kind":"ranking","prompt":"q","responses":[]}\n');
    const electron = fakeElectron({ userData: dir });
    await startApp(electron.deps, options({ env: { [IMPORT_ENV]: bad } }));
    const [title, detail] = electron.dialog.showErrorBox.mock.calls[0]!;
    expect(title).toBe('The task file was not imported');
    expect(detail).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: responses: `));
    expect(FakeBrowserWindow.created).toHaveLength(1);
  });
});

describe('dataDirFor', () => {
  it('is userData/data unless overridden', () => {
    const app = { getPath: () => '/home/r/.config/RLHF Reviewer Workstation' };
    expect(dataDirFor(app as never, {})).toBe('/home/r/.config/RLHF Reviewer Workstation/data');
    expect(dataDirFor(app as never, { [DATA_DIR_ENV]: '/tmp/demo' })).toBe('/tmp/demo');
  });
});
