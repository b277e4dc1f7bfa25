// Browser mode as web.ts runs it: the real HTTP server on this thread, the services on their worker
// thread (electron/services/worker), a large task import read and validated on an import reader.
import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE, fileSecretPort } from '../../../electron/services/index';
import { type ServicesClient, startServicesWorker } from '../../../electron/services/worker/client';
import { servicesWorkerLaunch } from '../../../electron/services/worker/launch';
import { type WebServer, startWebServer } from '../../../electron/web/server';
import { rankingWork } from '../services/helpers';
import { type HttpReply, callApi, request } from './http';

const repo = path.resolve(import.meta.dirname, '../../..');
let dir: string;
let services: ServicesClient;
let server: WebServer;
let auth: Record<string, string>;

const task = (id: string, words = 40) => ({
  id,
  kind: 'ranking',
  prompt: `Question ${id}?`,
  responses: ['a', 'b', 'c'].map((r) => ({ id: r, text: `${r} ${id} `.repeat(words) })),
});
/** over 1 MB: read and validated on an import reader thread, not on the services thread */
const bigFile = (prefix: string, count = 3000) =>
  Array.from({ length: count }, (_, i) => JSON.stringify(task(`${prefix}-${i}`))).join('\n') + '\n';

const call = (channel: string, input: unknown = {}) => callApi(server.port, channel, input, auth);
const result = (reply: HttpReply) => (reply.json() as { result: Record<string, unknown> }).result;
const total = async () => result(await call('queue.summary')).total as number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rw-worker-'));
  services = await startServicesWorker(
    {
      dataDir: path.join(dir, 'data'),
      resourcesDir: path.join(repo, 'resources'),
      host: 'browser',
      appVersion: '0.1.0-test',
      secret: fileSecretPort,
      backgroundSync: false,
      backgroundRetention: false,
    },
    servicesWorkerLaunch(pathToFileURL(path.join(repo, 'electron/web/web.ts')).href),
  );
  server = await startWebServer({ services, staticDir: path.join(dir, 'none'), port: 0 });
  auth = { Authorization: `Bearer ${server.token}` };
}, 120_000);

afterAll(async () => {
  await server?.close();
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser mode with the services on a worker thread', () => {
  it('tasks.import over HTTP: the same results and refusals, small or large', async () => {
    const small = await call('tasks.import', { text: JSON.stringify(task('small-1')) });
    expect(small.json()).toEqual({ ok: true, result: { ok: true, imported: 1, duplicates: 0 } });

    const large = bigFile('large');
    expect(large.length).toBeGreaterThan(1 << 20);
    const big = await call('tasks.import', { fileName: 'large.jsonl', text: large });
    expect(big.json()).toEqual({ ok: true, result: { ok: true, imported: 3000, duplicates: 0 } });
    const again = await call('tasks.import', { text: large });
    expect(result(again)).toEqual({ ok: true, imported: 0, duplicates: 3000 });

    // a bad line in a large file: its line and field, nothing written
    const bad = large.replace('"id":"large-1500"', '"id":"bad-1500","nope":1').replace(/large-/g, 'other-');
    const refused = result(await call('tasks.import', { text: bad }));
    expect(refused).toEqual({
      ok: false,
      truncated: false,
      errors: [{ line: 1501, path: 'nope', message: 'unknown field' }],
    });

    // the contract's refusal and a body that is not JSON, large or small
    for (const text of [5, { big: large }]) {
      const reply = await call('tasks.import', { text });
      expect(reply.status).toBe(400);
      expect(reply.json()).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', issues: [{ path: 'text' }] },
      });
    }
    for (const body of ['{"te', `{"text": "${'x'.repeat(1 << 20)}`]) {
      const reply = await request(server.port, {
        method: 'POST',
        path: '/api/tasks.import',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body,
      });
      expect(reply.status).toBe(400);
      expect(reply.json()).toMatchObject({ error: { code: 'invalid-input', message: /not valid JSON/ } });
    }
    expect(await total()).toBe(3001);
  }, 120_000);

  it('a submit sent while a large import runs is answered before the import', async () => {
    const next = result(await call('task.next'));
    const order: string[] = [];
    const importing = call('tasks.import', { text: bigFile('during', 6000) }).then((reply) => {
      order.push('import');
      return reply;
    });
    const submitting = call('label.submit', {
      taskId: (next.task as { id: string }).id,
      work: rankingWork(next.presentedOrder as string[]),
      acknowledgedWarnings: ['rationaleMissing'],
    }).then((reply) => {
      order.push('submit');
      return reply;
    });
    const [imported, submitted] = await Promise.all([importing, submitting]);
    expect(order).toEqual(['submit', 'import']);
    expect(result(submitted)).toMatchObject({ ok: true });
    expect(result(imported)).toEqual({ ok: true, imported: 6000, duplicates: 0 });
    expect(result(await call('queue.summary'))).toMatchObject({ submitted: 1, total: 9001 });
  }, 120_000);

  it('a write that fails halfway through a large import: nothing of it stays, and the reply says so', async () => {
    // another connection makes the 1,500th insert fail, as a full disk or an I/O error would
    const db = new Database(path.join(dir, 'data', DB_FILE));
    db.exec(`CREATE TRIGGER fail_import AFTER INSERT ON tasks WHEN NEW.id = 'failing-1500'
             BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    try {
      const before = await total();
      const reply = await call('tasks.import', { fileName: 'failing.jsonl', text: bigFile('failing') });
      expect(reply.status).toBe(503);
      expect(reply.json()).toMatchObject({
        ok: false,
        error: {
          code: 'unavailable',
          message: /failing\.jsonl stopped after \d+ of 3000 tasks \(disk trouble\).*nothing was imported/,
        },
      });
      expect(await total()).toBe(before);
      const left = db.prepare("SELECT count(*) AS n FROM tasks WHERE id LIKE 'failing-%'").get() as {
        n: number;
      };
      expect(left.n).toBe(0);
      expect(db.prepare("SELECT count(*) AS n FROM settings WHERE key = 'import.inProgress'").get()).toEqual({
        n: 0,
      });
    } finally {
      db.exec('DROP TRIGGER fail_import');
      db.close();
    }
  }, 120_000);
});
