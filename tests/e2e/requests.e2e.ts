import { addPerson } from '../../electron/vault/domain/people.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { entriesOfKind } from '../helpers/audit.ts';
import { expect, expectAccessible, invokeFromPage, screenshot, test, unlock } from './fixtures.ts';

test('a request goes through line manager, Head of Department and the DML, then set-up (9.2-9.6)', async ({
  console: c,
  vault,
}) => {
  const session = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  addPerson(session, { name: 'Kay Patel', masterclassOn: '2026-01-10' });
  session.close();
  const { page } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Requests' }).click();
  await expect(page.getByText('No request is waiting.')).toBeVisible();
  const form = page.getByRole('form', { name: /Request a new account/ });
  await form.getByLabel('Platform').selectOption('instagram');
  await form.getByLabel('Handle').fill('BrecklandPolice');
  await form.getByLabel(/Unit type/).selectOption('individual');
  await form.getByLabel('Unit name').fill('Breckland');
  await form.getByLabel('Requested by').selectOption({ label: 'Kay Patel' });
  await form.getByLabel('Purpose (9.3)').fill('Neighbourhood engagement');
  await form.getByLabel('Aims and objectives (9.3)').fill('Reach residents under 30');
  await form.getByRole('button', { name: 'Record the request' }).click();
  await expect(page.getByRole('alert')).toContainText('9.5');
  await form.getByLabel(/Unit type/).selectOption('district');
  await form.getByRole('button', { name: 'Record the request' }).click();
  await expect(page.getByRole('status')).toContainText('now needs its approvals');
  const request = page.getByRole('region', { name: 'Request: instagram:BrecklandPolice' });
  for (const who of ['Insp. Amy Lowe', 'Supt. Raj Singh', 'Lena Lead']) {
    await request.getByLabel(/who approved/).fill(who);
    await request.getByRole('button', { name: 'Record approval' }).click();
    await expect(request).toContainText(who);
  }
  await expectAccessible(page);
  await screenshot(page, '19-request-approved');
  await request.getByLabel('Username on the platform').fill('breckland-ig');
  await request.getByLabel('Password set on the platform').fill('Breck-Password-2026');
  await request.getByRole('button', { name: 'Register the login and make it active' }).click();
  await expect(page.getByRole('status')).toContainText('set up and active');
  await expect(page.getByText('No request is waiting.')).toBeVisible();
});

test('the Digital Media Lead refuses a request with a reason and another platform (9.5): closed, noted and audited', async ({
  console: c,
  vault,
}) => {
  const session = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  addPerson(session, { name: 'Kay Patel', masterclassOn: '2026-01-10' });
  session.close();
  const { page } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Requests' }).click();
  const form = page.getByRole('form', { name: /Request a new account/ });
  await form.getByLabel('Platform').selectOption('tiktok');
  await form.getByLabel('Handle').fill('DissPolice');
  await form.getByLabel(/Unit type/).selectOption('district');
  await form.getByLabel('Unit name').fill('Diss');
  await form.getByLabel('Requested by').selectOption({ label: 'Kay Patel' });
  await form.getByLabel('Purpose (9.3)').fill('Youth engagement');
  await form.getByLabel('Aims and objectives (9.3)').fill('Reach residents under 25');
  await form.getByRole('button', { name: 'Record the request' }).click();
  const request = page.getByRole('region', { name: 'Request: tiktok:DissPolice' });
  for (const who of ['Insp. Amy Lowe', 'Supt. Raj Singh']) {
    await request.getByLabel(/who approved/).fill(who);
    await request.getByRole('button', { name: 'Record approval' }).click();
    await expect(request).toContainText(who);
  }
  // The DML's step: approve, or refuse with the reason and perhaps another platform.
  await request.getByLabel(/who approved/).fill('Lena Lead');
  await request.getByRole('button', { name: 'Refuse the request…' }).click();
  const refusal = request.getByRole('group', { name: 'Refuse tiktok:DissPolice' });
  await expect(refusal.getByRole('button', { name: 'Refuse tiktok:DissPolice' })).toBeDisabled();
  await refusal
    .getByLabel(/Why the Digital Media Lead refuses it/)
    .fill('Audience better reached on Instagram');
  await refusal.getByLabel('Suggest another platform instead').selectOption('instagram');
  await expectAccessible(page);
  await screenshot(page, '19b-request-refusal');
  await refusal.getByRole('button', { name: 'Refuse tiktok:DissPolice' }).click();
  await expect(page.getByRole('status')).toContainText('refused by the Digital Media Lead (9.5)');
  await expect(page.getByText('No request is waiting.')).toBeVisible();

  c.router.lock('asked');
  const check = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  const [decision] = entriesOfKind(check, 'account.approval').filter(
    (e) => e.details['approver'] === 'dml',
  );
  check.close();
  expect(decision!.details).toMatchObject({
    by: 'Lena Lead',
    refused: 'Audience better reached on Instagram',
    suggested: 'instagram',
  });
});

test('closing an account needs Corporate Communications consulted first (9.11)', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  addPerson(lead, { name: 'Kay Patel' });
  lead.close();
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /facebook:SuffolkRoadsPolicing/ }).click();
  await page.getByRole('button', { name: 'Close this account (9.11)…' }).click();
  const form = page.getByRole('form', { name: 'Close the account' });
  await form.getByLabel('Corporate Communications consulted on').fill('2026-11-20');
  await form.getByLabel('Public told on').fill('2026-11-21');
  await form.getByLabel('Where the public should go instead').fill('facebook:SuffolkPolice');
  await screenshot(page, '20-close-account');
  await form.getByRole('button', { name: 'Close the account' }).click();
  // Asked once more, since a closure is not undone; "Not yet" closes nothing.
  const confirm = form.getByRole('group', { name: 'Confirm the closure' });
  await expect(confirm).toContainText('nobody can be given access');
  await expect(confirm.getByRole('button', { name: 'Yes, close it' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Not yet' }).click();
  await expect(page.locator('.facts')).toContainText('active');
  await form.getByRole('button', { name: 'Close the account' }).click();
  await confirm.getByRole('button', { name: 'Yes, close it' }).click();

  // Said where the person is looking, focus on the account, and in its history.
  await expect(page.getByRole('status')).toContainText(
    'facebook:SuffolkRoadsPolicing is closed (9.11) and recorded in its history',
  );
  await expect(page.getByRole('heading', { name: 'facebook:SuffolkRoadsPolicing' })).toBeFocused();
  await expect(page.locator('.facts')).toContainText('closed');
  await expect(page.locator('.timeline')).toContainText(
    'closed (9.11); Corporate Communications consulted on 2026-11-20',
  );
  // No rotation and no new access on a closed account; the list marks it.
  await expect(page.getByRole('button', { name: 'Rotate password…' })).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Give access' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Close this account/ })).toHaveCount(0);
  await expect(page.getByRole('option', { name: /facebook:SuffolkRoadsPolicing/ })).toContainText(
    'Closed',
  );
  await expectAccessible(page);
  await screenshot(page, '20b-account-closed');
  // The core refuses it too, whatever the window shows.
  const refused = await invokeFromPage(page, 'team.grant', {
    account: 'facebook:SuffolkRoadsPolicing',
    person: 'Kay Patel',
  });
  expect(refused).toMatchObject({ ok: false, error: { message: /is closed \(9\.11\)/ } });
});

test('9.8: an account registered directly has its approvals recorded afterwards, which answers the approval-missing finding', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Requests' }).click();
  const steps = page.getByRole('region', { name: 'Approvals: x:NorfolkPolice' });
  await expect(steps).toBeVisible();
  await expect(steps).not.toContainText('set it up');
  for (const who of ['Insp. Amy Lowe', 'Supt. Raj Singh']) {
    await steps.getByLabel(/who approved/).fill(who);
    await steps.getByRole('button', { name: 'Record approval' }).click();
    await expect(steps).toContainText(who);
  }
  await expectAccessible(page);
  await screenshot(page, '45-approvals-for-account-in-use');
  await steps.getByLabel(/who approved/).fill('Lena Lead');
  await steps.getByRole('button', { name: 'Record approval' }).click();
  await expect(steps).toHaveCount(0);
  const detail = await invokeFromPage(page, 'accounts.detail', { account: 'x:NorfolkPolice' });
  expect(detail).toMatchObject({ ok: true, value: { account: { status: 'active' } } });
  const findings = (detail.value as { findings: { rule: string }[] }).findings;
  expect(findings.map((f) => f.rule)).not.toContain('approval-missing');
});
