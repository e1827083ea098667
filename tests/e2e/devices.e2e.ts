import { addDevice } from '../../electron/vault/domain/devices.ts';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { openVaultFile } from '../../electron/vault/store/connection.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { expect, expectAccessible, screenshot, test, unlock } from './fixtures.ts';

test('lost-device wizard (10.1): report, tell ICT, InfoSec and Corporate Comms, rotate each account, resolved', async ({
  console: c,
  vault,
}) => {
  const session = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  addPerson(session, { name: 'Kay Patel', masterclassOn: '2026-01-10' });
  addDevice(session, {
    owner: 'Kay Patel',
    kind: 'force',
    label: 'Kay work phone',
    accounts: vault.accounts,
  });
  session.close();

  const { page, router } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Devices' }).click();
  await expect(page.getByRole('row', { name: /Kay work phone/ })).toContainText('x:NorfolkPolice');
  await page.getByRole('button', { name: 'Report lost: Kay work phone' }).click();
  await page.getByRole('button', { name: 'Confirm: Kay work phone is lost' }).click();
  // Taken to the incident's wizard, not left on the page's body.
  await expect(page.getByRole('heading', { name: /^Lost: Kay work phone/ })).toBeFocused();
  const wizard = page.getByRole('region', { name: /Lost: Kay work phone/ });
  await expect(wizard).toContainText('Tell them (10.1): 0 of 3');
  await expect(wizard).toContainText('Rotate each exposed account: 0 of 2');
  await screenshot(page, '12-lost-device-reported');

  for (let i = 0; i < 3; i++) {
    await wizard.getByRole('button', { name: 'Told them now' }).first().click();
    await expect(wizard).toContainText(`Tell them (10.1): ${i + 1} of 3`);
  }
  await wizard.getByRole('button', { name: 'Rotate x:NorfolkPolice' }).click();
  await expect(wizard.getByLabel('Why it changes')).toHaveValue('lost-device');
  await wizard.getByLabel(/New password/).fill('After-Loss-Password-1');
  await expectAccessible(page);
  await screenshot(page, '13-lost-device-rotating');
  await wizard.getByRole('button', { name: 'Save rotation' }).click();
  await expect(wizard).toContainText('Rotate each exposed account: 1 of 2');
  await wizard.getByRole('button', { name: 'Rotate facebook:SuffolkRoadsPolicing' }).click();
  await wizard.getByLabel(/New password/).fill('After-Loss-Password-2');
  await wizard.getByRole('button', { name: 'Save rotation' }).click();
  await expect(wizard).toHaveCount(0);
  await expect(page.getByText(/Kay work phone, lost .*: resolved/)).toBeVisible();
  await screenshot(page, '14-lost-device-resolved');

  router.lock('asked');
  const db = openVaultFile(vault.path, { create: false });
  const kinds = db.prepare('SELECT kind FROM audit_entries ORDER BY seq').pluck().all();
  db.close();
  expect(kinds.filter((k) => k === 'incident.notified')).toHaveLength(3);
  expect(kinds.filter((k) => k === 'credential.rotated')).toHaveLength(2);
  expect(kinds.lastIndexOf('incident.resolved')).toBeGreaterThan(
    kinds.lastIndexOf('incident.notified'),
  );
});
