import { addPerson } from '../../electron/vault/domain/people.ts';
import { grantAccess } from '../../electron/vault/domain/teams.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { expect, expectAccessible, screenshot, test, unlock } from './fixtures.ts';

test('team changes (10.2): give access, remove it, and rotate straight away because they knew the password', async ({
  console: c,
  vault,
}) => {
  const session = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  addPerson(session, { name: 'Kay Patel', masterclassOn: '2026-01-10' });
  addPerson(session, { name: 'Lee Chen', masterclassOn: '2026-02-10' });
  grantAccess(session, { account: vault.accounts[0]!, person: 'Kay Patel', on: '2026-03-01' });
  session.close();

  const { page } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.getByRole('heading', { name: 'Team (1 with access)' })).toBeVisible();
  await page.getByLabel('Give access to').selectOption({ label: 'Lee Chen' });
  await page.getByLabel('Why (recorded, 10.2)').fill('joined the comms desk');
  await page.getByRole('button', { name: 'Give access' }).click();
  await expect(page.getByRole('heading', { name: 'Team (2 with access)' })).toBeVisible();
  await page.getByLabel('Why (recorded, 10.2)').fill('moved to another department');
  await page.getByRole('button', { name: 'Remove access for Kay Patel' }).click();
  await expect(page.getByRole('heading', { name: 'Team (1 with access)' })).toBeVisible();
  // The button went with the access: focus stays in the team, not on the page's body.
  await expect(page.getByRole('heading', { name: 'Team (1 with access)' })).toBeFocused();
  await expect(page.locator('.facts')).toContainText('Rotation due');
  const rotate = page.getByRole('form', { name: 'Rotate password' });
  await expect(rotate).toContainText('Kay Patel left the team and knew the password.');
  await expect(rotate.getByLabel('Why it changes')).toHaveValue('membership-change');
  await expectAccessible(page);
  await screenshot(page, '17-team-removed-rotate');
  await rotate.getByLabel(/New password/).fill('After-Leaver-Password-9');
  await rotate.getByRole('button', { name: 'Save rotation' }).click();
  await expect(page.locator('.facts')).not.toContainText('Rotation due');
});

test('an admin sees an account they do not administer, with no reveal, copy or rotate control', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Ada Admin', PASSPHRASES.admin);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.getByRole('heading', { name: 'x:NorfolkPolice' })).toBeVisible();
  await expect(page.getByRole('button', { name: /reveal|copy|rotate/i })).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
