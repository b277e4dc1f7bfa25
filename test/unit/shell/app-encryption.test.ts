// The Electron shell with a fake safeStorage: the database key is resolved before services open
// and reaches them as a plain option.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type StartOptions, startApp } from '../../../electron/main/app';
import { DB_FILE, KEY_FILE, type Services, openServices } from '../../../electron/services/index';
import { fakeKeyring } from '../services/cipher-helpers';
import { jsonl, rankingTask } from '../services/helpers';
import { FakeBrowserWindow, fakeElectron } from './fake-electron';

const repo = path.resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
const running: Services[] = [];
afterEach(() => {
  for (const services of running.splice(0)) services.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rw-shell-key-'));
  dirs.push(dir);
  return dir;
}

const opened: Parameters<StartOptions['openServices']>[0][] = [];
const options: StartOptions<Services> = {
  openServices: (o) => {
    opened.push(o);
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
};

async function start(userData: string, keyring: ReturnType<typeof fakeKeyring> | null) {
  const electron = fakeElectron({ userData });
  const deps = keyring ? { ...electron.deps, safeStorage: keyring } : electron.deps;
  const app = await startApp(deps, options);
  return { electron, app };
}

const dispatch = async (services: Services, channel: string, input: unknown = {}) => {
  const outcome = await services.dispatch(channel, input);
  if (!outcome.ok) throw new Error(`${channel}: ${outcome.error.message}`);
  return outcome.result as Record<string, unknown>;
};

const stop = (services: Services) => {
  services.close();
  running.splice(running.indexOf(services), 1);
};

describe('startApp: the database key from the OS key store', () => {
  it('with a key store: the database is encrypted with a key handed to services, and opens again at the next start', async () => {
    const userData = tempDir();
    const keyring = fakeKeyring();
    const { app } = await start(userData, keyring);
    const services = app!.services;
    expect(opened.at(-1)!.databaseKey).toMatch(/^[0-9a-f]{64}$/);
    expect(await dispatch(services, 'auth.status')).toMatchObject({ dataProtection: 'os' });
    await dispatch(services, 'tasks.import', { text: jsonl(rankingTask('secret-task', 3)) });
    stop(services);

    const dataDir = path.join(userData, 'data');
    expect(readdirSync(dataDir)).toContain(KEY_FILE);
    expect(readFileSync(path.join(dataDir, DB_FILE)).subarray(0, 15).toString('latin1')).not.toBe(
      'SQLite format 3',
    );
    expect(readFileSync(path.join(dataDir, DB_FILE)).includes('secret-task')).toBe(false);

    const again = await start(userData, keyring);
    expect(await dispatch(again.app!.services, 'queue.summary')).toMatchObject({ total: 1 });
  });

  it('without a key store the queue stays unencrypted and says so; once a key store exists, the next start encrypts it, keeping the work', async () => {
    const userData = tempDir();
    const first = await start(userData, fakeKeyring('basic_text'));
    expect(opened.at(-1)!.databaseKey).toBeNull();
    expect(await dispatch(first.app!.services, 'auth.status')).toMatchObject({
      dataProtection: 'no-key-store',
    });
    await dispatch(first.app!.services, 'tasks.import', { text: jsonl(rankingTask('kept-task', 3)) });
    stop(first.app!.services);
    const dbPath = path.join(userData, 'data', DB_FILE);
    expect(readFileSync(dbPath).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');

    const second = await start(userData, fakeKeyring());
    expect(await dispatch(second.app!.services, 'auth.status')).toMatchObject({ dataProtection: 'os' });
    expect(await dispatch(second.app!.services, 'queue.summary')).toMatchObject({ total: 1 });
    stop(second.app!.services);
    expect(readFileSync(dbPath).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
  });

  it('a locked key store after encryption: a dialog says so, no window, the files stay as they were', async () => {
    const userData = tempDir();
    const keyring = fakeKeyring();
    const { app } = await start(userData, keyring);
    await dispatch(app!.services, 'tasks.import', { text: jsonl(rankingTask('t1', 3)) });
    stop(app!.services);
    const dataDir = path.join(userData, 'data');
    const snapshot = () =>
      readdirSync(dataDir).map((f) => [f, readFileSync(path.join(dataDir, f)).toString('hex')]);
    const before = snapshot();

    keyring.locked = true;
    const calls = opened.length;
    const locked = await start(userData, keyring);
    expect(locked.app).toBeNull();
    expect(opened).toHaveLength(calls); // services never opened without the key
    const [title, detail] = locked.electron.dialog.showErrorBox.mock.calls[0]!;
    expect(title).toBe("The workstation database's key could not be read");
    expect(detail).toMatch(/Unlock your key store/);
    expect(locked.electron.app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.created).toHaveLength(0);
    expect(snapshot()).toEqual(before);

    keyring.locked = false;
    const unlocked = await start(userData, keyring);
    expect(await dispatch(unlocked.app!.services, 'queue.summary')).toMatchObject({ total: 1 });
  });
});
