import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { APP_START_URL } from './protocol';

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
    },
  };
}

export type BrowserWindowConstructor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/** Creates the one workstation window and loads the bundled renderer; shown once painted. */
export function createMainWindow(Ctor: BrowserWindowConstructor, preloadPath: string): BrowserWindow {
  const win = new Ctor(mainWindowOptions(preloadPath));
  win.once('ready-to-show', () => win.show());
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
