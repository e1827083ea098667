import { createAccount } from '../../electron/vault/domain/account-creation.ts';
import { listAccounts } from '../../electron/vault/domain/accounts.ts';
import { addMember } from '../../electron/vault/domain/members.ts';
import { listPeople } from '../../electron/vault/domain/people.ts';
import { listDevices } from '../../electron/vault/domain/devices.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { expect, expectNoAxeViolations, screenshot, test, unlock } from './fixtures.ts';

const FOUNDER_PASSPHRASE = 'a long enough passphrase';

test('a new vault says there are no accounts yet and how to add them, not that every account meets the policy; People, Devices and Accounts say what to do first', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  const path = `${vault.dir}/new.vault`;
  await page.getByRole('tab', { name: 'Create a vault' }).click();
  await page.getByLabel('Vault file').fill(path);
  await page.getByLabel('Your name (you will be the lead)').fill('Nia New');
  await page.getByLabel('Passphrase', { exact: true }).fill(FOUNDER_PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(FOUNDER_PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  const start = page.getByRole('note', { name: 'Getting started' });
  await expect(start).toContainText('No accounts are registered yet');
  await expect(start).toContainText('Register an account…');
  await expect(page.getByText(/Every account meets the policy/)).toHaveCount(0);
  await expectNoAxeViolations(page);
  await screenshot(page, '64-empty-dashboard');

  await start.getByRole('button', { name: 'Go to Accounts' }).click();
  const none = page.getByRole('region', { name: 'No accounts yet' });
  await expect(none).toContainText('Start with “Register an account…”');
  await expect(page.getByRole('button', { name: 'Register an account…' })).toBeVisible();
  await expectNoAxeViolations(page);
  await screenshot(page, '65-empty-accounts');

  await page.getByRole('button', { name: 'People' }).click();
  await expect(page.getByText(/No one is on the register yet\. Add each person/)).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
  await expectNoAxeViolations(page);
  await screenshot(page, '66-empty-people');

  await page.getByRole('button', { name: 'Devices' }).click();
  await expect(
    page.getByText(/No devices recorded yet\. Start with "Add a device…"/),
  ).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Lock' }).click();

  // The vault is as new: nothing was written by looking. Then a security member, who registers
  // nothing, is told who does; and once an account exists the getting-started note goes.
  const lead = await unlockAs(path, 'Nia New', FOUNDER_PASSPHRASE);
  expect(listAccounts(lead)).toEqual([]);
  expect(listPeople(lead)).toEqual([]);
  expect(listDevices(lead)).toEqual([]);
  await addMember(lead, {
    name: 'Sam Security',
    role: 'security',
    passphrase: PASSPHRASES.security,
  });
  lead.close();

  await unlock(page, path, 'Sam Security', PASSPHRASES.security);
  await expect(start).toContainText('The Digital Media Team registers the force');
  await expect(start.getByRole('button')).toHaveCount(0);
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await expect(none).toContainText('The Digital Media Team registers');
  await expect(page.getByRole('button', { name: 'Register an account…' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Lock' }).click();

  const again = await unlockAs(path, 'Nia New', FOUNDER_PASSPHRASE);
  createAccount(again, {
    platform: 'x',
    handle: 'NorfolkPolice',
    force: 'norfolk',
    unitType: 'department',
    unitName: 'Corporate Communications',
    username: 'norfolk-comms',
    password: 'first-Password-1',
  });
  again.close();
  await unlock(page, path, 'Nia New', FOUNDER_PASSPHRASE);
  await expect(page.getByRole('heading', { name: /Due this week/ })).toBeVisible();
  await expect(start).toHaveCount(0);
});
