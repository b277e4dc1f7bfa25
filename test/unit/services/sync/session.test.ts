import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { safeStorageSecretPort } from '../../../../electron/main/ports';
import { ConfigError, DB_FILE } from '../../../../electron/services/index';
import { readWorkstationConfig } from '../../../../electron/services/auth/workstation-config';
import { call, rankingWork, tempDir } from '../helpers';
import { type FakeServer, startFakeServer, assignment } from './fake-server';
import { REVIEWER } from './real-server';
import { openWorkstation } from './workstation';

const fakes: FakeServer[] = [];

/** safeStorage's asynchronous API with a key version, so a rotation can be seen in the stored bytes */
function fakeSafeStorage(backend: 'basic_text' | 'gnome_libsecret' = 'gnome_libsecret') {
  let key = 1;
  const storage = {
    calls: 0,
    rotate: () => void (key += 1),
    keyOf: (data: Buffer | null) => (data ? data[0] : null),
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => backend,
    encryptStringAsync: async (text: string) => {
      storage.calls += 1;
      return Buffer.concat([Buffer.from([key]), Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)]);
    },
    decryptStringAsync: async (data: Buffer) => {
      storage.calls += 1;
      return {
        result: Buffer.from(data.subarray(1).map((b) => b ^ 0x5a)).toString('utf8'),
        shouldReEncrypt: data[0] !== key,
      };
    },
  };
  return storage;
}

function storedBuffer(dataDir: string): Buffer | null {
  const db = new Database(path.join(dataDir, DB_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT token FROM session WHERE id = 1').get() as { token: Buffer | null }).token;
  } finally {
    db.close();
  }
}

const storedToken = (dataDir: string) => storedBuffer(dataDir)?.toString('latin1') ?? '';
afterEach(async () => {
  while (fakes.length) await fakes.pop()!.close();
});

async function fake() {
  const f = await startFakeServer();
  fakes.push(f);
  f.changes.push(assignment('t1'), assignment('t2'));
  return f;
}

describe('workstation config (IT)', () => {
  it('reads <dataDir>/../config.json; the env var and --server win, in that order', () => {
    const dataDir = path.join(tempDir(), 'data');
    const file = path.join(path.dirname(dataDir), 'config.json');
    expect(readWorkstationConfig(dataDir)).toEqual({ cachedSessionDays: 14, retentionDays: 30 });
    fs.writeFileSync(file, JSON.stringify({ serverUrl: 'https://rlhf.example.com', cachedSessionDays: 7 }));
    expect(readWorkstationConfig(dataDir)).toEqual({
      serverUrl: 'https://rlhf.example.com',
      cachedSessionDays: 7,
      retentionDays: 30,
    });
    expect(
      readWorkstationConfig(dataDir, { RLHF_WORKSTATION_SERVER: 'https://10.0.0.5:8787' }).serverUrl,
    ).toBe('https://10.0.0.5:8787');
    expect(
      readWorkstationConfig(
        dataDir,
        { RLHF_WORKSTATION_SERVER: 'https://10.0.0.5:8787' },
        'http://127.0.0.1:1',
      ).serverUrl,
    ).toBe('http://127.0.0.1:1');
  });

  it('names the file and the field when the config is wrong', () => {
    const dataDir = path.join(tempDir(), 'data');
    const file = path.join(path.dirname(dataDir), 'config.json');
    fs.writeFileSync(file, JSON.stringify({ serverUrl: 'ftp://x', cachedSessionDays: 0 }));
    let error: unknown;
    try {
      readWorkstationConfig(dataDir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).file).toBe(file);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['serverUrl', 'cachedSessionDays']);
    expect(() => readWorkstationConfig(path.join(tempDir(), 'data'), {}, 'not a url')).toThrow(
      /--server.*serverUrl/,
    );
  });
});

describe('session', () => {
  it('after the cached-session limit without contact, sync asks for sign-in but labeling goes on', async () => {
    const f = await fake();
    let now = Date.parse('2030-01-01T08:00:00.000Z');
    const ws = openWorkstation({ clock: () => new Date(now) });
    await call(ws, 'auth.signIn', { serverUrl: f.url, ...REVIEWER });
    await call(ws, 'sync.now');
    f.fail.push = { status: 503 };
    now += 13 * 24 * 3600_000; // offline for 13 days: still a session
    expect((await call(ws, 'auth.status')).signedIn).toBe(true);
    now += 2 * 24 * 3600_000; // 15 days: past the 14-day default
    const auth = await call(ws, 'auth.status');
    expect(auth.signedIn).toBe(false);
    expect(auth.signInReason).toMatch(/14 days/);
    const pushesBefore = f.pushes.length;
    expect(await call(ws, 'sync.now')).toMatchObject({ state: 'signed-out' });
    expect(f.pushes.length).toBe(pushesBefore); // no request on a stale session
    const bundle = (await call(ws, 'task.next'))!;
    const outcome = await call(ws, 'label.submit', {
      taskId: bundle.task.id,
      work: rankingWork(bundle.presentedOrder),
    });
    expect(outcome.ok).toBe(true);
    expect((await call(ws, 'sync.status')).queued).toBe(1);
  });

  it('without OS encryption the token lives in memory only: after a restart, sign in again', async () => {
    const f = await fake();
    const ws = openWorkstation({ secret: null });
    const status = await call(ws, 'auth.signIn', { serverUrl: f.url, ...REVIEWER });
    expect(status).toMatchObject({ signedIn: true, tokenProtection: 'memory' });
    ws.close();
    const again = openWorkstation({ secret: null, dataDir: ws.dataDir });
    const after = await call(again, 'auth.status');
    expect(after).toMatchObject({ signedIn: false, user: { username: REVIEWER.username } });
    expect(after.signInReason).toMatch(/sign in again/i);
  });

  it('an OS key store: only ciphertext on disk, the session survives a restart, a rotated key re-encrypts', async () => {
    const f = await fake();
    const storage = fakeSafeStorage();
    const ws = openWorkstation({ secret: safeStorageSecretPort(storage, 'linux') });
    const status = await call(ws, 'auth.signIn', { serverUrl: f.url, ...REVIEWER });
    expect(status).toMatchObject({ signedIn: true, tokenProtection: 'os' });
    const token = 'x'.repeat(40); // the fake server's token
    const stored = () => storedToken(ws.dataDir);
    expect(stored()).not.toContain(token);
    ws.close();
    storage.rotate();
    const again = openWorkstation({ dataDir: ws.dataDir, secret: safeStorageSecretPort(storage, 'linux') });
    expect(await call(again, 'auth.status')).toMatchObject({ signedIn: true, tokenProtection: 'os' });
    // the fake server answers 401 to any other token: sync works only with the token read back
    expect(await call(again, 'sync.now')).toMatchObject({ state: 'online', lastError: null });
    // stored again under the new key
    expect(storage.keyOf(storedBuffer(ws.dataDir))).toBe(2);
    again.close();
  });

  it('Linux without a keyring (basic_text): the token stays in memory only and the status says so', async () => {
    const f = await fake();
    const storage = fakeSafeStorage('basic_text');
    const ws = openWorkstation({ secret: safeStorageSecretPort(storage, 'linux') });
    const status = await call(ws, 'auth.signIn', { serverUrl: f.url, ...REVIEWER });
    expect(status).toMatchObject({ signedIn: true, tokenProtection: 'memory' });
    expect(storedBuffer(ws.dataDir)).toBeNull();
    expect(storage.calls).toBe(0);
    ws.close();
    const again = openWorkstation({ dataDir: ws.dataDir, secret: safeStorageSecretPort(storage, 'linux') });
    expect((await call(again, 'auth.status')).signedIn).toBe(false);
    again.close();
  });

  it('wrong password and an unreachable server come back in plain words', async () => {
    const f = await fake();
    const ws = openWorkstation();
    f.fail.login = {
      status: 401,
      body: { error: { code: 'bad-credentials', message: 'wrong username or password' } },
    };
    const wrong = await ws.dispatch('auth.signIn', { serverUrl: f.url, ...REVIEWER });
    expect(wrong).toMatchObject({
      ok: false,
      status: 403,
      error: { message: 'Wrong username or password.' },
    });
    f.fail.login = {
      status: 401,
      body: { error: { code: 'user-revoked', message: 'this account has been revoked' } },
    };
    expect(await ws.dispatch('auth.signIn', { serverUrl: f.url, ...REVIEWER })).toMatchObject({
      ok: false,
      status: 403,
      error: { message: 'This account has been revoked. Ask your lead.' },
    });
    const down = await ws.dispatch('auth.signIn', { serverUrl: 'http://127.0.0.1:9', ...REVIEWER });
    expect(down).toMatchObject({ ok: false, status: 503 });
    expect(!down.ok && down.error.message).toMatch(/Cannot reach the server at http:\/\/127\.0\.0\.1:9/);
    const bad = await ws.dispatch('auth.signIn', { serverUrl: 'ftp://x', ...REVIEWER });
    expect(!bad.ok && bad.error.issues?.[0]?.path).toBe('serverUrl');
  });

  it('another account may not sign in over unsent work; sign-out keeps the queue', async () => {
    const f = await fake();
    const ws = openWorkstation();
    await call(ws, 'auth.signIn', { serverUrl: f.url, ...REVIEWER });
    await call(ws, 'sync.now');
    const bundle = (await call(ws, 'task.next'))!;
    await call(ws, 'label.submit', { taskId: bundle.task.id, work: rankingWork(bundle.presentedOrder) });
    const out = await call(ws, 'auth.signOut');
    expect(out.signedIn).toBe(false);
    expect((await call(ws, 'sync.status')).queued).toBe(1);
    const other = await ws.dispatch('auth.signIn', { serverUrl: f.url, username: 'omar', password: 'x' });
    expect(other).toMatchObject({ ok: false, status: 409 });
    expect(!other.ok && other.error.message).toMatch(/rita's work on this computer has not reached/);
    await call(ws, 'auth.signIn', { serverUrl: f.url, ...REVIEWER });
    expect(await call(ws, 'sync.now')).toMatchObject({ state: 'online', queued: 0 });
  });
});
