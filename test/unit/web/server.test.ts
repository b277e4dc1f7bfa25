import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/host/csp';
import { type Services, openServices } from '../../../electron/services/index';
import { type WebServer, startWebServer } from '../../../electron/web/server';
import { callApi, request } from './http';

const repo = path.resolve(import.meta.dirname, '../../..');
let dir: string;
let services: Services;
let server: WebServer;
let auth: Record<string, string>;

const rankingTask = {
  id: 'web-test-1',
  kind: 'ranking',
  prompt: 'Which answer is best?',
  responses: [
    { id: 'a', text: 'First answer' },
    { id: 'b', text: 'Second answer' },
    { id: 'c', text: 'Third answer' },
  ],
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rw-web-'));
  const staticDir = path.join(dir, 'static');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>workstation</title>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'export {};');
  writeFileSync(path.join(dir, 'secret.txt'), 'outside');
  services = openServices({
    dataDir: path.join(dir, 'data'),
    resourcesDir: path.join(repo, 'resources'),
    host: 'browser',
    appVersion: '0.1.0-test',
  });
  const file = path.join(dir, 'tasks.jsonl');
  writeFileSync(file, JSON.stringify(rankingTask) + '\n');
  expect(await services.importFile(file)).toMatchObject({ ok: true, imported: 1 });
  server = await startWebServer({ services, staticDir, port: 0 });
  auth = { Authorization: `Bearer ${server.token}` };
});

afterAll(async () => {
  await server?.close();
  services?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser-mode server', () => {
  it('listens on 127.0.0.1 with a 32-byte base64url token in the ready URL', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token).toMatch(/^[\w-]{43}$/);
    const address = server.fastify.server.address();
    expect(address).toMatchObject({ address: '127.0.0.1' });
  });

  it('answers 401 without a token or with a wrong one', async () => {
    const none = await callApi(server.port, 'queue.summary', {});
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const wrong = await callApi(
      server.port,
      'queue.summary',
      {},
      { Authorization: `Bearer ${'x'.repeat(43)}` },
    );
    expect(wrong.status).toBe(401);
    const prefix = await callApi(
      server.port,
      'queue.summary',
      {},
      { Authorization: `Bearer ${server.token}x` },
    );
    expect(prefix.status).toBe(401);
    const scheme = await callApi(server.port, 'queue.summary', {}, { Authorization: server.token });
    expect(scheme.status).toBe(401);
  });

  it('answers 403 to a foreign Origin or Host (cross-site page, DNS rebinding), token or not', async () => {
    const origin = await callApi(
      server.port,
      'queue.summary',
      {},
      { ...auth, Origin: 'https://evil.example' },
    );
    expect(origin.status).toBe(403);
    const otherPort = await callApi(
      server.port,
      'queue.summary',
      {},
      { ...auth, Origin: 'http://127.0.0.1:1' },
    );
    expect(otherPort.status).toBe(403);
    const rebound = await callApi(
      server.port,
      'queue.summary',
      {},
      { ...auth, Host: `evil.example:${server.port}` },
    );
    expect(rebound.status).toBe(403);
    const page = await request(server.port, { path: '/', headers: { Host: `evil.example:${server.port}` } });
    expect(page.status).toBe(403);
    const own = await callApi(
      server.port,
      'queue.summary',
      {},
      { ...auth, Origin: `http://127.0.0.1:${server.port}` },
    );
    expect(own.status).toBe(200);
    const local = await callApi(
      server.port,
      'queue.summary',
      {},
      { ...auth, Host: `localhost:${server.port}` },
    );
    expect(local.status).toBe(200);
  });

  it('answers 400 with field paths for invalid input', async () => {
    const reply = await callApi(server.port, 'queue.list', { state: 'bogus', limit: 0, extra: 1 }, auth);
    expect(reply.status).toBe(400);
    const body = reply.json() as { ok: boolean; error: { code: string; issues: { path: string }[] } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('invalid-input');
    expect(body.error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['state', 'limit']));
  });

  it('accepts JSON only, and names unknown channels', async () => {
    const text = await request(server.port, {
      method: 'POST',
      path: '/api/queue.summary',
      headers: { ...auth, 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(text.status).toBe(415);
    const form = await request(server.port, {
      method: 'POST',
      path: '/api/queue.summary',
      headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    const broken = await request(server.port, {
      method: 'POST',
      path: '/api/queue.summary',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: '{oops',
    });
    expect(broken.status).toBe(400);
    expect(broken.json()).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const unknown = await callApi(server.port, 'nope.nothing', {}, auth);
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('carries a real contract round trip: task.next, draft.save, queue.summary', async () => {
    const next = await callApi(server.port, 'task.next', {}, auth);
    expect(next.status).toBe(200);
    expect(next.headers['cache-control']).toBe('no-store');
    const bundle = (next.json() as { ok: true; result: { task: { id: string }; presentedOrder: string[] } })
      .result;
    expect(bundle.task.id).toBe('web-test-1');
    expect([...bundle.presentedOrder].sort()).toEqual(['a', 'b', 'c']);

    const saved = await callApi(
      server.port,
      'draft.save',
      { taskId: 'web-test-1', work: { ranks: { a: 1 } } },
      auth,
    );
    expect(saved.status).toBe(200);
    const summary = await callApi(server.port, 'queue.summary', {}, auth);
    expect(summary.json()).toMatchObject({
      ok: true,
      result: { total: 1, drafts: 1, currentTaskId: 'web-test-1' },
    });
  });

  it('serves the UI with the CSP and the other security headers', async () => {
    const index = await request(server.port, { path: '/' });
    expect(index.status).toBe(200);
    expect(index.text).toContain('<title>workstation</title>');
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    expect(index.headers['cross-origin-opener-policy']).toBe('same-origin');
    const script = await request(server.port, { path: '/assets/app.js' });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('serves nothing outside the static folder', async () => {
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/../../secret.txt',
    ]) {
      const reply = await request(server.port, { path: p });
      expect(reply.text).not.toContain('outside');
      expect([403, 404]).toContain(reply.status);
    }
  });
});

describe('browser-mode server without a built UI', () => {
  it('still starts and says how to build the UI', async () => {
    const fake = { dispatch: async () => ({ ok: true as const, result: null }) };
    const bare = await startWebServer({
      services: fake,
      staticDir: path.join(os.tmpdir(), 'rw-no-such-dir'),
    });
    try {
      const page = await request(bare.port, { path: '/' });
      expect(page.status).toBe(503);
      expect(page.text).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});
