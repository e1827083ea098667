import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { expect, expectAccessible, invokeFromPage, screenshot, test, unlock } from './fixtures.ts';

test('10.2: an administrator filters to "My accounts", sees which are theirs and why the others show no credentials', async ({
  console: c,
  vault,
}) => {
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  grantAdministrator(lead, vault.accounts[1]!, findMemberByName(lead, 'Ada Admin').id);
  lead.close();

  const { page } = c;
  await unlock(page, vault.path, 'Ada Admin', PASSPHRASES.admin);
  await page.getByRole('button', { name: 'Accounts' }).click();
  const list = page.getByRole('listbox', { name: 'Accounts' });
  await expect(list.getByRole('option')).toHaveCount(2);
  await expect(
    page.getByText(/You administer 1 account: you hold its login \(10\.2\)/),
  ).toBeVisible();
  await expect(list.getByRole('option', { name: /facebook:SuffolkRoadsPolicing/ })).toContainText(
    'Yours',
  );
  await expect(list.getByRole('option', { name: /x:NorfolkPolice/ })).not.toContainText('Yours');

  await page.getByRole('checkbox', { name: /^My accounts/ }).check();
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(page.getByText('1 of 2 accounts')).toBeVisible();
  await list.getByRole('option', { name: /facebook:SuffolkRoadsPolicing/ }).click();
  await expect(page.getByRole('button', { name: 'Reveal password' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, '98-my-accounts');

  // The other account: its details, no credentials, and the reason why.
  await page.getByRole('checkbox', { name: /^My accounts/ }).uncheck();
  await list.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(
    page.getByText(/No credentials shown: you do not administer this account/),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reveal password' })).toHaveCount(0);
  await screenshot(page, '99-not-my-account');

  // The list of "mine" is the core's, from the signed grants: the DMT and security have none.
  expect(await invokeFromPage(page, 'accounts.mine', {})).toEqual({
    ok: true,
    value: { accounts: [vault.accounts[1]] },
  });
  await page.getByRole('button', { name: 'Lock' }).click();
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await expect(page.getByRole('checkbox', { name: /^My accounts/ })).toHaveCount(0);
  expect(await invokeFromPage(page, 'accounts.mine', {})).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
});
