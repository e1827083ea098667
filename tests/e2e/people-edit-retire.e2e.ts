import { addPerson, resolvePerson } from '../../electron/vault/domain/people.ts';
import { grantAccess } from '../../electron/vault/domain/teams.ts';
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

test('People: the DMT corrects a record and retires a leaver with the reason; someone with access is not retired until it is removed (10.2), and a retired person is given no access', async ({
  console: c,
  vault,
}) => {
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  addPerson(lead, { name: 'Kay Patel', masterclassOn: '2026-01-10' });
  addPerson(lead, { name: 'Lee Leaver', masterclassOn: '2026-01-10' });
  grantAccess(lead, { account: vault.accounts[0]!, person: 'Kay Patel' });
  lead.close();

  const { page, router } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'People' }).click();

  // Correct Kay's record.
  await page.getByRole('button', { name: 'Edit Kay Patel' }).click();
  const edit = page.getByRole('form', { name: 'Edit Kay Patel' });
  await edit.getByLabel('Name').fill('Kay Patel-Jones');
  await edit.getByLabel('Staff or collar number').fill('4021');
  await edit.getByLabel('Department').fill('Roads Policing');
  await edit.getByRole('button', { name: 'Save Kay Patel' }).click();
  await expect(page.getByRole('status')).toContainText("Kay Patel-Jones's record changed");
  const kay = page.getByRole('row', { name: /Kay Patel-Jones/ });
  await expect(kay).toContainText('4021');
  await expect(kay).toContainText('Roads Policing');

  // Kay still has access: retiring is refused with what to do, and nothing is recorded.
  await page.getByRole('button', { name: 'Retire Kay Patel-Jones' }).click();
  await page.getByLabel('Why Kay Patel-Jones leaves the register (recorded)').fill('transferred');
  await page.getByRole('button', { name: 'Retire Kay Patel-Jones', exact: true }).last().click();
  await expect(page.getByRole('alert')).toContainText(
    'still has access to an account: remove it on each account first (10.2',
  );
  await page.getByRole('button', { name: 'Cancel' }).click();

  // Lee has none: retired with the reason, and no longer offered any action.
  await page.getByRole('button', { name: 'Retire Lee Leaver' }).click();
  await page.getByLabel('Why Lee Leaver leaves the register (recorded)').fill('left the force');
  await expectAccessible(page);
  await screenshot(page, '100-person-retire');
  await page
    .getByRole('form', { name: 'Retire Lee Leaver' })
    .getByRole('button', {
      name: 'Retire Lee Leaver',
    })
    .click();
  const lee = page.getByRole('row', { name: /Lee Leaver/ });
  await expect(lee).toContainText(/retired \d{4}-\d{2}-\d{2}: left the force/);
  await expect(lee.getByRole('button')).toHaveCount(0);
  await screenshot(page, '101-people-after');
  await page.setViewportSize({ width: 320, height: 800 });
  await expect.poll(() => reachingPastTheRightEdge(page)).toEqual([]);
  await screenshot(page, '102-people-320');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Not offered on an account, and refused by the core if asked for anyway.
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /facebook:SuffolkRoadsPolicing/ }).click();
  await expect(page.getByLabel('Give access to').getByRole('option')).toHaveText([
    'Choose a person…',
    'Kay Patel-Jones',
  ]);
  const refused = await invokeFromPage(page, 'team.grant', {
    account: vault.accounts[1],
    person: 'Lee Leaver',
  });
  expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  expect(refused.error?.message).toContain('retired from the register');
  router.lock('asked');

  const check = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  expect(resolvePerson(check, 'Kay Patel-Jones').value).toMatchObject({
    staffNo: '4021',
    department: 'Roads Policing',
  });
  expect(resolvePerson(check, 'Kay Patel-Jones').value.retiredOn).toBeUndefined();
  expect(resolvePerson(check, 'Lee Leaver').value).toMatchObject({
    retireReason: 'left the force',
  });
  expect(entriesOfKind(check, 'person.updated').map((e) => e.details)).toEqual([
    expect.objectContaining({ changed: ['name', 'staffNo', 'department'] }),
  ]);
  expect(entriesOfKind(check, 'person.retired')).toHaveLength(1);
  expect(entriesOfKind(check, 'team.granted')).toHaveLength(1);
  check.close();
});

test('People: security staff are offered no edit or retire, and the core refuses them', async ({
  console: c,
  vault,
}) => {
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  addPerson(lead, { name: 'Lee Leaver' });
  lead.close();
  const { page } = c;
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'People' }).click();
  await expect(page.getByRole('row', { name: /Lee Leaver/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^(Edit|Retire) / })).toHaveCount(0);
  for (const [channel, payload] of [
    ['people.edit', { person: 'Lee Leaver', name: 'Someone Else' }],
    ['people.retire', { person: 'Lee Leaver', reason: 'because' }],
  ] as const) {
    expect(await invokeFromPage(page, channel, payload)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  }
});
