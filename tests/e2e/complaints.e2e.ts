import { listComplaints } from '../../electron/vault/domain/complaints.ts';
import { entriesOfKind } from '../helpers/audit.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import {
  expect,
  expectNoAxeViolations,
  reachingPastTheRightEdge,
  screenshot,
  test,
  unlock,
} from './fixtures.ts';

test('6.4: a breach is recorded, referred to line management, its outcome recorded and closed; the list marks it while open', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  const heading = page.getByRole('heading', { name: /^Complaints and breaches \(6\.4\)/ });
  await expect(heading).toBeVisible();
  // The empty state says what to do and where it goes (6.4).
  await expect(
    page.getByText(/No complaint or breach is recorded for x:NorfolkPolice/),
  ).toContainText('line management first');
  await page.getByRole('button', { name: 'Record a complaint or breach…' }).click();
  const form = page.getByRole('form', { name: 'Record a complaint about x:NorfolkPolice' });
  await form.getByLabel('What it is (6.4)').selectOption({ label: 'Breach of the policy' });
  await form.getByLabel('What happened (no passwords)').fill('Login shared in a group chat');
  await form.getByLabel('Received on').fill('2026-11-20');
  await form.getByLabel('Raised by (optional)').fill('Sgt Moss');
  await form.getByRole('button', { name: 'Record' }).click();
  await expect(
    page.getByText('Breach of the policy recorded. Refer it to line management first (6.4).'),
  ).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'Complaints and breaches (6.4): 1 open' }),
  ).toBeFocused();
  const item = page.getByRole('article', { name: 'Breach of the policy received 2026-11-20' });
  await expect(item).toContainText('Not yet referred');
  // The finding (6.4) and the list marker say it is open.
  await expect(page.locator('.finding-list')).toContainText('not yet referred to line management');
  await expect(page.getByRole('option', { name: /x:NorfolkPolice/ })).toContainText(
    'Open complaint (6.4)',
  );
  await expect(page.getByRole('option', { name: /SuffolkRoadsPolicing/ })).not.toContainText(
    'Open complaint',
  );
  await expectNoAxeViolations(page);
  await screenshot(page, 'p15-complaint-recorded');

  // Line management is the only body offered first.
  await item.getByRole('button', { name: 'Refer to line management…' }).click();
  const refer = item.getByRole('form', { name: 'Refer the complaint' });
  await expect(refer.getByLabel('Refer to').getByRole('option')).toHaveText(['Line management']);
  await refer.getByLabel('Referred on').fill('2026-11-21');
  await refer.getByLabel('Their reference (optional)').fill('LM-77');
  await refer.getByRole('button', { name: 'Refer' }).click();
  await expect(page.getByText('Referred to line management on 2026-11-21 (6.4).')).toBeVisible();
  await expect(item).toContainText('Open referral');
  await expect(item).toContainText(
    'Referred to line management on 2026-11-21 (ref. LM-77): awaiting the outcome',
  );
  await expect(page.locator('.finding-list')).toContainText(
    'open referral to line management since 2026-11-21',
  );

  await item.getByRole('button', { name: 'Record outcome from line management' }).click();
  const outcome = item.getByRole('form', { name: 'Outcome from line management' });
  await outcome.getByLabel('What they decided or found').fill('Words of advice; password rotated');
  await outcome.getByLabel('Outcome on').fill('2026-11-22');
  await outcome.getByRole('button', { name: 'Record outcome' }).click();
  await expect(page.getByText('Outcome from line management recorded.')).toBeVisible();
  await item.getByRole('button', { name: 'Close complaint…' }).click();
  const close = item.getByRole('form', { name: 'Close the complaint' });
  await close.getByLabel('What came of it').fill('Advice given; no further action');
  await close.getByRole('button', { name: 'Close complaint' }).click();
  await expect(page.getByText('Complaint closed and recorded in the trail.')).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'Complaints and breaches (6.4)', exact: true }),
  ).toBeFocused();
  await expect(item).toContainText('Closed');
  await expect(page.getByRole('option', { name: /x:NorfolkPolice/ })).not.toContainText(
    'Open complaint',
  );
  await expect(page.locator('.finding-list')).not.toContainText('6.4');
  await expectNoAxeViolations(page);
  await screenshot(page, 'p15-complaint-closed');

  // The vault holds it: the referral with its date, reference and outcome, and every step audited.
  const sam = await unlockAs(vault.path, 'Sam Security', PASSPHRASES.security);
  try {
    const [held] = listComplaints(sam);
    expect(held!.clear).toMatchObject({ account_id: vault.accounts[0], received_on: '2026-11-20' });
    expect(held!.clear.closed_on).not.toBeNull();
    expect(held!.value).toMatchObject({
      kind: 'breach',
      raisedBy: 'Sgt Moss',
      recordedBy: 'Dev Dmt',
      outcome: 'Advice given; no further action',
      referrals: [
        {
          to: 'line-management',
          on: '2026-11-21',
          reference: 'LM-77',
          outcome: 'Words of advice; password rotated',
          outcomeOn: '2026-11-22',
        },
      ],
    });
    expect(
      ['complaint.recorded', 'complaint.referred', 'complaint.outcome', 'complaint.closed'].map(
        (kind) => entriesOfKind(sam, kind as 'complaint.recorded').length,
      ),
    ).toEqual([1, 1, 1, 1]);
  } finally {
    sam.close();
  }
});

test('6.4 at 320 CSS px: the complaint and its form reflow, and security staff read it with no control to change it', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await page.setViewportSize({ width: 320, height: 900 });
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await page.getByRole('button', { name: 'Record a complaint or breach…' }).click();
  const form = page.getByRole('form', { name: 'Record a complaint about x:NorfolkPolice' });
  await form
    .getByLabel('What happened (no passwords)')
    .fill('A rude reply to a member of the public');
  await form.getByLabel('Received on').fill('2026-11-25');
  await form.getByRole('button', { name: 'Record' }).click();
  const item = page.getByRole('article', { name: 'Serious complaint received 2026-11-25' });
  await item.getByRole('button', { name: 'Refer to line management…' }).click();
  await item.getByRole('form', { name: 'Refer the complaint' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'p15-complaint-refer-320');
  expect(await reachingPastTheRightEdge(page)).toEqual([]);
  await page.getByRole('button', { name: 'Lock' }).click();

  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  const read = page.getByRole('article', { name: 'Serious complaint received 2026-11-25' });
  await expect(read).toContainText('Not yet referred');
  await expect(read.getByRole('button')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Record a complaint or breach…' })).toHaveCount(0);
  await read.scrollIntoViewIfNeeded();
  await screenshot(page, 'p15-complaint-security-320');
  expect(await reachingPastTheRightEdge(page)).toEqual([]);
  await expectNoAxeViolations(page);
});
