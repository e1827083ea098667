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

test('the standalone generator: length and classes, or EFF words and a separator; Copy goes through main and the clipboard is cleared after 30 s', async ({
  console: c,
  timers,
  vault,
}) => {
  const { page, clipboard } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Generator' }).click();
  await expect(page.getByRole('heading', { name: 'Password generator' })).toBeVisible();

  // 16 characters, digits only: the generator's bounds and classes are honoured.
  await page.getByLabel(/^Length/).fill('16');
  for (const name of ['Lower case (a-z)', 'Upper case (A-Z)', 'Symbols (!#$%…)'])
    await page.getByLabel(name).uncheck();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const shown = page.getByTestId('generated-password');
  await expect(shown).toHaveText(/^[2-9]{16}$/);

  // No class at all: refused with what to do, nothing shown.
  await page.getByLabel('Digits (2-9)').uncheck();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Choose at least one kind of character');
  await expect(shown).toHaveCount(0);
  await page.getByLabel('Upper case (A-Z)').check();
  await page.getByLabel('Digits (2-9)').check();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(shown).toHaveText(/^(?=.*[A-Z])(?=.*[2-9])[A-Z2-9]{16}$/);

  // Five EFF words joined by a full stop.
  await page.getByLabel('Words from the EFF list (a passphrase)').check();
  await page.getByLabel(/^Number of words/).fill('5');
  await page.getByLabel('Separator between words').fill('.');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(shown).toHaveText(/^[a-z-]+(\.[a-z-]+){4}$/);
  const passphrase = (await shown.textContent())!;
  await expect(page.getByText('Strength')).toBeVisible();

  await page.getByRole('button', { name: 'Copy (cleared after 30 s)' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Generated password copied' }),
  ).toBeVisible();
  await expect(
    page.getByRole('status').filter({ hasText: 'Now set it on the platform' }),
  ).toBeVisible();
  expect(clipboard.text).toBe(passphrase);
  await expectAccessible(page);
  await screenshot(page, '95-generator');
  timers.fire(30_000);
  expect(clipboard.text).toBe('');

  // The copy channel places only what the generator made: not any text a page sends.
  const planted = await invokeFromPage(page, 'generator.copy', { password: 'attacker-text-1' });
  expect(planted).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  expect(clipboard.text).toBe('');

  await page.setViewportSize({ width: 320, height: 800 });
  await expect.poll(() => reachingPastTheRightEdge(page)).toEqual([]);
  await screenshot(page, '96-generator-320');
});

test('the rotate form says the password must be set on the platform, copies a generated one through main, and Cancel records nothing', async ({
  console: c,
  vault,
}) => {
  const { page, clipboard, router } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  const opener = page.getByRole('button', { name: 'Rotate password…' });
  await opener.click();
  const form = page.getByRole('form', { name: 'Rotate password' });
  await expect(form).toContainText('Custodian does not change the password on the platform');
  await form.getByRole('button', { name: 'Generate 24 characters' }).click();
  await expect(form.getByLabel(/New password/)).toHaveValue(/^.{24}$/);
  const generated = await form.getByLabel(/New password/).inputValue();
  await form.getByRole('button', { name: 'Copy new password (cleared after 30 s)' }).click();
  await expect(form.getByRole('status')).toContainText('paste it on the platform now');
  expect(clipboard.text).toBe(generated);
  await screenshot(page, '97-rotate-form-platform-first');
  // A typed password is not the generator's: no Copy is offered for it.
  await form.getByLabel(/New password/).fill('typed-by-hand-Password-9');
  await expect(form.getByRole('button', { name: /Copy new password/ })).toHaveCount(0);

  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(form).toHaveCount(0);
  await expect(opener).toBeFocused();
  router.lock('asked');

  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  expect(entriesOfKind(lead, 'credential.rotated')).toEqual([]);
  expect(openCredential(lead, resolveAccount(lead, vault.accounts[0]!).id).password).not.toBe(
    generated,
  );
  lead.close();
});

test('security staff are offered no generator, and the channel refuses them', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await expect(page.getByRole('button', { name: 'Generator' })).toHaveCount(0);
  const refused = await invokeFromPage(page, 'generator.generate', { kind: 'characters' });
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});
