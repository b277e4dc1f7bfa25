import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/host/csp';
import {
  handleAppProtocol,
  registerAppScheme,
  resolveAppUrl,
  serveAppRequest,
} from '../../../electron/main/protocol';

const dir = mkdtempSync(path.join(os.tmpdir(), 'rw-protocol-'));
const rendererDir = path.join(dir, 'renderer');
mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>ok</title>');
writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(path.join(dir, 'secret.txt'), 'outside the bundle');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('registers app as a privileged standard, secure scheme with a V8 code cache', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn() };
    registerAppScheme(protocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true, codeCache: true }),
      }),
    ]);
  });

  it('maps URLs to files inside the renderer folder only', () => {
    expect(resolveAppUrl(rendererDir, 'app://renderer/index.html')).toBe(
      path.join(rendererDir, 'index.html'),
    );
    expect(resolveAppUrl(rendererDir, 'app://renderer/')).toBe(path.join(rendererDir, 'index.html'));
    expect(resolveAppUrl(rendererDir, 'app://renderer/assets/app.js')).toBe(
      path.join(rendererDir, 'assets/app.js'),
    );
    expect(resolveAppUrl(rendererDir, 'app://renderer/..%2Fsecret.txt')).toBeNull();
    // the URL parser folds %2e%2e into the root: it stays inside the bundle
    expect(resolveAppUrl(rendererDir, 'app://renderer/%2e%2e/secret.txt')).toBe(
      path.join(rendererDir, 'secret.txt'),
    );
    expect(resolveAppUrl(rendererDir, 'app://renderer/..%5Csecret.txt')).not.toBe(
      path.join(dir, 'secret.txt'),
    );
    expect(resolveAppUrl(rendererDir, 'app://other/index.html')).toBeNull();
    expect(resolveAppUrl(rendererDir, 'file:///etc/passwd')).toBeNull();
    expect(resolveAppUrl(rendererDir, 'app://renderer/%E0%A4%A')).toBeNull();
  });

  it('serves files with the CSP, nosniff and a real content type', async () => {
    const protocol = { handle: vi.fn() };
    handleAppProtocol(protocol, rendererDir);
    const handler = protocol.handle.mock.calls[0]![1] as (r: Request) => Promise<Response>;
    const page = await handler(new Request('app://renderer/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>ok</title>');
    const script = await handler(new Request('app://renderer/assets/app.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404 for missing or outside files and 405 for writes', async () => {
    expect((await serveAppRequest(rendererDir, new Request('app://renderer/nope.js'))).status).toBe(404);
    expect((await serveAppRequest(rendererDir, new Request('app://renderer/..%2Fsecret.txt'))).status).toBe(
      404,
    );
    const post = new Request('app://renderer/index.html', { method: 'POST', body: 'x' });
    expect((await serveAppRequest(rendererDir, post)).status).toBe(405);
  });
});
