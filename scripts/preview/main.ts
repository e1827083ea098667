// `npm run preview [VAULT]`: the real console in a Chromium window on the real core, without
// Electron and without a network port. With no vault given, a demo vault is made from resources/.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM, DIST, openConsole } from './console-page.ts';
import { createDemoVault } from './demo-vault.ts';
import { KeptCheckpointFolder, keptCheckpointDir } from '../../electron/vault/kept-checkpoints.ts';

if (!existsSync(join(DIST, 'index.html'))) {
  console.error(
    'The console is not built: run `npm run build:renderer` (npm run preview does this first).',
  );
  process.exit(1);
}
// A window needs a display: say so in one line, before anything is made (issue 15).
const headless = process.env['CI'] === 'true';
if (
  !headless &&
  process.platform === 'linux' &&
  !process.env['DISPLAY'] &&
  !process.env['WAYLAND_DISPLAY']
) {
  console.error(
    'npm run preview opens a Chromium window and this machine has no display: run it under a virtual one with `xvfb-run npm run preview` (Debian: apt install xvfb).',
  );
  process.exit(1);
}
const given = process.argv[2];
let path: string;
/** The demo's own folder, removed when the preview ends however it ends. */
let demoDir: string | undefined;
const removeDemo = () => {
  if (demoDir) rmSync(demoDir, { recursive: true, force: true });
  demoDir = undefined;
};
process.on('exit', removeDemo);
if (given) {
  path = resolve(given);
  console.log(`Vault: ${path}`);
} else {
  demoDir = mkdtempSync(join(tmpdir(), 'custodian-demo-'));
  path = join(demoDir, 'demo.vault');
  const members = await createDemoVault(path);
  console.log(`Demo vault: ${path}`);
  console.log(
    `Unlock as "${members.lead.name}" with "${members.lead.passphrase}" (a made-up demo passphrase).`,
  );
  for (const m of members.members)
    console.log(`  or "${m.name}" (${m.role}) with "${m.passphrase}"`);
}
const browser = await chromium.launch({ ...CHROMIUM, headless }).catch((error: unknown) => {
  // Chromium's own log says why at length; one line here says what to do.
  console.error(
    `Chromium could not open its window (${String(error).split('\n')[0]}). Check that /usr/bin/chromium runs, or use \`xvfb-run npm run preview\` where there is no display.`,
  );
  process.exit(1);
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
// The workstation's own kept checkpoints, as the app and the CLI keep them (ADR 0024).
const { router } = await openConsole(context, page, {
  keptCheckpoints: new KeptCheckpointFolder(keptCheckpointDir(process.env)),
});
await page.getByLabel('Vault file').fill(path);
console.log('The console is open. Close the window (or press Ctrl+C) to quit; the vault locks.');
const quit = async () => {
  router.lock('quit');
  await browser.close().catch(() => undefined);
  removeDemo();
  process.exit(0);
};
page.on('close', () => void quit());
process.on('SIGINT', () => void quit());
