import { copyFileSync, rmSync } from 'node:fs';
import { backupVault } from '../../electron/vault/backup.ts';
import { cutTrailBack, trailSize } from '../helpers/trail-edits.ts';
import { PASSPHRASES, populatedVault } from '../helpers/vault.ts';
import { expect, expectAccessible, screenshot, test, unlock } from './fixtures.ts';

/**
 * The console's refusal of a vault that is older than, or another history from, what this
 * workstation kept (issue 14, ADR 0024): a screen of its own, in plain words, with what was kept,
 * what the vault shows, and what to do; the vault stays locked.
 */
test('an older copy put back after this workstation saw a newer one is refused on its own screen', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  const older = `${vault.dir}/older.vault`;
  await backupVault(vault.path, older);
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  c.router.lock('asked');
  await expect(page.getByLabel('Vault file')).toBeVisible();
  for (const suffix of ['-wal', '-shm']) rmSync(`${vault.path}${suffix}`, { force: true });
  copyFileSync(older, vault.path);
  const before = trailSize(vault.path);

  await page.getByLabel('Your member name').fill('Dev Dmt');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Custodian refused this vault' })).toBeVisible();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('older history than this workstation has seen');
  await expect(alert).toContainText(/This workstation kept the vault's audit trail at \d+ entries/);
  await expect(alert).toContainText(/The vault now shows \d+ entries/);
  await expect(alert).toContainText('signed by Dev Dmt');
  await expect(alert).toContainText('the vault was not opened');
  await expect(page.getByRole('heading', { name: 'What to do' })).toBeVisible();
  await expect(page.getByText('custodian accept-restore')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Views' })).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, '80-vault-refused-rollback');
  expect(c.router.unlocked).toBe(false);
  expect(trailSize(vault.path)).toBe(before);

  await page.getByRole('button', { name: 'Back to unlock' }).click();
  await expect(page.getByLabel('Passphrase', { exact: true })).toHaveValue('');
  await expect(page.getByRole('button', { name: 'Unlock', exact: true })).toBeVisible();
});

test('a trail cut back while the console is open is refused at the next refresh, and the console locks', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  // The dashboard asks for health after its first screen (ADR 0027): let it answer first, so the
  // refresh that finds the cut is the click below.
  await expect(page.getByRole('heading', { name: /Due this week/ })).toBeVisible();
  // Someone with the file drops the newest entries, so the trail agrees with itself.
  cutTrailBack(vault.path, trailSize(vault.path) - 2);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await expect(page.getByRole('heading', { name: 'Custodian refused this vault' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('older history');
  await expect(page.getByRole('alert')).toContainText('the vault was locked');
  await expect(page.getByRole('navigation', { name: 'Views' })).toHaveCount(0);
  await screenshot(page, '81-vault-refused-while-open');
  expect(c.router.unlocked).toBe(false);
});

test('the first open of a vault on a workstation says, once, that it is trusted as it is', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  // A vault this workstation has never opened (made elsewhere).
  const elsewhere = `${vault.dir}/made-elsewhere.vault`;
  await populatedVault(elsewhere);
  await unlock(page, elsewhere, 'Dev Dmt', PASSPHRASES.dmt);
  const note = page.getByText(/had not opened this vault before.*first use/);
  await expect(note).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, '82-vault-first-use');
  await page.getByRole('button', { name: 'Understood' }).click();
  await expect(note).toHaveCount(0);
  c.router.lock('asked');
  await expect(page.getByLabel('Vault file')).toBeVisible();
  await unlock(page, elsewhere, 'Dev Dmt', PASSPHRASES.dmt);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(note).toHaveCount(0);
});
