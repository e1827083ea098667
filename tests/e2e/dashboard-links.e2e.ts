import { addPerson } from '../../electron/vault/domain/people.ts';
import { grantAccess, revokeAccess } from '../../electron/vault/domain/teams.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { expect, expectAccessible, screenshot, test, unlock } from './fixtures.ts';

test('the dashboard names no CLI command: each finding links to the console screen that deals with it', async ({
  console: c,
  vault,
}) => {
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  // Kay uses x without a masterclass (11.1); Lee left it after the last rotation (10.2).
  addPerson(lead, { name: 'Kay Patel' });
  addPerson(lead, { name: 'Lee Leaver', masterclassOn: '2026-01-10' });
  grantAccess(lead, { account: vault.accounts[0]!, person: 'Kay Patel' });
  grantAccess(lead, { account: vault.accounts[0]!, person: 'Lee Leaver', on: '2026-01-01' });
  revokeAccess(lead, { account: vault.accounts[0]!, person: 'Lee Leaver' });
  lead.close();

  const { page } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  const due = page.getByRole('table');
  await expect(due).toBeVisible();
  await expect(page.getByRole('main')).not.toContainText('custodian ');
  await expectAccessible(page);
  await screenshot(page, '103-dashboard-links');

  const rowOf = (clause: string) => due.getByRole('row').filter({ hasText: clause }).first();
  await rowOf('11.1').getByRole('button', { name: 'Record the training (11.1)' }).click();
  await expect(page.getByRole('heading', { name: 'People and training' })).toBeVisible();

  await page.getByRole('button', { name: 'Dashboard' }).click();
  await rowOf('10.2')
    .getByRole('button', { name: 'Rotate the password on the account (10.2)' })
    .click();
  await expect(page.getByRole('heading', { name: 'x:NorfolkPolice' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Rotate password…' })).toBeVisible();

  await page.getByRole('button', { name: 'Dashboard' }).click();
  const approval = due.getByRole('row').filter({ hasText: 'approval recorded' }).first();
  await expect(approval).toContainText('(Requests; 9.2, 9.5, 6.6)');
  await approval.getByRole('button', { name: 'Record the approvals (9.2, 9.5)' }).click();
  await expect(page.getByRole('heading', { name: 'Requests', level: 1 })).toBeVisible();
});
