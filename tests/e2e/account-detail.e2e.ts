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
