import { vi } from 'vitest';

/**
 * A stand-in for the `electron` module: records what the shell asks of it, so tests can check
 * the window options, handlers and channels without an Electron runtime (DESIGN.md).
 */
export function standInElectron() {
  const options = { singleInstance: true };
  const appHandlers = new Map<string, (...args: unknown[]) => void>();
  const ipcHandlers = new Map<string, (...args: unknown[]) => unknown>();
  const powerHandlers = new Map<string, () => void>();
  const windows: {
    options: Record<string, unknown>;
    url?: string;
    sent: unknown[][];
    webContents: unknown;
  }[] = [];
  const session = {
    permissionRequest: undefined as
      undefined | ((c: unknown, p: string, cb: (ok: boolean) => void) => void),
    permissionCheck: undefined as undefined | (() => boolean),
    deviceCheck: undefined as undefined | (() => boolean),
    headers: undefined as
      | undefined
      | ((
          d: { responseHeaders: Record<string, string[]> },
          cb: (r: { responseHeaders: Record<string, string[]> }) => void,
        ) => void),
  };
  const electron = {
    app: {
      isPackaged: true,
      requestSingleInstanceLock: vi.fn(() => options.singleInstance),
      quit: vi.fn(),
      whenReady: () => Promise.resolve(),
      on: (event: string, handler: (...args: unknown[]) => void) => appHandlers.set(event, handler),
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: vi.fn(),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof session.permissionRequest) =>
          (session.permissionRequest = h),
        setPermissionCheckHandler: (h: typeof session.permissionCheck) =>
          (session.permissionCheck = h),
        setDevicePermissionHandler: (h: typeof session.deviceCheck) => (session.deviceCheck = h),
        webRequest: { onHeadersReceived: (h: typeof session.headers) => (session.headers = h) },
      },
    },
    ipcMain: {
      handle: (channel: string, handler: (...args: unknown[]) => unknown) =>
        ipcHandlers.set(channel, handler),
    },
    powerMonitor: { on: (event: string, handler: () => void) => powerHandlers.set(event, handler) },
    clipboard: { writeText: vi.fn(), readText: vi.fn(() => ''), clear: vi.fn() },
    dialog: {
      showOpenDialog: vi.fn(() =>
        Promise.resolve({ canceled: false, filePaths: ['/chosen/team.vault'] }),
      ),
      showSaveDialog: vi.fn(() => Promise.resolve({ canceled: true, filePath: '' })),
    },
    shell: { openExternal: vi.fn(() => Promise.resolve()) },
    Menu: {
      buildFromTemplate: vi.fn((t: unknown) => ({ template: t })),
      setApplicationMenu: vi.fn(),
    },
    BrowserWindow: class {
      readonly record: (typeof windows)[number];
      readonly webContents: { send: (...args: unknown[]) => void };
      constructor(opts: Record<string, unknown>) {
        this.webContents = { send: (...args: unknown[]) => this.record.sent.push(args) };
        this.record = { options: opts, sent: [], webContents: this.webContents };
        windows.push(this.record);
      }
      loadURL(url: string) {
        this.record.url = url;
        return Promise.resolve();
      }
      once() {}
      on() {}
      show() {}
      isMinimized() {
        return false;
      }
      restore() {}
      focus() {}
    },
  };
  /** Forget everything recorded, for the next load of the main module (the mock itself is cached). */
  function reset(next: { singleInstance?: boolean } = {}) {
    options.singleInstance = next.singleInstance ?? true;
    appHandlers.clear();
    ipcHandlers.clear();
    powerHandlers.clear();
    windows.length = 0;
    session.permissionRequest = undefined;
    session.permissionCheck = undefined;
    session.deviceCheck = undefined;
    session.headers = undefined;
    vi.clearAllMocks();
  }
  return { electron, appHandlers, ipcHandlers, powerHandlers, windows, session, reset };
}

/** A stand-in WebContents: records its event handlers and window-open handler. */
export function standInContents() {
  const handlers = new Map<string, (event: { preventDefault: () => void }, url?: string) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  return {
    contents: {
      on: (event: string, handler: (event: { preventDefault: () => void }, url?: string) => void) =>
        handlers.set(event, handler),
      setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => (openHandler = h),
    },
    /** True if the handler for `event` prevented it. */
    prevented(event: string, url?: string): boolean {
      let prevented = false;
      handlers.get(event)?.({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    },
    open(url: string) {
      return openHandler?.({ url });
    },
  };
}
