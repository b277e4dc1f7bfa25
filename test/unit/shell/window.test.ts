import { describe, expect, it } from 'vitest';
import { menuTemplate } from '../../../electron/main/menu';
import { APP_START_URL } from '../../../electron/main/protocol';
import { createMainWindow, focusWindow, mainWindowOptions } from '../../../electron/main/window';
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

  it('loads the bundled renderer over app:// and shows itself once painted', () => {
    const win = createMainWindow(FakeBrowserWindow as never, '/p.cjs') as unknown as FakeBrowserWindow;
    expect(win.loadURL).toHaveBeenCalledWith(APP_START_URL);
    expect(APP_START_URL).toBe('app://renderer/index.html');
    expect(win.options.show).toBe(false);
    expect(win.show).not.toHaveBeenCalled();
    win.emit('ready-to-show');
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
