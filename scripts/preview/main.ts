// `npm run preview [VAULT]`: the real console in a Chromium window on the real core, without
// Electron and without a network port. With no vault given, a demo vault is made from resources/.
import { existsSync, mkdtempSync } from 'node:fs';
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
const given = process.argv[2];
let path: string;
if (given) {
  path = resolve(given);
  console.log(`Vault: ${path}`);
} else {
  path = join(mkdtempSync(join(tmpdir(), 'custodian-demo-')), 'demo.vault');
  const members = await createDemoVault(path);
  console.log(`Demo vault: ${path}`);
  console.log(
    `Unlock as "${members.lead.name}" with "${members.lead.passphrase}" (a made-up demo passphrase).`,
  );
  for (const m of members.members)
    console.log(`  or "${m.name}" (${m.role}) with "${m.passphrase}"`);
}
const browser = await chromium.launch({ ...CHROMIUM, headless: process.env['CI'] === 'true' });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
// The workstation's own kept checkpoints, as the app and the CLI keep them (ADR 0022).
const { router } = await openConsole(context, page, {
  keptCheckpoints: new KeptCheckpointFolder(keptCheckpointDir(process.env)),
});
await page.getByLabel('Vault file').fill(path);
console.log('The console is open. Close the window (or press Ctrl+C) to quit; the vault locks.');
const quit = async () => {
  router.lock('quit');
  await browser.close().catch(() => undefined);
  process.exit(0);
};
page.on('close', () => void quit());
process.on('SIGINT', () => void quit());
