import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Services, openServices } from '../../../electron/services/index';
import { type WebServer, startWebServer } from '../../../electron/web/server';
import { CLOSE_BAD_MESSAGE, CLOSE_UNAUTHORIZED, SOCKET_PATH } from '../../../electron/web/socket';
import { rankingWork } from '../services/helpers';

const repo = path.resolve(import.meta.dirname, '../../..');
let dir: string;
let services: Services;
let server: WebServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rw-socket-'));
  services = openServices({
    dataDir: path.join(dir, 'data'),
    resourcesDir: path.join(repo, 'resources'),
    host: 'browser',
    appVersion: '0.1.0-test',
  });
  const file = path.join(dir, 'tasks.jsonl');
  const task = (id: string) => ({
    id,
    kind: 'ranking',
    prompt: `Question ${id}?`,
    responses: [
      { id: 'a', text: 'First' },
      { id: 'b', text: 'Second' },
    ],
  });
  writeFileSync(file, [task('s1'), task('s2')].map((t) => JSON.stringify(t)).join('\n') + '\n');
  expect(await services.importFile(file)).toMatchObject({ ok: true, imported: 2 });
  server = await startWebServer({ services, staticDir: path.join(dir, 'none'), port: 0 });
});

afterAll(async () => {
  await server?.close();
  services?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Reply = { id?: number; ok?: boolean; ready?: boolean; result?: any; status?: number; error?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A socket to browser mode with the page's own Origin; collects replies and the close code. */
function connect(origin = `http://127.0.0.1:${server.port}`) {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}${SOCKET_PATH}`, { origin });
  const replies: Reply[] = [];
  const waiters: (() => void)[] = [];
  let closed: { code: number; reason: string } | null = null;
  let refused: number | null = null;
  const wake = () => waiters.splice(0).forEach((w) => w());
  socket.on('message', (data) => {
    replies.push(JSON.parse(data.toString()) as Reply);
    wake();
  });
  socket.on('close', (code, reason) => {
    closed = { code, reason: reason.toString() };
    wake();
  });
  socket.on('unexpected-response', (request, response) => {
    refused = response.statusCode ?? 0;
    wake();
  });
  socket.on('error', () => wake());
  const opened = new Promise<void>((resolve) => socket.once('open', () => resolve()));
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return {
    socket,
    replies,
    opened,
    until,
    closed: () => closed,
    refused: () => refused,
    send: (value: unknown) => socket.send(typeof value === 'string' ? value : JSON.stringify(value)),
  };
}

async function authorized() {
  const c = connect();
  await c.opened;
  c.send({ token: server.token });
  await c.until(() => c.replies.some((r) => r.ready));
  return c;
}

describe('the contract over the browser-mode WebSocket', () => {
  it('answers calls after the token, with the same results and errors as HTTP', async () => {
    const c = await authorized();
    c.send({ id: 1, channel: 'queue.summary', input: {} });
    c.send({ id: 2, channel: 'task.next' });
    c.send({ id: 3, channel: 'queue.list', input: { state: 'nonsense' } });
    c.send({ id: 4, channel: 'no.such', input: {} });
    await c.until(() => c.replies.filter((r) => r.id).length === 4);
    const byId = new Map(c.replies.filter((r) => r.id).map((r) => [r.id, r]));
    expect(byId.get(1)).toMatchObject({ ok: true, result: { pending: 2, total: 2 } });
    expect(byId.get(2)).toMatchObject({ ok: true, result: { task: { id: 's1' } } });
    expect(byId.get(3)).toMatchObject({ ok: false, status: 400, error: { code: 'invalid-input' } });
    expect(byId.get(3)!.error.issues[0].path).toBe('state');
    expect(byId.get(4)).toMatchObject({ ok: false, status: 404, error: { code: 'not-found' } });
    c.socket.close();
  });

  it('a submit over the socket is stored before its reply, which carries the next task', async () => {
    const c = await authorized();
    c.send({ id: 1, channel: 'task.next' });
    await c.until(() => c.replies.some((r) => r.id === 1));
    const bundle = c.replies.find((r) => r.id === 1)!.result;
    c.send({
      id: 2,
      channel: 'label.submit',
      input: {
        taskId: bundle.task.id,
        work: rankingWork(bundle.presentedOrder),
        acknowledgedWarnings: ['rationaleMissing'],
      },
    });
    await c.until(() => c.replies.some((r) => r.id === 2));
    const submitted = c.replies.find((r) => r.id === 2)!;
    expect(submitted).toMatchObject({ ok: true, result: { ok: true, next: { task: { id: 's2' } } } });
    const summary = await services.dispatch('queue.summary', {});
    expect(summary).toMatchObject({ ok: true, result: { submitted: 1 } });
    c.socket.close();
  });

  it('closes on a missing or wrong token before reading any call', async () => {
    const wrong = connect();
    await wrong.opened;
    wrong.send({ token: 'x'.repeat(43) });
    wrong.send({ id: 1, channel: 'queue.summary' });
    await wrong.until(() => wrong.closed() !== null);
    expect(wrong.closed()!.code).toBe(CLOSE_UNAUTHORIZED);
    expect(wrong.replies).toEqual([]);

    const none = connect();
    await none.opened;
    none.send({ id: 1, channel: 'queue.summary' });
    await none.until(() => none.closed() !== null);
    expect(none.closed()!.code).toBe(CLOSE_UNAUTHORIZED);
    expect(none.replies).toEqual([]);
  });

  it('refuses the upgrade from a foreign Origin (another site in the same browser)', async () => {
    const c = connect('http://evil.example');
    await c.until(() => c.refused() !== null || c.closed() !== null);
    expect(c.refused()).toBe(403);
  });

  it('closes on a message that is not a call', async () => {
    const c = await authorized();
    c.send('not json');
    await c.until(() => c.closed() !== null);
    expect(c.closed()!.code).toBe(CLOSE_BAD_MESSAGE);
  });
});
