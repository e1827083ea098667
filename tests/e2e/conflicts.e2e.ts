import { openCredential } from '../../electron/vault/domain/credentials.ts';
import { addDevice, listDevices } from '../../electron/vault/domain/devices.ts';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { entriesOfKind } from '../helpers/audit.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { expect, expectAccessible, screenshot, test, unlock } from './fixtures.ts';

/**
 * Issue 14 in the console (ADR 0023): a rotation saved on an account that changed since the form
 * was opened is refused, says who changed it and when, and keeps what was typed; it then offers to
 * record the new password anyway as the current one, keeping the other in the history.
 *
 * The other change goes through the core (the router the console is bound to) between opening
 * the form and saving it, as another window of the same vault would make it.
 */
test('9.9, 9.10: a rotation that crossed another is refused with who and when, keeps what was typed, and can be recorded anyway', async ({
  console: c,
  vault,
}) => {
  const { page, router } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await page.getByRole('button', { name: 'Rotate password…' }).click();
  const form = page.getByRole('form', { name: 'Rotate password' });
  await form.getByLabel('Why it changes').selectOption('security-risk');
  await form.getByLabel(/New password/).fill('Mine-Set-On-The-Platform-51');
  await form.getByLabel(/People informed/).fill('Information Security');

  // Meanwhile the account is rotated elsewhere.
  const elsewhere = await router.invoke('credentials.rotate', {
    account: vault.accounts[0]!,
    reason: 'scheduled',
    password: 'Theirs-From-The-Other-Window-8',
    informed: [],
  });
  expect(elsewhere.ok).toBe(true);

  await form.getByRole('button', { name: 'Save rotation' }).click();
  const conflict = form.getByRole('alert', { name: 'Changed while you were editing' });
  await expect(conflict).toContainText(
    /Dev Dmt rotated x:NorfolkPolice at \d\d:\d\d UTC while you were editing; nothing was saved/,
  );
  // What was typed is all still there.
  await expect(form.getByLabel(/New password/)).toHaveValue('Mine-Set-On-The-Platform-51');
  await expect(form.getByLabel('Why it changes')).toHaveValue('security-risk');
  await expect(form.getByLabel(/People informed/)).toHaveValue('Information Security');
  await expectAccessible(page);
  await conflict.scrollIntoViewIfNeeded();
  await screenshot(page, '80-rotation-conflict');

  await conflict
    .getByRole('button', { name: 'Record my new password anyway as the current one' })
    .click();
  await expect(page.getByRole('status')).toContainText('Password changed');
  await expect(form).toHaveCount(0);
  await screenshot(page, '81-rotation-recorded-anyway');
  router.lock('asked');

  // Mine is current; theirs and the first are in the history; two rotations, both in the trail.
  const check = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  const credential = openCredential(check, vault.accounts[0]!);
  expect(credential.password).toBe('Mine-Set-On-The-Platform-51');
  expect(credential.history.map((h) => h.password)).toEqual([
    'first-Password-1',
    'Theirs-From-The-Other-Window-8',
  ]);
  expect(entriesOfKind(check, 'credential.rotated').map((e) => e.details['reason'])).toEqual([
    'scheduled',
    'security-risk',
  ]);
  check.close();
});

test('10.1, 12.1: a device edit that crossed another is refused with who and when, and the form keeps what was typed', async ({
  console: c,
  vault,
}) => {
  const setup = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  addPerson(setup, { name: 'Kay Patel', masterclassOn: '2026-01-10' });
  const device = addDevice(setup, {
    owner: 'Kay Patel',
    kind: 'force',
    label: 'Kay work phone',
    accounts: [vault.accounts[0]!],
  });
  setup.close();
  const { page, router } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Devices' }).click();
  await page.getByRole('button', { name: 'Edit Kay work phone' }).click();
  const edit = page.getByRole('form', { name: 'Edit Kay work phone' });
  await edit.getByLabel('Device (make, model, asset number)').fill('Kay work phone, asset 40213');

  // Meanwhile the device is corrected elsewhere.
  const elsewhere = await router.invoke('devices.edit', {
    device: device.id,
    label: 'Kay Patel iPhone 15',
  });
  expect(elsewhere.ok).toBe(true);

  await edit.getByRole('button', { name: 'Save device' }).click();
  await expect(page.getByRole('alert')).toContainText(
    /Dev Dmt changed Kay Patel iPhone 15 at \d\d:\d\d UTC while you were editing; nothing was saved/,
  );
  await expect(edit.getByLabel('Device (make, model, asset number)')).toHaveValue(
    'Kay work phone, asset 40213',
  );
  await screenshot(page, '84-device-edit-conflict');
  router.lock('asked');

  const check = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  expect(listDevices(check).map((d) => d.value.label)).toEqual(['Kay Patel iPhone 15']);
  check.close();
});
