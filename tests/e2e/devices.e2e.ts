import { addDevice, listIncidents, reportLostDevice } from '../../electron/vault/domain/devices.ts';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { openVaultFile } from '../../electron/vault/store/connection.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import {
  expect,
  expectAccessible,
  reachingPastTheRightEdge,
  screenshot,
  test,
  unlock,
} from './fixtures.ts';

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
  await page.getByLabel('When Kay work phone was lost').fill('2026-11-20');
  await page.getByRole('button', { name: 'Confirm: Kay work phone is lost' }).click();
  // Taken to the incident's wizard, not left on the page's body.
  await expect(page.getByRole('heading', { name: /^Lost: Kay work phone/ })).toBeFocused();
  const wizard = page.getByRole('region', { name: /Lost: Kay work phone/ });
  await expect(wizard).toContainText('Tell them (10.1): 0 of 3');
  await expect(wizard).toContainText('Rotate each exposed account: 0 of 2');
  await screenshot(page, '12-lost-device-reported');

  await expect(wizard).toContainText('Lost on 2026-11-20; reported');
  await expect(wizard).toContainText('by Dev Dmt');
  // ICT at a time given, with the ticket number; InfoSec with its case number; Corporate Comms now.
  await wizard.getByLabel('When ICT Service Desk was told (empty: now)').fill('2026-11-20T09:15');
  await wizard.getByLabel('ICT Service Desk reference (ticket or case number)').fill('INC0048213');
  await wizard.getByRole('button', { name: 'Record ICT Service Desk told' }).click();
  await expect(wizard).toContainText(
    'Tell them (10.1): 1 of 3, ICT and Information Security immediately',
  );
  await expect(wizard).toContainText('ICT Service Desk: told 2026-11-20 09:15');
  await expect(wizard).toContainText('reference INC0048213');
  await wizard
    .getByLabel('Information Security reference (ticket or case number)')
    .fill('IS-2026-311');
  await wizard.getByRole('button', { name: 'Record Information Security told' }).click();
  await expect(wizard).toContainText('reference IS-2026-311');
  await wizard.getByRole('button', { name: 'Record Corporate Communications told' }).click();
  await expect(wizard).toContainText('3 of 3');
  await expect(wizard).toContainText('Corporate Communications: told');
  await expect(wizard).toContainText('no reference given');
  await wizard.getByRole('button', { name: 'Rotate x:NorfolkPolice' }).click();
  await expect(wizard.getByLabel('Why it changes')).toHaveValue('lost-device');
  await wizard.getByLabel(/New password/).fill('After-Loss-Password-1');
  await expectAccessible(page);
  await screenshot(page, '13-lost-device-rotating');
  await wizard.getByRole('button', { name: 'Save rotation' }).click();
  await expect(wizard).toContainText('Rotate each exposed account: 1 of 2');
  // The second account: not exposed, with the reason (10.1).
  await wizard.getByRole('button', { name: 'Not exposed: facebook:SuffolkRoadsPolicing' }).click();
  await wizard
    .getByLabel('Why facebook:SuffolkRoadsPolicing was not exposed (recorded)')
    .fill('Facebook app logged out remotely at 09:20');
  await screenshot(page, '13b-lost-device-not-exposed');
  await wizard.getByRole('button', { name: 'Record not exposed' }).click();
  await expect(wizard).toHaveCount(0);
  // The end state says the incident is resolved, where the focus is.
  const resolved = page.getByRole('status').filter({ hasText: 'The incident is resolved' });
  await expect(resolved).toBeFocused();
  await expect(resolved).toContainText('Kay work phone (lost 2026-11-20)');
  // The device is still shown as lost, and not offered "Report lost…" again.
  const row = page.getByRole('row', { name: /Kay work phone/ });
  await expect(row).toContainText('lost since 2026-11-20 (10.1): incident resolved');
  await expect(row.getByRole('button', { name: /Report lost/ })).toHaveCount(0);
  await expect(row.getByRole('button', { name: 'Retire Kay work phone' })).toBeVisible();
  const record = page
    .getByRole('group')
    .filter({ hasText: 'Kay work phone, lost 2026-11-20: resolved' });
  await record.locator('summary').click();
  await expect(record).toContainText('reference INC0048213');
  await expect(record).toContainText('x:NorfolkPolice: rotated');
  await expect(record).toContainText(
    'facebook:SuffolkRoadsPolicing: not exposed (Facebook app logged out remotely at 09:20)',
  );
  await expectAccessible(page);
  await screenshot(page, '14-lost-device-resolved');
  await page.setViewportSize({ width: 320, height: 800 });
  await expect.poll(() => reachingPastTheRightEdge(page)).toEqual([]);
  await screenshot(page, '14b-lost-device-resolved-320');
  await page.setViewportSize({ width: 1280, height: 800 });

  router.lock('asked');
  const db = openVaultFile(vault.path, { create: false });
  const kinds = db.prepare('SELECT kind FROM audit_entries ORDER BY seq').pluck().all();
  db.close();
  expect(kinds.filter((k) => k === 'incident.notified')).toHaveLength(3);
  expect(kinds.filter((k) => k === 'credential.rotated')).toHaveLength(1);
  expect(kinds.filter((k) => k === 'incident.not-exposed')).toHaveLength(1);
  expect(kinds.lastIndexOf('incident.resolved')).toBeGreaterThan(
    kinds.lastIndexOf('incident.not-exposed'),
  );

  // What the vault holds: the day lost, each time and reference, the reason, resolved.
  const reader = await unlockAs(vault.path, 'Sam Security', PASSPHRASES.security);
  const [incident] = listIncidents(reader);
  reader.close();
  expect(incident!.clear.lost_on).toBe('2026-11-20');
  expect(incident!.clear.resolved_at).not.toBeNull();
  expect(incident!.value.notified.ict).toBe(new Date('2026-11-20T09:15').toISOString());
  expect(incident!.value.references).toEqual({ ict: 'INC0048213', infosec: 'IS-2026-311' });
  expect(Object.values(incident!.value.notExposed)).toEqual([
    'Facebook app logged out remotely at 09:20',
  ]);
});

test('lost-device wizard (10.1): a time before the loss is refused with what to do, and nothing is recorded', async ({
  console: c,
  vault,
}) => {
  const session = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  addPerson(session, { name: 'Kay Patel', masterclassOn: '2026-01-10' });
  addDevice(session, {
    owner: 'Kay Patel',
    kind: 'force',
    label: 'Laptop 7',
    accounts: vault.accounts,
  });
  reportLostDevice(session, { device: 'Laptop 7', on: '2026-11-20' });
  session.close();

  const { page, router } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Devices' }).click();
  const wizard = page.getByRole('region', { name: /Lost: Laptop 7/ });
  await wizard.getByLabel('When ICT Service Desk was told (empty: now)').fill('2026-11-19T17:00');
  await wizard.getByRole('button', { name: 'Record ICT Service Desk told' }).click();
  await expect(page.getByRole('alert')).toContainText('before the device was lost (2026-11-20)');
  await expect(wizard).toContainText('0 of 3');

  router.lock('asked');
  const reader = await unlockAs(vault.path, 'Sam Security', PASSPHRASES.security);
  expect(listIncidents(reader)[0]!.value.notified).toEqual({});
  reader.close();
});
