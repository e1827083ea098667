import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE_CHANNEL, IPC_PROGRESS_CHANNEL } from '../../../shared/ipc/channels.ts';
import { tempDir } from '../../helpers/vault.ts';
import { resolveAppFile } from '../../../electron/main/app-protocol.ts';
import { standInContents, type standInElectron } from './stand-in-electron.ts';

type StandIn = ReturnType<typeof standInElectron>;
const stand = vi.hoisted((): { current: StandIn | undefined } => ({ current: undefined }));
vi.mock('electron', async () => {
  const { standInElectron: make } = await import('./stand-in-electron.ts');
  const made = make();
  stand.current = made;
  return made.electron;
});

async function loadMain(options: { singleInstance?: boolean } = {}) {
  vi.resetModules();
  await import('electron');
  const s = stand.current!;
  s.reset(options);
  await import('../../../electron/main/index.ts');
  await new Promise((resolve) => setTimeout(resolve, 0));
  return s;
}

/** A handle from main's dialog, as the window gets one: files.choose through the one IPC handler. */
async function chosenHandle(
  handler: (...args: unknown[]) => unknown,
  event: unknown,
  request: Record<string, unknown>,
): Promise<string> {
  const chosen = (await handler(event, 'files.choose', request)) as {
    ok: boolean;
    value?: { file: { handle: string } | null };
  };
  const handle = chosen.value?.file?.handle;
  if (!handle) throw new Error(`files.choose gave no handle: ${JSON.stringify(chosen)}`);
  return handle;
}

afterEach(() => {
  stand.current?.appHandlers.get('before-quit')?.();
});

describe('Electron main (security checklist)', () => {
  it('opens one window: isolated, sandboxed, no Node, no webviews, devtools off when packaged', async () => {
    const { windows } = await loadMain();
    expect(windows).toHaveLength(1);
    const prefs = windows[0]!.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(String(prefs['preload'])).toMatch(/preload\/index\.cjs$/);
    expect(windows[0]!.url).toBe('custodian://app/index.html');
  });

  it('serves the renderer from its own privileged scheme, not file://', async () => {
    const { electron } = await loadMain();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({
        scheme: 'custodian',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
    expect(electron.protocol.handle).toHaveBeenCalledWith('custodian', expect.any(Function));
    const root = '/app/out/renderer';
    expect(resolveAppFile(root, 'custodian://app/index.html')).toBe('/app/out/renderer/index.html');
    expect(resolveAppFile(root, 'custodian://app/assets/x.js')).toBe(
      '/app/out/renderer/assets/x.js',
    );
    expect(resolveAppFile(root, 'custodian://app/..%2F..%2Fetc/passwd')).toBeUndefined();
  });

  it('refuses every permission and adds the strict CSP to every response', async () => {
    const { session } = await loadMain();
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation']) {
      session.permissionRequest?.({}, permission, (ok) => answers.push(ok));
    }
    expect(answers).toEqual([false, false, false, false]);
    expect(session.permissionCheck?.()).toBe(false);
    expect(session.deviceCheck?.()).toBe(false);
    let headers: Record<string, string[]> = {};
    session.headers?.({ responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    const csp = headers['Content-Security-Policy']?.[0] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).not.toContain('unsafe');
  });

  it('denies navigation away, new windows and webviews; only allowlisted links open outside', async () => {
    const { appHandlers, electron } = await loadMain();
    const c = standInContents();
    appHandlers.get('web-contents-created')?.({}, c.contents);
    expect(c.prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(c.prevented('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(c.prevented('will-navigate', 'custodian://app/index.html')).toBe(false);
    expect(c.prevented('will-redirect', 'https://evil.example/')).toBe(true);
    expect(c.prevented('will-attach-webview')).toBe(true);
    expect(c.open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
    expect(c.open('https://www.ncsc.gov.uk/collection/top-tips-for-staying-secure-online')).toEqual(
      { action: 'deny' },
    );
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it("has one IPC channel, and refuses a sender that is not the app window's top frame", async () => {
    const { ipcHandlers, windows } = await loadMain();
    expect([...ipcHandlers.keys()]).toEqual([IPC_INVOKE_CHANNEL]);
    const handler = ipcHandlers.get(IPC_INVOKE_CHANNEL)!;
    const appFrame = { url: 'custodian://app/index.html', parent: null };
    const sender = windows[0]!.webContents;
    const ok = await handler({ sender, senderFrame: appFrame }, 'vault.status', {});
    expect(ok).toMatchObject({ ok: true, value: { unlocked: false } });
    for (const event of [
      { sender, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender, senderFrame: { url: 'custodian://app/index.html', parent: appFrame } },
      { sender, senderFrame: null },
      { sender: { other: true }, senderFrame: appFrame },
    ]) {
      expect(await handler(event, 'vault.status', {})).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
  });

  it("passes a long task's progress to the window, and a suspend mid-task locks the vault", async () => {
    const { ipcHandlers, windows, powerHandlers, electron } = await loadMain();
    const handler = ipcHandlers.get(IPC_INVOKE_CHANNEL)!;
    const event = {
      sender: windows[0]!.webContents,
      senderFrame: { url: 'custodian://app/index.html', parent: null },
    };
    const { dir, cleanup } = tempDir();
    try {
      const path = `${dir}/team.vault`;
      electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: path });
      const created = await handler(event, 'vault.create', {
        file: await chosenHandle(handler, event, { purpose: 'new-vault' }),
        founderName: 'Lena Lead',
        passphrase: 'a long enough founding passphrase',
      });
      expect(created).toMatchObject({ ok: true });
      expect(await handler(event, 'audit.verify', {})).toMatchObject({ value: { ok: true } });
      const progress = windows[0]!.sent.filter(([channel]) => channel === IPC_PROGRESS_CHANNEL);
      expect(progress.length).toBeGreaterThan(0);
      const last = progress.at(-1)![1] as { task: string; done: number; total: number };
      expect(last).toMatchObject({ task: 'verify' });
      expect(last.done).toBe(last.total);
      powerHandlers.get('suspend')!();
      expect(await handler(event, 'vault.status', {})).toMatchObject({
        value: { unlocked: false },
      });
    } finally {
      cleanup();
    }
  });

  it("shows the system's file chooser over the window; only a handle and the file's name come back, never the path", async () => {
    const { ipcHandlers, windows, electron } = await loadMain();
    const handler = ipcHandlers.get(IPC_INVOKE_CHANNEL)!;
    const event = {
      sender: windows[0]!.webContents,
      senderFrame: { url: 'custodian://app/index.html', parent: null },
    };
    expect(await handler(event, 'vault.status', {})).toMatchObject({
      value: { canChooseFiles: true },
    });
    const chosen = await handler(event, 'files.choose', { purpose: 'open-vault' });
    expect(chosen).toEqual({
      ok: true,
      value: { file: { handle: expect.stringMatching(/^fh-[0-9a-f]{32}$/), name: 'team.vault' } },
    });
    expect(JSON.stringify(chosen)).not.toContain('/chosen');
    const [, openOptions] = electron.dialog.showOpenDialog.mock.calls[0] as unknown as [
      unknown,
      { properties: string[]; filters: { extensions: string[] }[] },
    ];
    expect(openOptions.properties).toEqual(['openFile']);
    expect(openOptions.filters[0]!.extensions).toEqual(['vault']);
    // Cancelled: null, not an error.
    expect(await handler(event, 'files.choose', { purpose: 'export', extension: 'pdf' })).toEqual({
      ok: true,
      value: { file: null },
    });
    // The console asks before replacing an existing export, so the dialog does not ask as well.
    const [, saveOptions] = electron.dialog.showSaveDialog.mock.calls[0] as unknown as [
      unknown,
      { properties: string[] },
    ];
    expect(saveOptions.properties).not.toContain('showOverwriteConfirmation');
    expect(await handler(event, 'files.choose', { purpose: 'anything' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('the window cannot name a path of its own: a typed path, a raw path and a made-up handle are refused', async () => {
    const { ipcHandlers, windows, electron } = await loadMain();
    const handler = ipcHandlers.get(IPC_INVOKE_CHANNEL)!;
    const event = {
      sender: windows[0]!.webContents,
      senderFrame: { url: 'custodian://app/index.html', parent: null },
    };
    const { dir, cleanup } = tempDir();
    try {
      const path = `${dir}/typed.vault`;
      expect(
        await handler(event, 'files.choose', { purpose: 'new-vault', typedPath: path }),
      ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(electron.dialog.showSaveDialog).not.toHaveBeenCalled();
      const request = { founderName: 'Lena Lead', passphrase: 'a long enough founding passphrase' };
      for (const payload of [
        { ...request, path },
        { ...request, file: path },
        { ...request, file: `fh-${'a'.repeat(32)}` },
      ]) {
        expect(await handler(event, 'vault.create', payload)).toMatchObject({
          ok: false,
          error: { code: 'INVALID_INPUT' },
        });
      }
      expect(existsSync(path)).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('an export chosen in the dialog over an existing file is refused until the console says replace; the vault itself never', async () => {
    const { ipcHandlers, windows, electron } = await loadMain();
    const handler = ipcHandlers.get(IPC_INVOKE_CHANNEL)!;
    const event = {
      sender: windows[0]!.webContents,
      senderFrame: { url: 'custodian://app/index.html', parent: null },
    };
    const { dir, cleanup } = tempDir();
    try {
      const path = `${dir}/team.vault`;
      electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: path });
      expect(
        await handler(event, 'vault.create', {
          file: await chosenHandle(handler, event, { purpose: 'new-vault' }),
          founderName: 'Lena Lead',
          passphrase: 'a long enough founding passphrase',
        }),
      ).toMatchObject({ ok: true });
      const out = `${dir}/case.csv`;
      writeFileSync(out, 'kept\n');
      electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: out });
      const file = await chosenHandle(handler, event, { purpose: 'export', extension: 'csv' });
      expect(await handler(event, 'audit.export', { format: 'csv', file })).toMatchObject({
        ok: false,
        error: { code: 'EXISTS' },
      });
      expect(readFileSync(out, 'utf8')).toBe('kept\n');
      expect(
        await handler(event, 'audit.export', { format: 'csv', file, replace: true }),
      ).toMatchObject({ ok: true });
      expect(readFileSync(out, 'utf8')).toMatch(/^Sequence,/);
      electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: path });
      const overVault = await chosenHandle(handler, event, { purpose: 'export', extension: 'csv' });
      expect(
        await handler(event, 'audit.export', { format: 'csv', file: overVault, replace: true }),
      ).toMatchObject({ ok: false, error: { message: expect.stringMatching(/the vault itself/) } });
      expect(await handler(event, 'audit.verify', {})).toMatchObject({ value: { ok: true } });
    } finally {
      cleanup();
    }
  });

  it('locks on suspend and on screen lock; the menu has Lock, Find and the copy shortcuts', async () => {
    const { powerHandlers, electron } = await loadMain();
    expect([...powerHandlers.keys()].sort()).toEqual(['lock-screen', 'suspend']);
    const template = electron.Menu.buildFromTemplate.mock.calls[0]![0] as {
      submenu?: { label?: string; accelerator?: string }[];
    }[];
    const items = template.flatMap((m) => m.submenu ?? []).filter((i) => i.accelerator);
    expect(items.map((i) => `${i.label}=${i.accelerator}`)).toEqual([
      'Lock=CmdOrCtrl+L',
      'Find account=CmdOrCtrl+F',
      'New account=CmdOrCtrl+N',
      'Copy username=CmdOrCtrl+B',
      'Copy password=CmdOrCtrl+Shift+C',
      'Copy TOTP code=CmdOrCtrl+T',
    ]);
  });

  it('a second instance quits at once and opens nothing', async () => {
    const { electron, windows } = await loadMain({ singleInstance: false });
    expect(electron.app.quit).toHaveBeenCalled();
    expect(windows).toHaveLength(0);
  });
});
