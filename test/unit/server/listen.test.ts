import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { listenRefusal } from '../../../server/listen-policy';
import { testDeviceSecret } from './helpers';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Run {
  child: ChildProcess;
  /** stdout + stderr so far */
  output: () => string;
  /** resolves with the ready line's URL, or rejects with the output when the process ends first */
  ready: Promise<string>;
  exited: Promise<number | null>;
}

const running: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-listen-'));
  dirs.push(dir);
  return dir;
}

/** The real server process (`npm run server -- ARGS`) on a fresh SQLite file and a free port. */
function startServer(args: string[]): Run {
  const db = path.join(tempDir(), 'server.db');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--port', '0', '--db', db, ...args],
    { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.push(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /Server listening on (https?:\/\/\S+:\d+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited (${code}) before ready:\n${output}`)));
  });
  ready.catch(() => undefined);
  return { child, output: () => output, ready, exited };
}

/** A failed sign-in of an unknown user, as a proxy would forward it (X-Forwarded-For) or not. */
async function failedSignIn(url: string, forwardedFor?: string) {
  const res = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: JSON.stringify({
      username: 'ghost',
      password: 'not the password',
      deviceId: 'device-listen-test',
      deviceSecret: testDeviceSecret('device-listen-test'),
    }),
  });
  return res.status;
}

/** the addresses of the server's `sign-in-failed` log lines */
const loggedAddresses = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.includes('"sign-in-failed"'))
    .map((line) => (JSON.parse(line) as { address: string }).address);

describe('the listen policy', () => {
  it('plain http only on loopback, unless TLS or a proxy is declared', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost'])
      expect(listenRefusal({ host, tls: false, trustProxy: false }), host).toBeNull();
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'rlhf.example.com'])
      expect(listenRefusal({ host, tls: false, trustProxy: false }), host).toMatch(/without TLS/);
    expect(listenRefusal({ host: '0.0.0.0', tls: true, trustProxy: false })).toBeNull();
    expect(listenRefusal({ host: '0.0.0.0', tls: false, trustProxy: true })).toBeNull();
  });
});

describe('the server process refuses a network address without TLS', () => {
  it(
    'exits with plain words on --host 0.0.0.0 without TLS or --trust-proxy, listening on nothing',
    { timeout: 60_000 },
    async () => {
      const run = startServer(['--host', '0.0.0.0']);
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(
        'server: --host 0.0.0.0 is reachable from the network, and without TLS passwords, session tokens and prompts would cross it in clear. Give --tls-cert FILE --tls-key FILE, or run behind a TLS-terminating proxy and start with --trust-proxy, or listen on 127.0.0.1.',
      );
      expect(run.output()).not.toContain('Server listening');
    },
  );

  it('starts on a network address with TLS, or behind a declared proxy', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const [cert, key] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const tls = startServer(['--host', '0.0.0.0', '--tls-cert', cert, '--tls-key', key]);
    expect(await tls.ready).toMatch(/^https:\/\/0\.0\.0\.0:\d+$/);

    const proxied = startServer(['--host', '0.0.0.0', '--trust-proxy']);
    expect(await proxied.ready).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    expect(proxied.output()).toContain('behind a proxy: client addresses from X-Forwarded-For');
  });
});

describe('--trust-proxy and the sign-in limits (10 attempts a minute per username and address)', () => {
  it(
    'without it, X-Forwarded-For is ignored: every attempt counts against the socket address',
    { timeout: 60_000 },
    async () => {
      const run = startServer([]);
      const url = await run.ready;
      const statuses: number[] = [];
      for (let i = 1; i <= 11; i++) statuses.push(await failedSignIn(url, `203.0.113.${i}`));
      expect(statuses).toEqual([...Array(10).fill(401), 429]);
      // the log is written asynchronously: wait for the ten failures' lines
      await expect.poll(() => loggedAddresses(run.output())).toEqual(Array(10).fill('127.0.0.1'));
    },
  );

  it(
    'with it, the limits key on the address the proxy forwarded, not on what the client wrote before it',
    { timeout: 60_000 },
    async () => {
      const run = startServer(['--trust-proxy']);
      const url = await run.ready;
      // eleven reviewers behind the proxy, one attempt each: none is limited
      const distinct: number[] = [];
      for (let i = 1; i <= 11; i++) distinct.push(await failedSignIn(url, `203.0.113.${i}`));
      expect(distinct).toEqual(Array(11).fill(401));
      await expect
        .poll(() => loggedAddresses(run.output()))
        .toEqual(Array.from({ length: 11 }, (_, i) => `203.0.113.${i + 1}`));
      // one client forging a fresh address each time before the proxy's entry: limited all the same
      const forged: number[] = [];
      for (let i = 1; i <= 11; i++) forged.push(await failedSignIn(url, `198.51.100.${i}, 192.0.2.50`));
      expect(forged).toEqual([...Array(10).fill(401), 429]);
      await expect.poll(() => loggedAddresses(run.output()).slice(11)).toEqual(Array(10).fill('192.0.2.50'));
    },
  );
});
