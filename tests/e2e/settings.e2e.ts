import { openVaultFile } from '../../electron/vault/store/connection.ts';
import { PASSPHRASES } from '../helpers/vault.ts';
import {
  expect,
  expectAccessible,
  expectNoAxeViolations,
  screenshot,
  test,
  unlock,
} from './fixtures.ts';

test('the lead sets the auto-lock time and a threshold; idle that long locks the console', async ({
  console: c,
  vault,
  timers,
}) => {
  const { page, router } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel(/Lock after this many idle minutes/)).toHaveValue('5');
  await page.getByLabel(/Lock after this many idle minutes/).fill('2');
  await page.getByLabel(/Weakest acceptable password score/).fill('4');
  await expectAccessible(page);
  await screenshot(page, '15-settings');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toContainText('Settings saved');
  await expect(page.getByLabel(/Weakest acceptable password score/)).toHaveValue('4');

  // Two idle minutes: the router locks, the window hears it and shows why.
  expect(timers.pending.some((t) => t.ms === 2 * 60_000)).toBe(true);
  timers.fire(2 * 60_000);
  await expect(page.getByText('Custodian locked itself while you were away.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unlock', exact: true })).toBeVisible();
  expect(router.unlocked).toBe(false);
  // The file and the name are remembered (they are not secrets); the passphrase is not.
  await expect(page.getByLabel('Vault file')).toHaveValue(vault.path);
  await expect(page.getByLabel('Your member name')).toHaveValue('Lena Lead');
  await expect(page.getByLabel('Passphrase', { exact: true })).toHaveValue('');
  await screenshot(page, '16-locked-after-idle');

  const db = openVaultFile(vault.path, { create: false });
  const kinds = db
    .prepare("SELECT kind FROM audit_entries WHERE kind = 'settings.changed'")
    .pluck()
    .all();
  db.close();
  expect(kinds).toHaveLength(2);
});

test('settings are read-only for everyone but the lead', async ({ console: c, vault }) => {
  const { page } = c;
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByText(/Only the team lead changes these/)).toBeVisible();
  // Shown as values, not as fields that cannot be used (issue 15: no control a role cannot use).
  await expect(page.getByRole('definition').first()).toHaveText('5');
  await expect(page.getByRole('spinbutton')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save settings' })).toHaveCount(0);
  await expectNoAxeViolations(page);
});
