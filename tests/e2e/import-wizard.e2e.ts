import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openVaultFile } from '../../electron/vault/store/connection.ts';
import {
  encryptBitwardenExport,
  keepassxcAvailable,
  makeKeePassFiles,
  SOURCE_PASSPHRASE,
  SOURCE_SECRETS,
  teamBitwardenJson,
} from '../helpers/import-sources.ts';
import { PASSPHRASES } from '../helpers/vault.ts';
import { expect, expectAccessible, screenshot, test, unlock } from './fixtures.ts';

function auditKinds(path: string): string[] {
  const db = openVaultFile(path, { create: false });
  try {
    return db.prepare('SELECT kind FROM audit_entries ORDER BY seq').pluck().all() as string[];
  } finally {
    db.close();
  }
}

/**
 * Issue 16: the console's import wizard moves a team in from a KeePass database as it is: choose
 * the file → its passphrase → defaults and each group's unit → the dry run's table of every entry
 * → the import with progress. A wrong passphrase says so and the step stays; nothing is written
 * until the person chooses.
 */
test('import wizard: a KeePassXC database, its passphrase, groups mapped to units, the dry run, then the import', async ({
  console: c,
  vault,
}) => {
  test.skip(!keepassxcAvailable(), 'keepassxc-cli is not installed (apt-get install keepassxc)');
  const dir = mkdtempSync(join(tmpdir(), 'custodian-e2e-import-'));
  try {
    const { kdbx4id } = await makeKeePassFiles(dir);
    const { page } = c;
    await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
    await page.getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: 'Import accounts…' }).click();
    await page.getByLabel('File to import').setInputFiles({
      name: 'team.kdbx',
      mimeType: 'application/octet-stream',
      buffer: readFileSync(kdbx4id),
    });
    const steps = page.getByRole('list', { name: 'Import steps' });
    await expect(steps.locator('[aria-current="step"]')).toHaveText('Its passphrase');
    await page.getByLabel('Passphrase of the file').fill('not the passphrase');
    await page.getByRole('button', { name: 'Open the file' }).click();
    await expect(page.getByRole('alert')).toContainText(
      'The passphrase does not open this KeePass database',
    );
    await expectAccessible(page);
    await screenshot(page, '70-import-passphrase');
    await page.getByLabel('Passphrase of the file').fill(SOURCE_PASSPHRASE);
    await page.getByRole('button', { name: 'Open the file' }).click();

    // The first check, with no defaults: every entry says what it lacks.
    await expect(steps.locator('[aria-current="step"]')).toHaveText('Check every entry');
    await expect(page.getByText('team.kdbx: KeePass database (KDBX 3.1 or 4).')).toBeVisible();
    const report = page.getByRole('table', { name: 'Result of each entry' });
    await expect(
      report.getByRole('row', {
        name: /Roads Policing › Twitter x:NorfolkRoads no force: give a default force/,
      }),
    ).toBeVisible();

    // Defaults and each group's unit, then the check again.
    await page.getByLabel('Force', { exact: true }).selectOption('norfolk');
    await page.getByLabel('Unit type for Broadland').selectOption('district');
    await page.getByLabel('Unit for Broadland').fill('Broadland');
    await page.getByLabel('Unit type for Roads Policing').selectOption('team');
    await page.getByLabel('Unit for Roads Policing').fill('Roads Policing');
    await page.getByRole('button', { name: 'Check again with these settings' }).click();
    await expect(page.getByRole('status')).toContainText(
      '4 of 6 rows can be registered; 2 cannot (see below)',
    );
    await expect(
      report.getByRole('row', {
        name: /Twitter x:NorfolkRoads ready norfolk, team Roads Policing/,
      }),
    ).toBeVisible();
    await expect(
      report.getByRole('row', {
        name: /TikTok tiktok:suffolkpolice ready suffolk, team Roads Policing/,
      }),
    ).toBeVisible();
    await expect(
      report.getByRole('row', { name: /Instagram instagram:norfolkpolice no password: .*9\.8/ }),
    ).toBeVisible();
    await expect(
      report.getByRole('row', { name: /Police videos — the URL is youtube but names no account/ }),
    ).toBeVisible();
    // The dry run wrote nothing.
    await expect(page.getByText('2 of 2 accounts')).toBeVisible();
    expect(auditKinds(vault.path)).not.toContain('accounts.imported');
    await expectAccessible(page);
    await report.scrollIntoViewIfNeeded();
    await screenshot(page, '71-import-dry-run');

    await page.getByRole('button', { name: 'Register the 4 valid rows' }).click();
    await expect(page.getByRole('status')).toContainText('Registered 4 accounts.');
    await expect(
      report.getByRole('row', {
        name: /Twitter x:NorfolkRoads registered norfolk, team Roads Policing/,
      }),
    ).toBeVisible();
    await expect(steps.locator('[aria-current="step"]')).toHaveText('Import');
    await expect(page.getByText('6 of 6 accounts')).toBeVisible();
    await page.getByRole('heading', { name: 'Import accounts (9.8)' }).scrollIntoViewIfNeeded();
    await screenshot(page, '72-import-done');
    expect(auditKinds(vault.path).filter((k) => k === 'accounts.imported')).toHaveLength(1);
    // The page holds none of the source's secrets after the import.
    const html = await page.content();
    for (const secret of SOURCE_SECRETS) expect(html.includes(secret)).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('import wizard: a password-protected Bitwarden export asks for its passphrase, then checks every entry', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Import accounts…' }).click();
  await page.getByLabel('File to import').setInputFiles({
    name: 'bitwarden_export.json',
    mimeType: 'application/json',
    buffer: Buffer.from(await encryptBitwardenExport(teamBitwardenJson(), SOURCE_PASSPHRASE)),
  });
  await page.getByLabel('Passphrase of the file').fill(SOURCE_PASSPHRASE);
  await page.getByRole('button', { name: 'Open the file' }).click();
  await expect(
    page.getByText('bitwarden_export.json: Bitwarden JSON export (plain or password-protected).'),
  ).toBeVisible();
  await page.getByLabel('Force', { exact: true }).selectOption('norfolk');
  await page.getByLabel('Unit type', { exact: true }).selectOption('team');
  await page.getByRole('button', { name: 'Use each group’s name as its unit' }).click();
  await page.getByRole('button', { name: 'Check again with these settings' }).click();
  await expect(page.getByRole('status')).toContainText('4 of 7 rows can be registered');
  const report = page.getByRole('table', { name: 'Result of each entry' });
  await expect(
    report.getByRole('row', { name: /Shift rota — a Bitwarden secure note, not a login/ }),
  ).toBeVisible();
  await expect(
    report.getByRole('row', { name: /x:BroadlandPolice ready norfolk, team Broadland/ }),
  ).toBeVisible();
});
