import { test as base, expect, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { openConsole, type MemoryClipboard } from '../../scripts/preview/console-page.ts';
import type { FileChooser, FilePurpose, VaultRouter } from '../../electron/vault/router.ts';
import { ManualTimers } from '../helpers/timers.ts';
import { MINIMUM_KDF } from '../../electron/vault/crypto/kdf.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';
import { unlockVault } from '../../electron/vault/vault.ts';
import { KeptCheckpointFolder } from '../../electron/vault/kept-checkpoints.ts';

export { expect };

export const SCREENSHOTS = new URL('./__screenshots__/', import.meta.url).pathname;

/**
 * The host's file chooser, scripted. As `typed` (the default, like the preview) the window types
 * a path; as `dialog` it is Electron's dialog: answers in turn (null is a cancel). Either way it
 * records what was asked.
 */
export class ScriptedChooser implements FileChooser {
  kind: 'dialog' | 'typed' = 'typed';
  readonly answers: (string | null)[] = [];
  readonly asked: { purpose: FilePurpose; extension: string | undefined }[] = [];
  choose(purpose: FilePurpose, extension?: string, typedPath?: string): Promise<string | null> {
    this.asked.push({ purpose, extension });
    if (this.kind === 'typed') return Promise.resolve(typedPath ?? null);
    return Promise.resolve(this.answers.shift() ?? null);
  }
}

interface Fixtures {
  /** A vault with a member of each role and two accounts (tests/helpers/vault.ts). */
  vault: { path: string; dir: string; accounts: string[] };
  timers: ManualTimers;
  chooser: ScriptedChooser;
  console: { page: Page; router: VaultRouter; clipboard: MemoryClipboard };
  /** This test's workstation: its own folder of kept checkpoints (ADR 0024). */
  kept: KeptCheckpointFolder;
}

export const test = base.extend<Fixtures>({
  vault: async ({ kept }, use) => {
    const { dir, cleanup } = tempDir();
    const path = `${dir}/team.vault`;
    const { accounts } = await populatedVault(path);
    // Made on this workstation, as by `custodian init` here: its checkpoint is kept, no first use.
    (
      await unlockVault(path, {
        memberName: 'Lena Lead',
        passphrase: PASSPHRASES.lead,
        keptCheckpoints: kept,
      })
    ).close();
    await use({ path, dir, accounts });
    cleanup();
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as the first argument
  kept: async ({}, use) => {
    const { dir, cleanup } = tempDir();
    await use(new KeptCheckpointFolder(`${dir}/checkpoints`));
    cleanup();
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  timers: async ({}, use) => {
    await use(new ManualTimers());
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  chooser: async ({}, use) => {
    await use(new ScriptedChooser());
  },
  console: async ({ context, page, timers, chooser, kept }, use) => {
    const { router, clipboard } = await openConsole(context, page, {
      createKdf: MINIMUM_KDF,
      timers,
      files: chooser,
      keptCheckpoints: kept,
    });
    await use({ page, router, clipboard });
    router.lock('quit');
  },
});

/** Fill the unlock form and wait for the console. */
export async function unlock(page: Page, path: string, name: string, passphrase: string) {
  await page.getByLabel('Vault file').fill(path);
  await page.getByLabel('Your member name').fill(name);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
}

/**
 * axe-core over the whole page: no violation of any impact, minor included (issue 15: 0 on every
 * screen and every role). The name is kept for the suites that call it.
 */
export async function expectAccessible(page: Page) {
  await expectNoAxeViolations(page);
}

/** axe-core over the whole page with no violation of any impact, minor included (issue 15). */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(
    results.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: false });
}

/** Call a channel straight from the page, as a compromised renderer could. */
export function invokeFromPage(
  page: Page,
  channel: string,
  payload: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  return page.evaluate(
    ([c, p]) =>
      (
        globalThis as unknown as {
          custodian: { invoke: (c: unknown, p: unknown) => Promise<{ ok: boolean }> };
        }
      ).custodian.invoke(c, p),
    [channel, payload] as const,
  );
}

/**
 * Reflow (WCAG 2.2 1.4.10): the elements that reach past the window's right edge, as
 * "tag.class", and whether the page itself scrolls sideways; an empty list is a pass. Run as a
 * string in the page, where the DOM's types live.
 */
export async function reachingPastTheRightEdge(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const edge = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > edge + 1)
      .map((el) => el.tagName.toLowerCase() + '.' + el.className);
    if (document.documentElement.scrollWidth > edge) wide.push('the page scrolls sideways');
    return wide;
  })()`);
}
