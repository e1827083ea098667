import { openVaultFile } from '../../electron/vault/store/connection.ts';
import { PASSPHRASES } from '../helpers/vault.ts';
import { expect, expectAccessible, invokeFromPage, screenshot, test, unlock } from './fixtures.ts';

test('people and training (11.1): add a person, record a refresher, see it in the register', async ({
  console: c,
  vault,
}) => {
  const { page, router } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'People' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Kay Patel');
  await page.getByLabel('Staff or collar number').fill('PC 1234');
  await page.getByLabel('Masterclass date').fill('2024-03-01');
  await page.getByRole('button', { name: 'Add person' }).click();
  await expect(page.getByRole('status')).toContainText('Kay Patel added');
  const row = page.getByRole('row', { name: /Kay Patel/ });
  await expect(row).toContainText('2024-03-01');
  await expect(row).toContainText('PC 1234');
  await page.getByRole('button', { name: 'Record a refresher today for Kay Patel' }).click();
  await expect(page.getByRole('status')).toContainText('Refresher recorded');
  await expect(row).toContainText(new Date().toISOString().slice(0, 10));
  await expectAccessible(page);
  await screenshot(page, '10-people');
  router.lock('asked');
  const db = openVaultFile(vault.path, { create: false });
  const kinds = db.prepare('SELECT kind FROM audit_entries').pluck().all();
  db.close();
  expect(kinds).toEqual(expect.arrayContaining(['person.added', 'person.trained']));
});

test('members (lead): add one, remove one and see their accounts fall due (10.2); change own passphrase', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Members' }).click();
  await expect(page.getByRole('row', { name: /Sam Security/ })).toBeVisible();
  await page.getByLabel('Member name').fill('Nat New');
  await page.getByLabel('Role').selectOption('dmt');
  await page.getByLabel('Their first passphrase').fill('short');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('alert')).toContainText('12');
  await page.getByLabel('Their first passphrase').fill('nat new first passphrase');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('status')).toContainText('Nat New added as dmt');
  await page.getByRole('button', { name: 'Remove Dev Dmt' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('row', { name: /Dev Dmt/ })).toContainText('active');
  await page.getByRole('button', { name: 'Remove Dev Dmt' }).click();
  await page.getByRole('button', { name: 'Confirm: remove Dev Dmt' }).click();
  await expect(page.getByRole('status')).toContainText(
    '2 accounts they could read are now rotation due',
  );
  await expect(page.getByRole('row', { name: /Dev Dmt/ })).toContainText('removed');
  await expectAccessible(page);
  await screenshot(page, '11-members');
  await page.getByLabel('New passphrase', { exact: true }).fill('lena lead second passphrase');
  await page.getByLabel('New passphrase again').fill('lena lead second passphrase');
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByRole('status')).toContainText('passphrase is changed');
  await page.getByRole('button', { name: 'Lock' }).click();
  await unlock(page, vault.path, 'Lena Lead', 'lena lead second passphrase');
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByLabel('Rotation due').check();
  await expect(page.getByText('2 of 2 accounts')).toBeVisible();
});

test("members are the lead's: others see only their own passphrase, and the channel refuses them", async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Passphrase', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Your passphrase', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: /Remove/ })).toHaveCount(0);
  const result = await invokeFromPage(page, 'members.add', {
    name: 'Sneaky',
    role: 'lead',
    passphrase: 'a sneaky passphrase',
  });
  expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});
