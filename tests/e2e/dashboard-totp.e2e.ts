import { TOTP } from 'otpauth';
import { setCredentialExtras } from '../../electron/vault/domain/credential-extras.ts';
import { addDevice, reportLostDevice } from '../../electron/vault/domain/devices.ts';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { declareQuietPeriod } from '../../electron/vault/domain/quiet-periods.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { healthSummariesTable } from '../../electron/vault/store/registry-tables.ts';
import { expect, expectAccessible, invokeFromPage, screenshot, test, unlock } from './fixtures.ts';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

test('the dashboard shows quiet periods in force (6.6) and open lost-device incidents (10.1)', async ({
  console: c,
  vault,
}) => {
  const session = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  declareQuietPeriod(session, {
    accounts: 'all',
    authority: 'Chief Constable',
    reason: 'Pre-election period',
  });
  addPerson(session, { name: 'Kay Patel', masterclassOn: '2026-01-10' });
  addDevice(session, {
    owner: 'Kay Patel',
    kind: 'force',
    label: 'Kay work phone',
    accounts: vault.accounts,
  });
  reportLostDevice(session, { device: 'Kay work phone' });
  session.close();
  const { page } = c;
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  const quiet = page.getByRole('note', { name: 'Quiet periods in force' });
  await expect(quiet).toContainText(
    'every account: Pre-election period (on the authority of Chief Constable',
  );
  await expect(
    page.getByText(
      /Kay work phone, lost .*: 3 of 3 parties still to tell, 2 accounts still to rotate/,
    ),
  ).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, '21-dashboard-quiet-and-incident');
  await page.getByRole('button', { name: 'Open the wizard' }).click();
  await expect(page.getByRole('region', { name: /Lost: Kay work phone/ })).toBeVisible();
  // Security staff follow the incident but record nothing.
  await expect(page.getByRole('button', { name: /^Record .* told$/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Not exposed/ })).toHaveCount(0);
  await expect(page.getByRole('region', { name: /Lost: Kay work phone/ })).toContainText(
    'ICT Service Desk: not yet told',
  );
});

test('the DMT declares a quiet period for chosen accounts (6.6), the account says do not post, and it is ended', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Declare a quiet period…' }).click();
  const form = page.getByRole('form', { name: 'Declare a quiet period (6.6)' });
  await form.getByLabel('Only these accounts').check();
  await form.getByLabel(/Accounts \(hold Ctrl/).selectOption({ label: 'x:NorfolkPolice' });
  await form.getByLabel(/On whose authority/).fill('Gold Commander');
  await form.getByLabel('Reason').fill('Major incident: Thetford flooding');
  await expectAccessible(page);
  await screenshot(page, '25-declare-quiet-period');
  await form.getByRole('button', { name: 'Declare the quiet period' }).click();
  const quiet = page.getByRole('note', { name: 'Quiet periods in force' });
  await expect(quiet).toContainText(
    'x:NorfolkPolice: Major incident: Thetford flooding (on the authority of Gold Commander',
  );
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.getByRole('note', { name: 'Quiet period (6.6)' })).toHaveText(
    'Do not post: quiet period ordered by Gold Commander (Major incident: Thetford flooding).',
  );
  await page.getByRole('option', { name: /facebook:SuffolkRoadsPolicing/ }).click();
  await expect(page.getByRole('heading', { name: 'facebook:SuffolkRoadsPolicing' })).toBeVisible();
  await expect(page.getByRole('note', { name: 'Quiet period (6.6)' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Dashboard' }).click();
  await page.getByRole('button', { name: 'End the quiet period for x:NorfolkPolice' }).click();
  // 6.6: ending needs the authority and a reason, as declaring did; the button waits for both.
  const end = page.getByRole('form', { name: 'End the quiet period for x:NorfolkPolice' });
  const submit = end.getByRole('button', { name: 'End the quiet period', exact: true });
  await expect(submit).toBeDisabled();
  await end.getByLabel(/On whose authority it ends/).fill('SIO DCI Grey');
  await expect(submit).toBeDisabled();
  await end.getByLabel('Why posting may resume').fill('Flood warning lifted');
  await expectAccessible(page);
  await screenshot(page, '41-end-quiet-period');
  await submit.click();
  await expect(page.getByRole('status')).toContainText('Quiet period ended');
  await expect(quiet).toHaveCount(0);
  const trail = await invokeFromPage(page, 'audit.page', {
    offset: 0,
    limit: 10,
    filters: { kind: 'quiet-period.ended' },
  });
  expect(trail).toMatchObject({
    ok: true,
    value: { rows: [expect.objectContaining({ reason: 'Flood warning lifted' })] },
  });
});

test('security staff see quiet periods but cannot declare one, and the channel refuses them', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Declare a quiet period…' })).toHaveCount(0);
  const refused = await invokeFromPage(page, 'quiet.declare', {
    accounts: 'all',
    authority: 'Nobody',
    reason: 'Testing',
  });
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});

test('the TOTP code is shown with a reason, counts down, and matches the secret', async ({
  console: c,
  vault,
}) => {
  const session = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  setCredentialExtras(session, vault.accounts[0]!, { totpSecret: SECRET });
  session.close();
  const { page } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await page.getByRole('button', { name: 'Show TOTP code' }).click();
  await expect(page.getByRole('alert')).toContainText('reason');
  await page.getByLabel(/Reason for access/).fill('logging in to post the appeal');
  await page.getByRole('button', { name: 'Show TOTP code' }).click();
  const shown = await page.getByTestId('totp-code').textContent();
  const expected = [-30_000, 0].map((skew) =>
    new TOTP({ secret: SECRET, digits: 6, period: 30 }).generate({ timestamp: Date.now() + skew }),
  );
  expect(expected).toContain(shown);
  await expect(
    page.getByRole('progressbar', { name: 'Seconds until the code changes' }),
  ).toBeVisible();
  await screenshot(page, '22-totp');
});

test('the trend chart has dates and a value axis, and stays legible at 30 days and four-digit counts', async ({
  console: c,
  vault,
}) => {
  // Thirty days of a large force's open findings, as the daily summary records them.
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  lead.write(({ db, now, audit }) => {
    for (let i = 0; i < 30; i++) {
      const day = new Date(Date.UTC(2026, 10, 1 + i)).toISOString().slice(0, 10);
      const total = 1200 + ((i * 379) % 2900);
      healthSummariesTable.insert(
        db,
        lead.keys.vault,
        day,
        { recorded_at: now },
        { total, counts: {} },
      );
      audit({ kind: 'health.summarised', details: { day, total } });
    }
  });
  lead.close();
  const { page } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  const chart = page.locator('figure.trend');
  await expect(chart).toContainText('Open findings by day (last 30 days recorded)');
  // A value axis from 0 to a round top, and about six dates along the bottom.
  await expect(chart.locator('.trend-axis text')).toHaveText(['0', '2,500', '5,000']);
  const dates = await chart.locator('.trend-date').allTextContents();
  expect(dates.length).toBeGreaterThanOrEqual(5);
  for (const d of dates) expect(d).toMatch(/^\d{2}-\d{2}$/);
  // Every day is in the image's name for a screen reader, with its count.
  await expect(chart.getByRole('img')).toHaveAttribute('aria-label', /2026-11-02: 1,579;/);
  // No two labels overlap.
  const overlaps = await page.evaluate<number>(`(() => {
    const boxes = [...document.querySelectorAll('figure.trend svg text')].map((t) => t.getBoundingClientRect());
    let n = 0;
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) n++;
      }
    return n;
  })()`);
  expect(overlaps).toBe(0);
  await chart.scrollIntoViewIfNeeded();
  await screenshot(page, '04b-trend-30-days');
});
