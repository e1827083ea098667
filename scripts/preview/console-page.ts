import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { VaultRouter, type RouterOptions } from '../../electron/vault/router.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import type { ClipboardPort } from '../../electron/vault/clipboard-guard.ts';
import { CHANGED_EVENT, LOCKED_EVENT, PROGRESS_EVENT } from '../../shared/ipc/channels.ts';

/**
 * The console in a plain Chromium page on the real core (DESIGN.md "Where Electron cannot run"):
 * the built renderer is served by Playwright's request routing from an origin that cannot resolve,
 * every other request is refused, and the router is bound in with `exposeBinding` where the preload
 * would put it. No Electron, no network port.
 */
export const APP_ORIGIN = 'https://custodian.invalid';
export const DIST = new URL('../../out/renderer/', import.meta.url).pathname;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** A clipboard kept in memory, for the preview and the tests: what a copy placed, and when cleared. */
export class MemoryClipboard implements ClipboardPort {
  text = '';
  writeText(text: string): void {
    this.text = text;
  }
  readText(): string {
    return this.text;
  }
  clear(): void {
    this.text = '';
  }
}

export interface ConsoleOptions extends Partial<RouterOptions> {
  readonly dist?: string;
}

export async function openConsole(
  context: BrowserContext,
  page: Page,
  options: ConsoleOptions = {},
): Promise<{ router: VaultRouter; clipboard: MemoryClipboard }> {
  const dist = options.dist ?? DIST;
  const clipboard =
    options.clipboard instanceof MemoryClipboard ? options.clipboard : new MemoryClipboard();
  const router = new VaultRouter({
    // No system dialog here: the window types a path, which still goes through main's handles.
    files: typedPathChooser,
    ...options,
    clipboard,
    onLocked: (why) => {
      options.onLocked?.(why);
      // The renderer asks for the status again and leaves nothing of the vault on screen.
      void page
        .evaluate(`window.dispatchEvent(new Event('${LOCKED_EVENT}'))`)
        .catch(() => undefined);
    },
    onVaultChanged: () => {
      options.onVaultChanged?.();
      // What the preload does with main's change event: a DOM event with no detail.
      void page
        .evaluate(`window.dispatchEvent(new Event('${CHANGED_EVENT}'))`)
        .catch(() => undefined);
    },
    onProgress: (progress) => {
      options.onProgress?.(progress);
      // What the preload does with main's report: a DOM event carrying the three fields.
      void page
        .evaluate(
          ([name, detail]) =>
            (globalThis as unknown as EventTarget).dispatchEvent(new CustomEvent(name, { detail })),
          [PROGRESS_EVENT, progress] as const,
        )
        .catch(() => undefined);
    },
  });
  // Routes run newest first: the app's origin is served, everything else is refused.
  await context.route('**/*', (route) => route.abort('blockedbyclient'));
  await context.route(`${APP_ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dist)) {
      await route.fulfill({ status: 404 });
      return;
    }
    try {
      const body = await readFile(file);
      await route.fulfill({
        status: 200,
        body,
        headers: { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' },
      });
    } catch {
      await route.fulfill({ status: 404 });
    }
  });
  await page.exposeBinding('__custodianInvoke', (_source, channel: unknown, payload: unknown) =>
    router.invoke(channel, payload),
  );
  // What the preload's contextBridge gives Electron's renderer: one frozen `invoke`.
  await page.addInitScript(`
    Object.defineProperty(window, 'custodian', {
      value: Object.freeze({ invoke: (channel, payload) => window.__custodianInvoke(channel, payload) }),
    });
  `);
  await page.goto(`${APP_ORIGIN}/index.html`);
  return { router, clipboard };
}

/** Debian's Chromium, with the switches that keep it off the network and quiet on a server. */
export const CHROMIUM = {
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};
