import { listAccounts } from '../../electron/vault/domain/accounts.ts';
import { updateAccountDetails } from '../../electron/vault/domain/account-registry.ts';
import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { entriesOfKind } from '../helpers/audit.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import {
  expect,
  expectAccessible,
  reachingPastTheRightEdge,
  screenshot,
  test,
  unlock,
} from './fixtures.ts';

const NOTES = 'Shared with the Roads Policing sergeants.\nPosts go out 07:00-19:00 only.';

test('the account detail shows the username to those who may read the login, the profile URL as a link the allowlist opens, and the notes; security staff see no username', async ({
  console: c,
  vault,
}) => {
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  updateAccountDetails(lead, vault.accounts[0]!, {
    profileUrl: 'https://x.com/NorfolkPolice',
    notes: NOTES,
  });
  // A profile URL off the allowlist (a lookalike host) is shown as text, never as a link.
  updateAccountDetails(lead, vault.accounts[1]!, {
    profileUrl: 'https://facebook.com.example.net/SuffolkRoadsPolicing',
  });
  grantAdministrator(lead, vault.accounts[0]!, findMemberByName(lead, 'Ada Admin').id);
  lead.close();

  const { page } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  const facts = page.locator('.facts');
  await expect(facts).toContainText('Usernamenorfolk-comms');
  const link = facts.getByRole('link', { name: /https:\/\/x\.com\/NorfolkPolice/ });
  await expect(link).toHaveAttribute('href', 'https://x.com/NorfolkPolice');
  // A new window, which main's handler turns into the system browser for an allowlisted URL.
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(facts.locator('.notes')).toHaveText(NOTES);
  await expectAccessible(page);
  await screenshot(page, '93-account-detail-username-profile-notes');
  await page.setViewportSize({ width: 320, height: 800 });
  await expect.poll(() => reachingPastTheRightEdge(page)).toEqual([]);
  await facts.scrollIntoViewIfNeeded();
  await screenshot(page, '94-account-detail-320');
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole('option', { name: /facebook:SuffolkRoadsPolicing/ }).click();
  await expect(facts).toContainText('https://facebook.com.example.net/SuffolkRoadsPolicing');
  await expect(facts).toContainText('not a platform address the console opens');
  await expect(facts.getByRole('link')).toHaveCount(0);

  await page.getByRole('button', { name: 'Lock' }).click();
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(facts).toContainText(NOTES.split('\n')[0]!);
  await expect(facts).not.toContainText('Username');
  await expect(page.locator('body')).not.toContainText('norfolk-comms');

  // Showing the username is not a reveal: the trail has none from these views.
  const check = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  expect(entriesOfKind(check, 'credential.revealed')).toEqual([]);
  check.close();
});

test("the DMT records an account's 2FA method, recovery contacts, last use and notes in the console; a bad phone number is refused and nothing is saved", async ({
  console: c,
  vault,
}) => {
  const { page, router } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.locator('.finding-list')).toContainText('NCSC 2FA');
  await page.getByRole('button', { name: 'Edit details of x:NorfolkPolice' }).click();
  const form = page.getByRole('form', { name: 'Edit the details of x:NorfolkPolice' });
  await form.getByLabel('Recovery phone', { exact: true }).fill('not a phone');
  await form.getByRole('button', { name: 'Save details' }).click();
  await expect(form.getByRole('alert')).toContainText('phone');

  await form.getByLabel('Two-factor method (NCSC)').selectOption('authenticator-app');
  await form
    .getByLabel('Recovery e-mail (9.8: a force mailbox)')
    .fill('comms@norfolk.pnn.police.uk');
  await form.getByLabel('Recovery phone', { exact: true }).fill('+44 1603 555 0100');
  await form.getByLabel(/force-issued number/).check();
  await form.getByLabel('Last used on (9.13)').fill('2026-11-30');
  await form.getByLabel('Notes').fill('Handed to Roads Policing in November.');
  await expectAccessible(page);
  await screenshot(page, '104-account-details-form');
  await form.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByRole('status')).toContainText('Details of x:NorfolkPolice saved');
  await expect(page.getByRole('heading', { name: 'x:NorfolkPolice' })).toBeFocused();
  const facts = page.locator('.facts');
  await expect(facts).toContainText('authenticator-app');
  await expect(facts.locator('.notes')).toHaveText('Handed to Roads Policing in November.');
  await expect(page.locator('.finding-list')).not.toContainText('NCSC 2FA');
  router.lock('asked');

  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  const account = listAccounts(lead).find((a) => a.id === vault.accounts[0]);
  expect(account).toMatchObject({
    twoFactor: 'authenticator-app',
    recoveryEmail: 'comms@norfolk.pnn.police.uk',
    recoveryPhone: '+44 1603 555 0100',
    recoveryPhoneIsForce: true,
    lastActivityOn: '2026-11-30',
    notes: 'Handed to Roads Policing in November.',
  });
  expect(entriesOfKind(lead, 'account.updated')).toHaveLength(1);
  expect(entriesOfKind(lead, 'account.activity')).toHaveLength(1);
  lead.close();
});
