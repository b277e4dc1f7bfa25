import { afterEach, describe, expect, it, vi } from 'vitest';
import { FIRST_SCREEN_IPC_CHANNEL } from '../../../shared/contract-client';
import { menuTemplate } from '../../../electron/main/menu';
import { APP_START_URL } from '../../../electron/main/protocol';
import {
  SHOW_ANYWAY_MS,
  createMainWindow,
  focusWindow,
  mainWindowOptions,
} from '../../../electron/main/window';
import { FakeBrowserWindow } from './fake-electron';

describe('main window', () => {
  it('isolates the renderer: context isolation, sandbox, no node, web security on', () => {
    const prefs = mainWindowOptions('/app/dist/preload/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: true,
    });
  });

  it('keeps a V8 code cache of the bundle from the first run (no warm-up heuristics)', () => {
    expect(mainWindowOptions('/p.cjs').webPreferences!.v8CacheOptions).toBe('bypassHeatCheck');
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('loads the bundled renderer over app:// and shows itself when the first screen is painted', () => {
    vi.useFakeTimers();
    const win = createMainWindow(FakeBrowserWindow as never, '/p.cjs') as unknown as FakeBrowserWindow;
    expect(win.loadURL).toHaveBeenCalledWith(APP_START_URL);
    expect(APP_START_URL).toBe('app://renderer/index.html');
    expect(win.options.show).toBe(false);
    // the "Opening…" placeholder painted: not yet
    win.emit('ready-to-show');
    win.webContents.emit('ipc-message', {}, 'some-other-message');
    expect(win.show).not.toHaveBeenCalled();
    win.webContents.emit('ipc-message', {}, FIRST_SCREEN_IPC_CHANNEL);
    expect(win.show).toHaveBeenCalledOnce();
    // later reports and the fallback timer show nothing again
    win.webContents.emit('ipc-message', {}, FIRST_SCREEN_IPC_CHANNEL);
    vi.advanceTimersByTime(SHOW_ANYWAY_MS * 2);
    expect(win.show).toHaveBeenCalledOnce();
  });

  it('shows the window anyway a while after its first paint when the renderer never reports', () => {
    vi.useFakeTimers();
    const win = createMainWindow(FakeBrowserWindow as never, '/p.cjs') as unknown as FakeBrowserWindow;
    vi.advanceTimersByTime(SHOW_ANYWAY_MS * 2);
    expect(win.show).not.toHaveBeenCalled(); // nothing painted yet
    win.emit('ready-to-show');
    vi.advanceTimersByTime(SHOW_ANYWAY_MS - 1);
    expect(win.show).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(win.show).toHaveBeenCalledOnce();
  });

  it('focusWindow restores a minimized window and ignores a destroyed one', () => {
    const win = new FakeBrowserWindow({});
    win.minimized = true;
    focusWindow(win as never);
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
    const gone = new FakeBrowserWindow({});
    gone.destroyed = true;
    focusWindow(gone as never);
    expect(gone.focus).not.toHaveBeenCalled();
    expect(() => focusWindow(null)).not.toThrow();
  });
});

describe('menu', () => {
  const roles = (template: ReturnType<typeof menuTemplate>): string[] =>
    template.flatMap((item) => [
      ...(item.role ? [String(item.role)] : []),
      ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
    ]);

  it('has no reload or devtools in a packaged app', () => {
    expect(roles(menuTemplate('win32', true))).not.toContain('toggleDevTools');
    expect(roles(menuTemplate('win32', true))).not.toContain('reload');
    expect(roles(menuTemplate('linux', false))).toContain('toggleDevTools');
  });

  it('keeps the edit roles (copy/paste in rationale fields) and the macOS app menu', () => {
    expect(roles(menuTemplate('linux', true))).toContain('editMenu');
    expect(roles(menuTemplate('darwin', true))[0]).toBe('appMenu');
  });
});
