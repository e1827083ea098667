import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
  // Said to a console user: the Create tab, not only the command line.
  await expect(page.getByRole('alert')).toContainText('"Create a vault" in the console');
  expect(existsSync(`${vault.dir}/nothing-here.vault`)).toBe(false);

  // An empty file (or any file that is not a vault) is named as such and left untouched.
  const empty = `${vault.dir}/empty.vault`;
  writeFileSync(empty, '');
  const mtime = statSync(empty).mtimeMs;
  await page.getByLabel('Vault file').fill(empty);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('is empty: it is not a Custodian vault');
  await expect(page.getByRole('alert')).toContainText('custodian init');
  await screenshot(page, '02b-unlock-not-a-vault');
  expect(readFileSync(empty).length).toBe(0);
  expect(statSync(empty).mtimeMs).toBe(mtime);
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

test('create a vault: a guessable passphrase is judged as it is typed and refused; Show reveals both fields', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await page.getByRole('tab', { name: 'Create a vault' }).click();
  await page.getByLabel('Vault file').fill(`${vault.dir}/weak.vault`);
  await page.getByLabel('Your name (you will be the lead)').fill('Nia New');
  const passphrase = page.getByLabel('Passphrase', { exact: true });
  await passphrase.fill('password1234');
  await page.getByLabel('Passphrase again').fill('password1234');
  await expect(page.getByText(/too easy to guess \(strength [0-2] of 4/)).toBeVisible();
  await expect(page.getByRole('meter', { name: 'Strength' })).toBeVisible();
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(passphrase).toHaveAttribute('type', 'text');
  await expect(page.getByLabel('Passphrase again')).toHaveAttribute('type', 'text');
  await screenshot(page, '03c-create-weak-passphrase');
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('alert')).toContainText('too easy to guess');
  expect(existsSync(`${vault.dir}/weak.vault`)).toBe(false);
  await page.getByRole('button', { name: 'Hide' }).click();
  await expect(passphrase).toHaveAttribute('type', 'password');
  await passphrase.fill('otter lantern quietly banjo');
  await page.getByLabel('Passphrase again').fill('otter lantern quietly banjo');
  await expect(page.getByText('Good: this passphrase will be accepted.')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await screenshot(page, '03d-create-strong-passphrase');
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  expect(existsSync(`${vault.dir}/weak.vault`)).toBe(true);
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
  // The file and name are remembered: focus is on the passphrase, hidden, with Show beside it.
  const passphrase = page.getByLabel('Passphrase', { exact: true });
  await expect(passphrase).toBeFocused();
  await expect(passphrase).toHaveValue('');
  await expect(passphrase).toHaveAttribute('type', 'password');
  await page.keyboard.type(PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Show passphrase' }).click();
  await expect(passphrase).toHaveAttribute('type', 'text');
  await expect(page.getByRole('button', { name: 'Hide passphrase' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await page.getByRole('button', { name: 'Hide passphrase' }).click();
  await expect(passphrase).toHaveAttribute('type', 'password');
  await passphrase.press('Enter');
  await expect(page.getByRole('button', { name: 'Lock' })).toBeVisible();
});

test("Choose… opens main's file chooser: a cancel changes nothing, a choice shows its name and unlocks through a handle", async ({
  console: c,
  vault,
  chooser,
}) => {
  const { page } = c;
  // As in Electron: main's dialog picks the file, the window types no path.
  chooser.kind = 'dialog';
  await page.reload();
  await expect(page.getByLabel('Vault file')).toHaveAttribute('readonly', '');
  chooser.answers.push(null, vault.path);
  await page.getByRole('button', { name: 'Choose…' }).click();
  await expect(page.getByLabel('Vault file')).toHaveValue('');
  await page.getByRole('button', { name: 'Choose…' }).click();
  // Only the name crosses to the window; the folder stays in main.
  await expect(page.getByLabel('Vault file')).toHaveValue('team.vault');
  expect(chooser.asked).toEqual([
    { purpose: 'open-vault', extension: undefined },
    { purpose: 'open-vault', extension: undefined },
  ]);
  await screenshot(page, '03b-unlock-chosen-file');
  await page.getByRole('tab', { name: 'Create a vault' }).click();
  await page.getByRole('button', { name: 'Choose…' }).click();
  expect(chooser.asked.at(-1)).toEqual({ purpose: 'new-vault', extension: undefined });
  await page.getByRole('tab', { name: 'Unlock a vault' }).click();
  chooser.answers.push(vault.path);
  await page.getByRole('button', { name: 'Choose…' }).click();
  await expect(page.getByLabel('Vault file')).toHaveValue('team.vault');
  await page.getByLabel('Your member name').fill('Lena Lead');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  // A compromised window naming a path of its own gets nowhere.
  c.router.lock('asked');
  const typed = await invokeFromPage(page, 'files.choose', {
    purpose: 'open-vault',
    typedPath: vault.path,
  });
  expect(typed).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  const raw = await invokeFromPage(page, 'vault.unlock', {
    file: vault.path,
    memberName: 'Lena Lead',
    passphrase: PASSPHRASES.lead,
  });
  expect(raw).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
});
