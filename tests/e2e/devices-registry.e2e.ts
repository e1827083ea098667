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
