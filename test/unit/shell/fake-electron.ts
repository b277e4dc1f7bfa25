// A fake of the few Electron objects the shell touches: enough to drive startApp and the
// security helpers in plain Node and inspect every setting they make.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import type { ElectronDeps } from '../../../electron/main/app';

export interface FakeFrame {
  processId: number;
  routingId: number;
  url: string;
  parent: FakeFrame | null;
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  mainFrame: FakeFrame = { processId: 7, routingId: 1, url: 'app://renderer/index.html', parent: null };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(async (_url: string) => undefined);
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  minimized = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  isMinimized() {
    return this.minimized;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

type Listener<T extends unknown[]> = (...args: T) => void;

export class FakeSession {
  headersListener: Listener<[{ responseHeaders?: Record<string, string[]> }, (r: unknown) => void]> | null =
    null;
  beforeRequestListener: Listener<
    [{ url: string; webContentsId?: number }, (r: { cancel?: boolean }) => void]
  > | null = null;
  permissionRequestHandler: Listener<[unknown, string, (granted: boolean) => void]> | null = null;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | null = null;
  devicePermissionHandler: ((...args: unknown[]) => boolean) | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: FakeSession['headersListener']) => {
      this.headersListener = listener;
    },
    onBeforeRequest: (listener: FakeSession['beforeRequestListener']) => {
      this.beforeRequestListener = listener;
    },
  };
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']) {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: FakeSession['devicePermissionHandler']) {
    this.devicePermissionHandler = handler;
  }
}

export class FakeApp extends EventEmitter {
  readonly quit = vi.fn();
  readonly enableSandbox = vi.fn();
  constructor(
    readonly userData: string,
    private readonly gotLock = true,
    readonly isPackaged = false,
  ) {
    super();
  }
  requestSingleInstanceLock() {
    return this.gotLock;
  }
  whenReady() {
    return Promise.resolve();
  }
  getPath(name: string) {
    if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
    return this.userData;
  }
  getVersion() {
    return '0.1.0-test';
  }
}

export function fakeElectron(options: { userData: string; gotLock?: boolean; packaged?: boolean }) {
  FakeBrowserWindow.created = [];
  const app = new FakeApp(options.userData, options.gotLock ?? true, options.packaged ?? false);
  const session = new FakeSession();
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const fakes = {
    app,
    session,
    BrowserWindow: FakeBrowserWindow,
    ipcHandlers,
    protocolHandlers,
    ipcMain: {
      handle: vi.fn((channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => {
        ipcHandlers.set(channel, handler);
      }),
    },
    dialog: { showErrorBox: vi.fn() },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: vi.fn((scheme: string, handler: (request: Request) => Promise<Response>) => {
        protocolHandlers.set(scheme, handler);
      }),
    },
    Menu: { buildFromTemplate: vi.fn((template: unknown[]) => ({ template })), setApplicationMenu: vi.fn() },
  };
  const deps = { ...fakes, session: { defaultSession: session } } as unknown as ElectronDeps;
  return { ...fakes, deps };
}
