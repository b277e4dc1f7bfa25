import type { App, Event, Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../host/csp';

export { CONTENT_SECURITY_POLICY };

/** Schemes that would reach the network or the disk outside the app bundle; CSP blocks them too. */
const BLOCKED_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);

export function isBlockedRequestUrl(url: string): boolean {
  try {
    return BLOCKED_SCHEMES.has(new URL(url).protocol);
  } catch {
    return true;
  }
}

type HardenableSession = Pick<
  Session,
  'webRequest' | 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/** Session-wide policy: CSP on every response, every permission denied, no network or file loads. */
export function hardenSession(session: HardenableSession): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
  // Page-initiated loads only: the browser process itself may still fetch spellcheck dictionaries.
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: details.webContentsId !== undefined && isBlockedRequestUrl(details.url) });
  });
  // Camera, microphone, notifications, clipboard-read, geolocation...: a labeling tool needs none.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

type GuardableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Every WebContents stays on the page it was given: model output may contain links,
 * and they must stay inert (no navigation, no new windows, not even in the system browser).
 */
export function guardWebContents(contents: GuardableContents): void {
  const prevent = (event: Event) => event.preventDefault();
  contents.on('will-navigate', prevent);
  contents.on('will-frame-navigate', prevent);
  contents.on('will-redirect', prevent);
  contents.on('will-attach-webview', prevent);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Applies guardWebContents to every WebContents the app ever creates, the main window's included. */
export function installContentsGuards(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
}
