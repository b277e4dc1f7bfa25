import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../electron/services/index';
import { readWorkstationConfig } from '../../../../electron/services/auth/workstation-config';
import { isLoopbackHost } from '../../../../shared/loopback';
import { ServerUrl } from '../../../../shared/session';
import { call, tempDir } from '../helpers';
import { type RealServer, REVIEWER, REVIEWER2, startRealServer } from './real-server';
import { openWorkstation } from './workstation';

const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop()!;
    await s.stop();
    s.remove();
  }
});

async function realServer() {
  const s = await startRealServer({ tasks: 3 });
  servers.push(s);
  return s;
}

/** A data folder whose parent holds the IT configuration file (`<dataDir>/../config.json`). */
function itConfigured(config: object): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return path.join(dir, 'data');
}

const sessionsOn = async (s: RealServer) =>
  (await s.db.db.selectFrom('sessions').select('token_hash').execute()).length;

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('https:// required off loopback', () => {
  it('loopback is 127.0.0.0/8, ::1 and localhost; nothing that only looks like it', () => {
    for (const host of ['127.0.0.1', '127.255.3.9', '::1', '[::1]', 'localhost', 'LOCALHOST'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of [
      '10.0.0.5',
      '0.0.0.0',
      '::',
      '128.0.0.1',
      '127.0.0.256',
      '127.0.0.1.evil.example',
      'localhost.evil.example',
      'rlhf.example.com',
    ])
      expect(isLoopbackHost(host), host).toBe(false);
  });

  it('a server address: https anywhere, http only on loopback, with words naming the rule', () => {
    for (const url of [
      'https://rlhf.example.com',
      'https://10.0.0.5:8443/rlhf',
      'http://127.0.0.1:8787',
      'http://localhost:8787',
      'http://[::1]:8787',
    ])
      expect(ServerUrl.safeParse(url).success, url).toBe(true);
    for (const url of [
      'http://10.0.0.5:8787',
      'http://rlhf.example.com',
      'http://127.0.0.1.evil.example',
      'http://[::2]:80',
    ]) {
      const parsed = ServerUrl.safeParse(url);
      expect(parsed.success, url).toBe(false);
      expect(parsed.error!.issues.map((i) => i.message)).toEqual([expect.stringMatching(/https:\/\//)]);
    }
  });

  it('the IT file, the env var and --server refuse plain http off loopback, naming where and the field', () => {
    const dataDir = itConfigured({ serverUrl: 'http://rlhf.corp.example' });
    const fromFile = configErrorOf(() => readWorkstationConfig(dataDir));
    expect(fromFile.file).toBe(path.join(path.dirname(dataDir), 'config.json'));
    expect(fromFile.issues).toEqual([{ path: 'serverUrl', message: expect.stringMatching(/https:\/\//) }]);

    const clean = path.join(tempDir(), 'data');
    const fromEnv = configErrorOf(() =>
      readWorkstationConfig(clean, { RLHF_WORKSTATION_SERVER: 'http://10.0.0.5:8787' }),
    );
    expect(fromEnv.file).toBe('RLHF_WORKSTATION_SERVER');
    expect(fromEnv.message).toMatch(/serverUrl: must start with https:\/\//);
    expect(configErrorOf(() => readWorkstationConfig(clean, {}, 'http://10.0.0.5:8787')).file).toBe(
      '--server',
    );
    // the demo and the tests: a server on this computer
    expect(readWorkstationConfig(clean, {}, 'http://127.0.0.1:8787').serverUrl).toBe('http://127.0.0.1:8787');
  });

  it('the sign-in input refuses plain http off loopback, naming the field, and asks no server', async () => {
    const ws = openWorkstation();
    const refused = await ws.dispatch('auth.signIn', { serverUrl: 'http://10.1.2.3:8787', ...REVIEWER });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!refused.ok && refused.error.issues).toEqual([
      { path: 'serverUrl', message: expect.stringMatching(/must start with https:\/\//) },
    ]);
    expect((await call(ws, 'auth.status')).signedIn).toBe(false);
  });
});

describe('a server URL set by IT', () => {
  it('is offered read-only, and a sign-in to any other server is refused before anything is sent', async () => {
    const pinned = await realServer();
    const other = await realServer();
    const ws = openWorkstation({ dataDir: itConfigured({ serverUrl: pinned.url }) });
    expect(await call(ws, 'auth.status')).toMatchObject({
      configuredServerUrl: pinned.url,
      serverUrl: pinned.url,
      offeredUsername: null,
    });

    const refused = await ws.dispatch('auth.signIn', { serverUrl: other.url, ...REVIEWER });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        message: `This computer signs in only to ${pinned.url}, the server set by your IT department.`,
        issues: [{ path: 'serverUrl', message: `must be ${pinned.url} (set by your IT department)` }],
      },
    });
    expect(await sessionsOn(other)).toBe(0);

    // the same server spelled differently is the same server; the IT spelling is what is stored
    const status = await call(ws, 'auth.signIn', { serverUrl: `${pinned.url}/`, ...REVIEWER });
    expect(status).toMatchObject({
      signedIn: true,
      serverUrl: pinned.url,
      offeredUsername: REVIEWER.username,
    });
    expect(await sessionsOn(pinned)).toBe(1);
    expect((await call(ws, 'sync.now')).state).toBe('online');
  });

  it('a session with another server than the one IT set since is not used', async () => {
    const before = await realServer();
    const pinned = await realServer();
    const dataDir = path.join(tempDir(), 'data');
    const ws = openWorkstation({ dataDir });
    await call(ws, 'auth.signIn', { serverUrl: before.url, ...REVIEWER });
    ws.close();

    fs.writeFileSync(
      path.join(path.dirname(dataDir), 'config.json'),
      JSON.stringify({ serverUrl: pinned.url }),
    );
    const again = openWorkstation({ dataDir });
    const status = await call(again, 'auth.status');
    expect(status).toMatchObject({ signedIn: false, serverUrl: pinned.url, offeredUsername: null });
    expect(status.signInReason).toBe(
      `Your IT department set this computer to sync with ${pinned.url}. Sign in there; your work stays on this computer.`,
    );
    // sync does not use it: nothing leased or pulled from the old server
    expect((await call(again, 'sync.now')).state).toBe('signed-out');
    expect(await call(again, 'queue.list', { state: 'pending', limit: 10 })).toEqual([]);
  });
});

describe('what the sign-in form offers on a shared laptop', () => {
  it('after a sign-out nothing of the last person; after an expiry the same person keeps their username', async () => {
    const server = await realServer();
    let now = Date.now();
    const ws = openWorkstation({ clock: () => new Date(now) });
    expect(await call(ws, 'auth.status')).toMatchObject({ serverUrl: null, offeredUsername: null });

    await call(ws, 'auth.signIn', { serverUrl: server.url, ...REVIEWER });
    await call(ws, 'sync.now');
    now += 15 * 24 * 3600_000; // past the 14-day cached session: the same person signs in again
    expect(await call(ws, 'auth.status')).toMatchObject({
      signedIn: false,
      serverUrl: server.url,
      offeredUsername: REVIEWER.username,
    });

    now = Date.now();
    await call(ws, 'auth.signIn', { serverUrl: server.url, ...REVIEWER });
    const out = await call(ws, 'auth.signOut');
    // the next person gets an empty form: neither the server nor the username of the last one
    expect(out).toMatchObject({ signedIn: false, serverUrl: null, offeredUsername: null });
    // (the status bar still knows whose work is on the computer)
    expect(out.user?.username).toBe(REVIEWER.username);

    await call(ws, 'auth.signIn', { serverUrl: server.url, ...REVIEWER2 });
    expect(await call(ws, 'auth.status')).toMatchObject({ offeredUsername: REVIEWER2.username });
  });

  it('with a server set by IT, a sign-out leaves the IT server and no username', async () => {
    const server = await realServer();
    const ws = openWorkstation({ dataDir: itConfigured({ serverUrl: server.url }) });
    await call(ws, 'auth.signIn', { serverUrl: server.url, ...REVIEWER });
    expect(await call(ws, 'auth.signOut')).toMatchObject({
      serverUrl: server.url,
      configuredServerUrl: server.url,
      offeredUsername: null,
    });
  });
});
