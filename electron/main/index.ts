// Electron's main process: owns the vault through the router, the window, the menu, the
// clipboard and the locks. Everything security-relevant is in security.ts, app-protocol.ts and ipc.ts.
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  powerMonitor,
  protocol,
  session,
  shell,
} from 'electron';
import {
  IPC_CHANGED_CHANNEL,
  IPC_LOCKED_CHANNEL,
  IPC_PROGRESS_CHANNEL,
  IPC_MENU_CHANNEL,
} from '../../shared/ipc/contract.ts';
import { VaultRouter, type LockReason } from '../vault/router.ts';
import { KeptCheckpointFolder, keptCheckpointDir } from '../vault/kept-checkpoints.ts';
import { APP_SCHEME_PRIVILEGES, serveApp } from './app-protocol.ts';
import { dialogChooser } from './files.ts';
import { handleInvoke } from './ipc.ts';
import { menuTemplate } from './menu.ts';
import {
  APP_ORIGIN,
  hardenContents,
  hardenSession,
  isAllowedExternal,
  windowOptions,
} from './security.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// One instance: a second launch focuses the first instead of opening the vault twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  let window: BrowserWindow | null = null;

  const router = new VaultRouter({
    clipboard: {
      writeText: (text) => clipboard.writeText(text),
      readText: () => clipboard.readText(),
      clear: () => clipboard.clear(),
    },
    onLocked: () => window?.webContents.send(IPC_LOCKED_CHANNEL),
    onProgress: (progress) => window?.webContents.send(IPC_PROGRESS_CHANNEL, progress),
    // Another workstation committed (ADR 0033): the window asks vault.refresh, which checks first.
    onVaultChanged: () => window?.webContents.send(IPC_CHANGED_CHANNEL),
    files: dialogChooser(dialog, () => window),
    // The same per-user folder as the CLI's (ADR 0024), not Electron's userData.
    keptCheckpoints: new KeptCheckpointFolder(keptCheckpointDir(process.env)),
  });
  const lock = (why: LockReason) => router.lock(why);

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenContents(contents, (url) => {
      if (isAllowedExternal(url)) void shell.openExternal(url);
    });
  });

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    serveApp(protocol, here('../renderer/'));
    handleInvoke(ipcMain, router, (event) => event.sender === window?.webContents);
    powerMonitor.on('suspend', () => lock('suspend'));
    powerMonitor.on('lock-screen', () => lock('screen-locked'));
    window = new BrowserWindow(windowOptions(here('../preload/index.cjs'), app.isPackaged));
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate((command) => window?.webContents.send(IPC_MENU_CHANNEL, command), lock),
      ),
    );
    window.once('ready-to-show', () => window?.show());
    window.on('closed', () => {
      window = null;
    });
    void window.loadURL(`${APP_ORIGIN}/index.html`);
  });

  app.on('before-quit', () => lock('quit'));
  app.on('window-all-closed', () => {
    lock('quit');
    app.quit();
  });
}
