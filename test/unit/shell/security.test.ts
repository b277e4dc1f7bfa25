import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  guardWebContents,
  hardenSession,
  installContentsGuards,
} from '../../../electron/main/security';
import { FakeApp, FakeSession, FakeWebContents } from './fake-electron';

const directives = new Map(
  CONTENT_SECURITY_POLICY.split(';').map((d) => {
    const [name = '', ...values] = d.trim().split(/\s+/);
    return [name, values] as const;
  }),
);

describe('content security policy', () => {
  it('allows scripts from the bundle only: no eval, no inline script', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(directives.get('default-src')).toEqual(["'none'"]);
  });

  it('blocks remote loads, plugins, framing, forms and <base> hijacking', () => {
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:']);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    for (const values of directives.values()) {
      expect(values.some((v) => v.startsWith('http') || v === '*')).toBe(false);
    }
  });
  it('matches the <meta> policy in renderer/index.html (frame-ancestors only works as a header)', () => {
    const html = readFileSync(path.resolve(import.meta.dirname, '../../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    const headerOnly = CONTENT_SECURITY_POLICY.replace(/\s*frame-ancestors [^;]+;/, '');
    expect(meta).toBe(headerOnly);
  });
});

describe('hardenSession', () => {
  const session = new FakeSession();
  hardenSession(session as never);

  it('adds the CSP header to every response, keeping the others', () => {
    const callback = vi.fn();
    session.headersListener!({ responseHeaders: { 'Content-Type': ['text/html'] } }, callback);
    const { responseHeaders } = callback.mock.calls[0]![0] as { responseHeaders: Record<string, string[]> };
    expect(responseHeaders['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(responseHeaders['X-Content-Type-Options']).toEqual(['nosniff']);
    expect(responseHeaders['Content-Type']).toEqual(['text/html']);
  });

  it('denies every permission request and check', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      session.permissionRequestHandler!({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(session.permissionCheckHandler!({}, 'media', 'app://renderer', {})).toBe(false);
    expect(session.devicePermissionHandler!({ deviceType: 'usb' })).toBe(false);
  });

  it('cancels network and file loads from pages, lets app:// through', () => {
    const decide = (url: string, webContentsId: number | undefined = 1) => {
      const callback = vi.fn();
      session.beforeRequestListener!({ url, webContentsId }, callback);
      return (callback.mock.calls[0]![0] as { cancel: boolean }).cancel;
    };
    expect(decide('https://example.com/track.png')).toBe(true);
    expect(decide('http://127.0.0.1:8080/')).toBe(true);
    expect(decide('wss://example.com/socket')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
    expect(decide('app://renderer/assets/index.js')).toBe(false);
    expect(decide('devtools://devtools/bundled/inspector.html')).toBe(false);
  });
});

describe('guardWebContents', () => {
  const contents = new FakeWebContents();
  guardWebContents(contents as never);

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview'])(
    'prevents %s',
    (eventName) => {
      const event = { preventDefault: vi.fn() };
      contents.emit(eventName, event, 'https://example.com/phish');
      expect(event.preventDefault).toHaveBeenCalled();
    },
  );

  it('denies window.open for every URL, the http(s) links in model output included', () => {
    for (const url of [
      'https://example.com',
      'http://x.test',
      'javascript:alert(1)',
      'app://renderer/index.html',
    ]) {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
  });

  it('is applied to every WebContents the app creates', () => {
    const app = new FakeApp('/nowhere');
    installContentsGuards(app as never);
    const created = new FakeWebContents();
    app.emit('web-contents-created', {}, created);
    const event = { preventDefault: vi.fn() };
    created.emit('will-navigate', event, 'https://example.com');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(created.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });
});
