import { addThirdPartyApp } from '../../electron/vault/domain/third-party-apps.ts';
import { listComplaints } from '../../electron/vault/domain/complaints.ts';
import { requestTrial } from '../../electron/vault/domain/trials.ts';
import { entriesOfKind } from '../helpers/audit.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { expect, expectAccessible, screenshot, test, unlock } from './fixtures.ts';

test("a complaint recorded in the console is in the account's history at once, beside its apps; the audit trail names it, the trial and the app instead of ids", async ({
  console: c,
  vault,
}) => {
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  let trial: string;
  try {
    addThirdPartyApp(lead, {
      account: vault.accounts[0]!,
      name: 'Orlo',
      addedBy: 'corporate-communications',
      addedByName: 'Corporate Communications',
      addedOn: '2026-10-01',
      reaches: ['publish'],
    });
    trial = requestTrial(lead, {
      platform: 'Threads',
      purpose: 'Reach younger audiences',
      requestedBy: 'PC Lowe',
      coveredByPolicy: true,
    }).id;
  } finally {
    lead.close();
  }
  const { page } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  const history = page.getByRole('list').filter({ has: page.getByText('registered in the vault') });
  await expect(history).toContainText(
    'third-party app Orlo added by Corporate Communications on 2026-10-01, reaching publish (6.3, 10.2)',
  );

  await page.getByRole('button', { name: 'Record a complaint or breach…' }).click();
  const form = page.getByRole('form', { name: 'Record a complaint about x:NorfolkPolice' });
  await form.getByLabel('What it is (6.4)').selectOption({ label: 'Breach of the policy' });
  await form.getByLabel('What happened (no passwords)').fill('Login shared in a group chat');
  await form.getByLabel('Received on').fill('2026-11-20');
  await form.getByRole('button', { name: 'Record' }).click();
  await expect(
    page.getByText('Breach of the policy recorded. Refer it to line management first (6.4).'),
  ).toBeVisible();
  await expect(history).toContainText('Breach of the policy recorded, received 2026-11-20 (6.4)');
  await history.getByText('Breach of the policy recorded').scrollIntoViewIfNeeded();
  await screenshot(page, '15-history-complaint-and-app');

  // The vault holds the complaint and the entry that recorded it, naming it by id.
  const check = await unlockAs(vault.path, 'Sam Security', PASSPHRASES.security);
  let complaint: string;
  try {
    [complaint] = listComplaints(check).map((x) => x.id) as [string];
    expect(entriesOfKind(check, 'complaint.recorded').at(-1)!.details).toMatchObject({
      complaint,
    });
  } finally {
    check.close();
  }

  await page.getByRole('button', { name: 'Audit trail' }).click();
  const entries = page.getByRole('list', { name: 'Audit entries' }).getByRole('listitem');
  const recorded = entries.filter({ hasText: 'Complaint or breach recorded (6.4)' });
  await expect(recorded).toContainText('Breach of the policy received 2026-11-20');
  await expect(recorded).not.toContainText(complaint);
  await expect(entries.filter({ hasText: 'New-channel trial requested (3.4)' })).toContainText(
    /Threads trial requested \d{4}-\d{2}-\d{2}/,
  );
  await expect(entries.filter({ hasText: 'New-channel trial requested (3.4)' })).not.toContainText(
    trial,
  );
  const added = entries.filter({ hasText: 'Third-party app added (6.3, 10.2)' });
  await added.first().getByRole('button').click();
  const detail = page.getByRole('region', { name: /^Entry #\d+: Third-party app added/ });
  await expect(detail).toContainText(/App\s*Orlo/);
  await expect(detail).toContainText(/Added by\s*Corporate Communications/);
  await expect(detail.locator('dd').filter({ hasText: /^[0-9a-f]{32}$/ })).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, '15-audit-app-entry-named');
});
