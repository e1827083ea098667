import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { grantAccess } from '../../electron/vault/domain/teams.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { expect, expectAccessible, invokeFromPage, screenshot, test, unlock } from './fixtures.ts';

/**
 * The console offers a control only to a member who may use it (10.2, 9.14): what it shows comes
 * from the contract's roles and the core's per-account answer, the same rule the core enforces.
 */
test('security staff see the register and the requests but no Add person, no refresher and no request form', async ({
  console: c,
  vault,
}) => {
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  addPerson(lead, { name: 'Kay Patel', masterclassOn: '2026-01-05' });
  grantAccess(lead, { account: vault.accounts[0]!, person: 'Kay Patel' });
  lead.close();
  const { page } = c;
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'People' }).click();
  const row = page.getByRole('row', { name: /Kay Patel/ });
  await expect(row).toContainText('Up to date; refresher due by 2027-01-05.');
  await expect(page.getByRole('button', { name: 'Add person' })).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Add a person' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Record a refresher/ })).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, '42-security-people-no-controls');

  await page.getByRole('button', { name: 'Requests' }).click();
  await expect(page.getByRole('heading', { name: 'Requests', level: 1 })).toBeVisible();
  await expect(page.getByRole('form', { name: /Request a new account/ })).toHaveCount(0);
  await expect(page.getByText('Requests are recorded by the Digital Media Team')).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, '43-security-requests-no-form');

  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.getByRole('heading', { name: /Team \(1 with access\)/ })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Give access' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Remove access for/ })).toHaveCount(0);
  // And the channel refuses what the console no longer offers.
  expect(await invokeFromPage(page, 'people.add', { name: 'Someone' })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
});

test('an administrator gets the team controls on the account they administer, not on another (10.2)', async ({
  console: c,
  vault,
}) => {
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  grantAdministrator(lead, vault.accounts[0]!, findMemberByName(lead, 'Ada Admin').id);
  addPerson(lead, { name: 'Kay Patel', masterclassOn: '2026-01-05' });
  addPerson(lead, { name: 'Lee Other', masterclassOn: '2026-01-05' });
  grantAccess(lead, { account: vault.accounts[0]!, person: 'Kay Patel' });
  grantAccess(lead, { account: vault.accounts[1]!, person: 'Lee Other' });
  lead.close();
  const { page } = c;
  await unlock(page, vault.path, 'Ada Admin', PASSPHRASES.admin);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.getByRole('form', { name: 'Give access' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove access for Kay Patel' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, '44-admin-own-account-team-controls');
  await page.getByRole('option', { name: /facebook:SuffolkRoadsPolicing/ }).click();
  await expect(page.getByRole('heading', { name: 'facebook:SuffolkRoadsPolicing' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Give access' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Remove access for Lee Other' })).toHaveCount(0);

  await page.getByRole('button', { name: 'People' }).click();
  await expect(page.getByRole('form', { name: 'Add a person' })).toBeVisible();
  await expect(
    page.getByRole('button', { name: 'Record a refresher today for Kay Patel' }),
  ).toBeVisible();
  await expect(
    page.getByRole('button', { name: 'Record a refresher today for Lee Other' }),
  ).toHaveCount(0);
});
