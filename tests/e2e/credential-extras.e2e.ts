import { TOTP } from 'otpauth';
import { resolveAccount } from '../../electron/vault/domain/accounts.ts';
import { openCredential } from '../../electron/vault/domain/credentials.ts';
import { entriesOfKind } from '../helpers/audit.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import {
  expect,
  expectAccessible,
  invokeFromPage,
  reachingPastTheRightEdge,
  screenshot,
  test,
  unlock,
} from './fixtures.ts';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
/** As KeePassXC's "otp" field and Bitwarden's login.totp export it. */
const URI = `otpauth://totp/Norfolk%20Police:norfolk-comms?secret=${SECRET}&issuer=X&algorithm=SHA1&digits=6&period=30`;

test('9.8: the DMT sets a TOTP secret from an otpauth:// link and recovery codes in the console; the code matches, the codes are shown only with a reason, each step audited', async ({
  console: c,
  vault,
}) => {
  const { page, router } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.getByRole('button', { name: 'Show TOTP code' })).toHaveCount(0);

  // A link whose codes would differ from the platform's is refused, and what was typed stays.
  await page.getByRole('button', { name: 'Set TOTP secret…' }).click();
  const secret = page.getByLabel(/^TOTP secret: the base32 text/);
  await expect(secret).toBeFocused();
  await expect(secret).toHaveAttribute('type', 'password');
  const eightDigits = URI.replace('digits=6', 'digits=8');
  await secret.fill(eightDigits);
  await page.getByRole('button', { name: 'Save TOTP secret' }).click();
  await expect(page.getByRole('alert')).toContainText('8 digits');
  await expect(page.getByRole('alert')).toContainText('nothing was changed');
  await expect(page.getByRole('alert')).not.toContainText(SECRET);
  await expect(secret).toHaveValue(eightDigits);

  await secret.fill(URI);
  await page.getByRole('button', { name: 'Show TOTP secret' }).click();
  await expect(secret).toHaveAttribute('type', 'text');
  await expectAccessible(page);
  await screenshot(page, '90-totp-secret-form');
  await page.getByRole('button', { name: 'Save TOTP secret' }).click();
  await expect(page.getByRole('status')).toContainText('TOTP secret saved for x:NorfolkPolice');
  // The form and what was typed are gone; the focus is back on the button that opened it.
  await expect(page.getByLabel(/^TOTP secret: the base32 text/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Change TOTP secret…' })).toBeFocused();
  await expect(page.locator('body')).not.toContainText(SECRET);

  // The code shown (with a reason) is the platform's.
  await page.getByLabel(/Reason for access/).fill('logging in to post the appeal');
  await page.getByRole('button', { name: 'Show TOTP code' }).click();
  const shown = await page.getByTestId('totp-code').textContent();
  const expected = [-30_000, 0].map((skew) =>
    new TOTP({ secret: SECRET, digits: 6, period: 30 }).generate({ timestamp: Date.now() + skew }),
  );
  expect(expected).toContain(shown);

  // Recovery codes, one per line, blank lines dropped.
  await page.getByRole('button', { name: 'Set recovery codes…' }).click();
  await page
    .getByLabel(/^Recovery codes, one per line/)
    .fill('7f3e-91ab\n\n 0c2d-44e1 \n9a8b-1c2d');
  await screenshot(page, '91-recovery-codes-form');
  await page.getByRole('button', { name: 'Save recovery codes' }).click();
  await expect(page.getByRole('status')).toContainText('3 recovery codes saved');
  await page.getByRole('button', { name: 'Reveal recovery codes' }).click();
  await expect(page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveText(
    ['7f3e-91ab', '0c2d-44e1', '9a8b-1c2d'],
  );
  await page.getByRole('button', { name: 'Hide' }).click();
  await expect(page.getByTestId('revealed-recovery-codes')).toHaveCount(0);
  await page.setViewportSize({ width: 320, height: 800 });
  await page.getByRole('button', { name: 'Set recovery codes…' }).click();
  await expect.poll(() => reachingPastTheRightEdge(page)).toEqual([]);
  await page.getByLabel(/^Recovery codes, one per line/).scrollIntoViewIfNeeded();
  await screenshot(page, '92-recovery-codes-form-320');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByLabel(/^Recovery codes, one per line/)).toHaveCount(0);
  router.lock('asked');

  // What the vault holds: the base32 secret (not the link) and the three codes; the trail says
  // what was set (never the secret) and that the codes were read, with the reason.
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  const credential = openCredential(lead, resolveAccount(lead, vault.accounts[0]!).id);
  expect(credential.totpSecret).toBe(SECRET);
  expect(credential.recoveryCodes).toEqual(['7f3e-91ab', '0c2d-44e1', '9a8b-1c2d']);
  const set = entriesOfKind(lead, 'credential.extras-set').map((e) => e.details);
  expect(set).toEqual([
    expect.objectContaining({ totp: true, recoveryCodes: null }),
    expect.objectContaining({ totp: false, recoveryCodes: 3 }),
  ]);
  expect(JSON.stringify(set)).not.toContain(SECRET);
  expect(entriesOfKind(lead, 'credential.revealed').map((e) => e.details)).toEqual([
    expect.objectContaining({ field: 'recovery-codes', reason: 'logging in to post the appeal' }),
  ]);
  lead.close();
});

test('9.8: an administrator of another account, and security staff, are offered no TOTP or recovery-code control, and the core refuses them', async ({
  console: c,
  vault,
}) => {
  const { page, router } = c;
  await unlock(page, vault.path, 'Ada Admin', PASSPHRASES.admin);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.getByRole('heading', { name: 'x:NorfolkPolice' })).toBeVisible();
  await expect(page.getByRole('button', { name: /TOTP secret|recovery codes/ })).toHaveCount(0);
  const asAdmin = await invokeFromPage(page, 'credentials.set-extras', {
    account: vault.accounts[0],
    totpSecret: SECRET,
  });
  expect(asAdmin).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  router.lock('asked');
  await page
    .getByRole('button', { name: 'Lock' })
    .click()
    .catch(() => undefined);

  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.getByRole('button', { name: /TOTP secret|recovery codes/ })).toHaveCount(0);
  const asSecurity = await invokeFromPage(page, 'credentials.set-extras', {
    account: vault.accounts[0],
    totpSecret: SECRET,
  });
  expect(asSecurity).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  router.lock('asked');

  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  expect(
    openCredential(lead, resolveAccount(lead, vault.accounts[0]!).id).totpSecret ?? null,
  ).toBeNull();
  lead.close();
});
