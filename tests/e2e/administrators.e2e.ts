import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { accountStore } from '../../electron/vault/store/account-store.ts';
import { entriesOfKind, SALTED } from '../helpers/audit.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { expect, expectNoAxeViolations, screenshot, test, unlock } from './fixtures.ts';

test('10.2, 9.14: a DMT member names an account administrator in the console; the key is wrapped for them and they can then read the login', async ({
  console: c,
  vault,
}) => {
  const { page } = c;

  // Security staff and administrators see who administers it, never a control to grant it.
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.getByRole('heading', { name: 'Administrators (0)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Make administrator' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Lock' }).click();

  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  const form = page.getByRole('form', { name: 'Name an administrator' });
  // Only current admin members are offered: not the lead, the DMT or security staff.
  await expect(form.getByRole('option')).toHaveText(['Choose an admin member…', 'Ada Admin']);
  await form.getByLabel('Name an administrator (10.2)').selectOption({ label: 'Ada Admin' });
  await form.getByRole('button', { name: 'Make administrator' }).click();
  await expect(
    page.getByText('Ada Admin now administers x:NorfolkPolice and can read and rotate its login'),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Administrators (1)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'End grant: Ada Admin' })).toBeVisible();
  // Nobody else to offer: the form goes away rather than offering a grant that would fail.
  await expect(form).toHaveCount(0);
  await expectNoAxeViolations(page);
  await screenshot(page, '60-admin-named');
  await page.getByRole('button', { name: 'Lock' }).click();

  // The vault holds the grant: a key wrap for Ada, audited with who granted it.
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  const ada = findMemberByName(lead, 'Ada Admin').id;
  expect(accountStore.wrap(lead.db, vault.accounts[0]!, ada)).toBeDefined();
  expect(accountStore.wrap(lead.db, vault.accounts[1]!, ada)).toBeUndefined();
  const granted = entriesOfKind(lead, 'account.admin-granted');
  expect(granted.map((e) => [e.account, e.details])).toEqual([
    [vault.accounts[0], { member: ada, ...SALTED }],
  ]);
  lead.close();

  // And Ada, the administrator, now reads this account's login in the console.
  await unlock(page, vault.path, 'Ada Admin', PASSPHRASES.admin);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  // The username is shown with the account (an identifier); the password still needs a reason.
  await expect(page.locator('.facts')).toContainText('Usernamenorfolk-comms');
  await page.getByLabel(/Reason for access/).fill('posting the appeal');
  await page.getByRole('button', { name: 'Reveal password' }).click();
  await expect(page.getByTestId('revealed-password')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Make administrator' })).toHaveCount(0);
});
