import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { addDevice, listDevices } from '../../electron/vault/domain/devices.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { entriesOfKind } from '../helpers/audit.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { expect, expectNoAxeViolations, screenshot, test, unlock } from './fixtures.ts';

test('10.1, 12.1: devices are added, edited (the line manager record) and retired in the console; a lost one shows as lost and is not offered "Report lost" again', async ({
  console: c,
  vault,
}) => {
  const setup = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  addPerson(setup, { name: 'Kay Patel', masterclassOn: '2026-01-10' });
  setup.close();
  const { page } = c;

  // Security staff read the register but are offered no control to change it.
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Devices' }).click();
  await expect(
    page.getByText('No devices recorded yet. The Digital Media Team records'),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add a device…' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Lock' }).click();

  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Devices' }).click();
  await expect(
    page.getByText(/No devices recorded yet\. Start with "Add a device…"/),
  ).toBeVisible();
  await expectNoAxeViolations(page);
  await screenshot(page, '61-devices-empty');

  // Add a personal device without the 12.1 record: the console says what is still owed.
  await page.getByRole('button', { name: 'Add a device…' }).click();
  const add = page.getByRole('form', { name: 'Add a device' });
  await expect(add.getByRole('heading', { name: 'Add a device' })).toBeFocused();
  await add.getByLabel('Device (make, model, asset number)').fill('Kay own phone');
  await add.getByLabel('Kind').selectOption('personal');
  await add.getByLabel('Who holds it').selectOption({ label: 'Kay Patel' });
  await add.getByRole('checkbox', { name: 'x:NorfolkPolice' }).check();
  await expect(add.getByRole('group', { name: 'Accounts it can reach (1 chosen)' })).toBeVisible();
  await expectNoAxeViolations(page);
  await screenshot(page, '62-device-add-form');
  await add.getByRole('button', { name: 'Record device' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Kay own phone recorded. Ask the line manager to record this personal device, then note the date here (12.1).',
  );
  const own = page.getByRole('row', { name: /Kay own phone/ });
  await expect(own).toContainText("no line manager's record yet (12.1)");
  await expect(own).toContainText('x:NorfolkPolice');

  // Edit: the line manager's record was made, and the phone reaches the second account too.
  await page.getByRole('button', { name: 'Edit Kay own phone' }).click();
  const edit = page.getByRole('form', { name: 'Edit Kay own phone' });
  await edit.getByLabel("Line manager's record made on (12.1)").fill('2026-02-03');
  await edit.getByRole('checkbox', { name: 'facebook:SuffolkRoadsPolicing' }).check();
  await edit.getByRole('button', { name: 'Save device' }).click();
  await expect(page.getByRole('status')).toHaveText('Kay own phone updated.');
  await expect(edit).toHaveCount(0);
  await expect(own).toContainText("line manager's record 2026-02-03 (12.1)");
  await expect(own).toContainText('x:NorfolkPolice, facebook:SuffolkRoadsPolicing');

  // A force phone, reported lost: shown as lost, and "Report lost…" is not offered again.
  await page.getByRole('button', { name: 'Add a device…' }).click();
  await add.getByLabel('Device (make, model, asset number)').fill('Kay work phone');
  await add.getByLabel('Who holds it').selectOption({ label: 'Kay Patel' });
  await add.getByRole('checkbox', { name: 'x:NorfolkPolice' }).check();
  await add.getByRole('button', { name: 'Record device' }).click();
  await expect(page.getByRole('status')).toHaveText('Kay work phone recorded.');
  await page.getByRole('button', { name: 'Report lost: Kay work phone' }).click();
  await page.getByRole('button', { name: 'Confirm: Kay work phone is lost' }).click();
  const work = page.getByRole('row', { name: /Kay work phone/ });
  await expect(work).toContainText(/lost since \d{4}-\d{2}-\d{2} \(10\.1\): incident open/);
  await expect(page.getByRole('button', { name: 'Report lost: Kay work phone' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: /Lost: Kay work phone/ })).toBeVisible();

  // Retire the personal phone with a reason: no further actions on it.
  await page.getByRole('button', { name: 'Retire Kay own phone' }).click();
  const retire = page.getByRole('form', { name: 'Retire Kay own phone' });
  await retire.getByRole('button', { name: 'Retire Kay own phone' }).click();
  await expect(retire.getByLabel('Why it is retired (recorded)')).toBeFocused(); // required, so nothing sent
  await retire.getByLabel('Why it is retired (recorded)').fill('returned to ICT and wiped');
  await retire.getByRole('button', { name: 'Retire Kay own phone' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Kay own phone retired: it no longer reaches any account.',
  );
  await expect(own).toContainText(/retired \d{4}-\d{2}-\d{2}: returned to ICT and wiped/);
  await expect(own.getByRole('button')).toHaveCount(0);
  await expectNoAxeViolations(page);
  await screenshot(page, '63-devices-lost-and-retired');
  await page.getByRole('button', { name: 'Lock' }).click();

  // What the vault holds afterwards.
  const check = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  const devices = new Map(listDevices(check).map((d) => [d.value.label, d]));
  expect(devices.get('Kay own phone')?.value).toMatchObject({
    kind: 'personal',
    lineManagerRecordOn: '2026-02-03',
    accountIds: vault.accounts,
    retireReason: 'returned to ICT and wiped',
  });
  expect(devices.get('Kay own phone')?.value.retiredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(devices.get('Kay work phone')?.value).toMatchObject({
    kind: 'force',
    accountIds: [vault.accounts[0]],
  });
  expect(devices.get('Kay work phone')?.value.retiredOn).toBeUndefined();
  expect(entriesOfKind(check, 'device.added')).toHaveLength(2);
  expect(entriesOfKind(check, 'device.updated').map((e) => e.details.changed)).toEqual([
    ['accountIds', 'lineManagerRecordOn'],
  ]);
  expect(entriesOfKind(check, 'device.retired').map((e) => e.details.reason)).toEqual([
    'returned to ICT and wiped',
  ]);
  expect(entriesOfKind(check, 'device.lost')).toHaveLength(1);
  check.close();
});

test('10.2: an administrator is offered Edit, Retire and Report lost only on devices that reach their accounts alone', async ({
  console: c,
  vault,
}) => {
  const setup = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  grantAdministrator(setup, vault.accounts[0]!, findMemberByName(setup, 'Ada Admin').id);
  addPerson(setup, { name: 'Kay Patel', masterclassOn: '2026-01-10' });
  addDevice(setup, {
    owner: 'Kay Patel',
    kind: 'force',
    label: 'Ada team phone',
    accounts: [vault.accounts[0]!],
  });
  addDevice(setup, {
    owner: 'Kay Patel',
    kind: 'force',
    label: 'Roads phone',
    accounts: [vault.accounts[1]!],
  });
  setup.close();
  const { page } = c;
  await unlock(page, vault.path, 'Ada Admin', PASSPHRASES.admin);
  await page.getByRole('button', { name: 'Devices' }).click();
  const mine = page.getByRole('row', { name: /Ada team phone/ });
  const theirs = page.getByRole('row', { name: /Roads phone/ });
  await expect(mine.getByRole('button')).toHaveText(['Report lost…', 'Edit…', 'Retire…']);
  await expect(theirs.getByRole('button')).toHaveCount(0);
  await mine.getByRole('button', { name: 'Edit Ada team phone' }).click();
  const edit = page.getByRole('form', { name: 'Edit Ada team phone' });
  await edit.getByLabel('Device (make, model, asset number)').fill('Ada team phone, asset 9');
  await edit.getByRole('button', { name: 'Save device' }).click();
  await expect(page.getByRole('status')).toHaveText('Ada team phone, asset 9 updated.');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Lock' }).click();
  const check = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  expect(listDevices(check).map((d) => d.value.label)).toEqual([
    'Ada team phone, asset 9',
    'Roads phone',
  ]);
  check.close();
});
