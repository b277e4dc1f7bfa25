import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { FIRST_SCREEN_IPC_CHANNEL } from '../../shared/contract-client';
import { APP_START_URL } from './protocol';
/**
 * A renderer that never says so (a crash before its first screen) still gets a window this long
 * after its first paint, with whatever it shows.
 */
export const SHOW_ANYWAY_MS = 3000;

/** The renderer gets no Node, no Electron, no remote content: only the preload's one bridge. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1366,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    title: 'RLHF Reviewer Workstation',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
      // V8 code cache for the bundle from the first run on (app:// has the codeCache privilege,
      // protocol.ts): Chromium's default caches a script only once it has run a few times
      v8CacheOptions: 'bypassHeatCheck',
    },
  };
}

export type BrowserWindowConstructor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/**
 * Creates the one workstation window and loads the bundled renderer. It shows when the renderer
 * reports its first screen (queue, task, sign-in) painted, not at the first paint of the
 * "Opening…" placeholder; or SHOW_ANYWAY_MS after that first paint if no report comes.
 */
export function createMainWindow(Ctor: BrowserWindowConstructor, preloadPath: string): BrowserWindow {
  const win = new Ctor(mainWindowOptions(preloadPath));
  let shown = false;
  let fallback: ReturnType<typeof setTimeout> | null = null;
  const show = () => {
    if (fallback) clearTimeout(fallback);
    if (shown || win.isDestroyed()) return;
    shown = true;
    win.show();
  };
  const onMessage = (_event: unknown, channel: string) => {
    if (channel !== FIRST_SCREEN_IPC_CHANNEL) return;
    win.webContents.off('ipc-message', onMessage);
    show();
  };
  // this window's own renderer only: a message on its webContents, not a global ipcMain handler
  win.webContents.on('ipc-message', onMessage);
  win.once('ready-to-show', () => {
    if (!shown) fallback = setTimeout(show, SHOW_ANYWAY_MS);
  });
  void win.loadURL(APP_START_URL);
  return win;
}

/** Second launch: bring the running window forward instead of opening a second queue. */
export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
