import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { setCredentialExtras } from '../../electron/vault/domain/credential-extras.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { entriesOfKind, SALTED } from '../helpers/audit.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { expect, expectAccessible, invokeFromPage, screenshot, test, unlock } from './fixtures.ts';

test('9.8: recovery codes are shown in the account credentials after a reason, and the reveal is audited with its field', async ({
  console: c,
  vault,
}) => {
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  setCredentialExtras(lead, vault.accounts[0]!, { recoveryCodes: ['7f3e-91ab', '0c2d-44e1'] });
  lead.close();
  const { page, router } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await page.getByRole('button', { name: 'Reveal recovery codes' }).click();
  await expect(page.getByRole('alert')).toContainText('reason');
  await expect(page.getByTestId('revealed-recovery-codes')).toHaveCount(0);
  await page.getByLabel(/Reason for access/).fill('account hacked: recovering it');
  await page.getByRole('button', { name: 'Reveal recovery codes' }).click();
  const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveText(['7f3e-91ab', '0c2d-44e1']);
  await expectAccessible(page);
  await screenshot(page, '40-recovery-codes-revealed');
  await page.getByRole('button', { name: 'Hide' }).click();
  await expect(page.getByTestId('revealed-recovery-codes')).toHaveCount(0);
  router.lock('asked');

  const check = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  // Each hand-out names the field, the reason and the credential it was read from (ADR 0020).
  const evidence = {
    credentialKeyId: expect.stringMatching(/^[0-9a-f]{32}$/),
    credentialVersion: expect.any(Number),
    credentialBlobHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    ...SALTED,
  };
  expect(entriesOfKind(check, 'credential.revealed').map((e) => e.details)).toEqual([
    { field: 'recovery-codes', reason: 'account hacked: recovering it', ...evidence },
  ]);
  check.close();
});

test("10.2: the lead ends an administrator's grant in the console; the account becomes rotation due and the administrator reads nothing", async ({
  console: c,
  vault,
}) => {
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  grantAdministrator(lead, vault.accounts[0]!, findMemberByName(lead, 'Ada Admin').id);
  lead.close();
  const { page } = c;

  // Security staff see who administers it, but no control to change it.
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.getByRole('heading', { name: 'Administrators (1)' })).toBeVisible();
  await expect(page.getByRole('button', { name: /End grant/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Lock' }).click();

  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await page.getByRole('button', { name: 'End grant: Ada Admin' }).click();
  await expect(page.getByText(/Ada Admin no longer administers this account/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Administrators (0)' })).toBeVisible();
  await expect(page.getByText(/since .* \(policy 10\.2\)/)).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, '41-admin-grant-ended');
  await page.getByRole('button', { name: 'Lock' }).click();

  await unlock(page, vault.path, 'Ada Admin', PASSPHRASES.admin);
  const reveal = await invokeFromPage(page, 'credentials.reveal', {
    account: vault.accounts[0],
    reason: 'posting',
  });
  expect(reveal).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});

test('a reveal refused to a security member is in the audit trail security staff read', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  for (const field of ['password', 'recovery-codes']) {
    const refused = await invokeFromPage(page, 'credentials.reveal', {
      account: 'x:NorfolkPolice',
      field,
      reason: 'just looking',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  }
  await page.getByRole('button', { name: 'Audit trail' }).click();
  const filters = page.getByRole('form', { name: 'Filter the log' });
  await filters.getByLabel('Event').selectOption('credential.refused');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByText('2 entries match, newest first')).toBeVisible();
  const entries = page.getByRole('list', { name: 'Audit entries' }).getByRole('listitem');
  await expect(entries.first()).toContainText('Sam Security');
  await expect(entries.first()).toContainText('just looking');
  await expect(entries.first()).toContainText('recovery-codes');
  await expect(entries.nth(1)).toContainText('field: password');
  await expectAccessible(page);
  await screenshot(page, '42-refused-attempt-in-log');
});
