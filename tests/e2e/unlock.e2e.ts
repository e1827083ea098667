import { existsSync } from 'node:fs';
import { openVaultFile } from '../../electron/vault/store/connection.ts';
import { PASSPHRASES } from '../helpers/vault.ts';
import { expect, expectAccessible, invokeFromPage, screenshot, test, unlock } from './fixtures.ts';

test('a wrong passphrase says so, keeps the form, and is recorded at the next unlock', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await expectAccessible(page);
  await screenshot(page, '01-unlock');
  await page.getByLabel('Vault file').fill(vault.path);
  await page.getByLabel('Your member name').fill('Lena Lead');
  await page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase');
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText(/passphrase/i);
  await expect(page.getByLabel('Vault file')).toHaveValue(vault.path);
  await expect(page.getByLabel('Passphrase', { exact: true })).toHaveValue('');
  await screenshot(page, '02-unlock-wrong-passphrase');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  c.router.lock('asked');
  const db = openVaultFile(vault.path, { create: false });
  const kinds = db.prepare('SELECT kind FROM audit_entries ORDER BY seq').pluck().all();
  db.close();
  expect(kinds).toContain('session.unlock-failed');
});

test('a file that is not a vault, and a missing file, get errors that say what to do', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await page.getByLabel('Vault file').fill(`${vault.dir}/nothing-here.vault`);
  await page.getByLabel('Your member name').fill('Lena Lead');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('No vault at');
  expect(existsSync(`${vault.dir}/nothing-here.vault`)).toBe(false);
});

test('create a vault: the founder is the lead and lands on the dashboard', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await page.getByRole('tab', { name: 'Create a vault' }).click();
  await page.getByLabel('Vault file').fill(`${vault.dir}/new.vault`);
  await page.getByLabel('Your name (you will be the lead)').fill('Nia New');
  await page.getByLabel('Passphrase', { exact: true }).fill('a long enough passphrase');
  await page.getByLabel('Passphrase again').fill('a different passphrase!');
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('alert')).toContainText('differ');
  await page.getByLabel('Passphrase', { exact: true }).fill('a long enough passphrase');
  await page.getByLabel('Passphrase again').fill('a long enough passphrase');
  await screenshot(page, '03-create-vault');
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText('Nia New · Team lead')).toBeVisible();
  expect(existsSync(`${vault.dir}/new.vault`)).toBe(true);
});

test('Lock (Ctrl+L) returns to the unlock screen and the vault refuses further calls', async ({
  console: c,
  vault,
}) => {
  const { page, router } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.keyboard.press('Control+l');
  await expect(page.getByRole('button', { name: 'Unlock', exact: true })).toBeVisible();
  expect(router.unlocked).toBe(false);
  const result = await invokeFromPage(page, 'accounts.list', {});
  expect(result.ok).toBe(false);
});

test("Choose… opens the system's file chooser: a cancel changes nothing, a choice fills the path", async ({
  console: c,
  vault,
  chooser,
}) => {
  const { page } = c;
  chooser.answers.push(null, vault.path);
  await page.getByRole('button', { name: 'Choose…' }).click();
  await expect(page.getByLabel('Vault file')).toHaveValue('');
  await page.getByRole('button', { name: 'Choose…' }).click();
  await expect(page.getByLabel('Vault file')).toHaveValue(vault.path);
  expect(chooser.asked).toEqual([
    { purpose: 'open-vault', extension: undefined },
    { purpose: 'open-vault', extension: undefined },
  ]);
  await page.getByRole('tab', { name: 'Create a vault' }).click();
  await page.getByRole('button', { name: 'Choose…' }).click();
  expect(chooser.asked.at(-1)).toEqual({ purpose: 'new-vault', extension: undefined });
  await page.getByRole('tab', { name: 'Unlock a vault' }).click();
  await page.getByLabel('Your member name').fill('Lena Lead');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
});
