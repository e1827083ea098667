import { listTrials } from '../../electron/vault/domain/trials.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import {
  expect,
  expectNoAxeViolations,
  reachingPastTheRightEdge,
  screenshot,
  test,
  unlock,
} from './fixtures.ts';

test('3.4: the DMT requests a trial the policy may not cover; the DML takes it to the Deputy Chief Constables and records their decision', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Requests' }).click();
  const section = page.getByRole('region', { name: 'New-channel trials (3.4)' });
  await expect(section).toContainText('No trial on a new channel has been requested');
  await section.getByRole('button', { name: 'Request a trial on a new channel…' }).click();
  const form = section.getByRole('form', { name: 'Request a trial on a new channel' });
  // A channel the forces already use (3.3) is refused, saying what to do instead.
  await form.getByLabel('New channel (a platform the forces do not yet use)').fill('Twitter');
  await form.getByLabel('What the trial is for').fill('More reach');
  await form.getByLabel('Requested by').fill('Insp. Reed');
  await form.getByRole('button', { name: 'Request trial' }).click();
  await expect(section.getByRole('alert')).toContainText('Request an account on it instead');
  await form
    .getByLabel('New channel (a platform the forces do not yet use)')
    .fill('WhatsApp Channels');
  await form.getByLabel('What the trial is for').fill('Neighbourhood alerts for Norwich');
  await form.getByLabel('Department or district (optional)').fill('Norwich district');
  await form.getByLabel(/The policy may not cover this/).check();
  await form.getByRole('button', { name: 'Request trial' }).click();
  await expect(section.getByRole('status')).toContainText(
    'takes it to the Deputy Chief Constables',
  );
  await expect(page.getByRole('heading', { name: 'New-channel trials (3.4)' })).toBeFocused();
  const trial = section.getByRole('article', { name: 'Trial on WhatsApp Channels' });
  await expect(trial).toContainText('Waiting for the Digital Media Lead');
  // Only the DML decides: the DMT sees no decision control.
  await expect(trial.getByRole('button')).toHaveCount(0);
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Lock' }).click();

  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Requests' }).click();
  const asLead = page.getByRole('article', { name: 'Trial on WhatsApp Channels' });
  // Not covered by the policy: the DML alone neither approves nor refuses it (3.4).
  await expect(asLead.getByRole('button', { name: 'Approve trial' })).toHaveCount(0);
  await asLead.getByLabel('Your reasons (recorded)').fill('Data held outside the UK: for the DCCs');
  await asLead.getByRole('button', { name: 'Take to the Deputy Chief Constables' }).click();
  await expect(
    page.getByText(/is with the Deputy Chief Constables; record their decision/),
  ).toBeVisible();
  await expect(asLead).toContainText('With the Deputy Chief Constables');
  const dcc = asLead.getByRole('form', {
    name: "The Deputy Chief Constables' decision on WhatsApp Channels",
  });
  await dcc.getByLabel('Their decision').selectOption('refuse');
  await dcc.getByLabel('Decided by (Deputy Chief Constable)').fill('DCC Smith');
  await dcc
    .getByLabel('What they said')
    .fill('Not until a data-protection impact assessment is done');
  await expectNoAxeViolations(page);
  await screenshot(page, 'p15-trial-escalated');
  await dcc.getByRole('button', { name: 'Record their decision' }).click();
  await expect(
    page.getByText("The Deputy Chief Constables' decision on WhatsApp Channels is recorded (3.4)."),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'New-channel trials (3.4)' })).toBeFocused();
  await expect(asLead).toContainText('Refused');
  await expect(asLead).toContainText('Deputy Chief Constables (DCC Smith,');
  await page.setViewportSize({ width: 320, height: 900 });
  await asLead.scrollIntoViewIfNeeded();
  await screenshot(page, 'p15-trial-decided-320');
  expect(await reachingPastTheRightEdge(page)).toEqual([]);
  await expectNoAxeViolations(page);

  const sam = await unlockAs(vault.path, 'Sam Security', PASSPHRASES.security);
  try {
    const [held] = listTrials(sam);
    expect(held!.value).toMatchObject({
      platform: 'WhatsApp Channels',
      coveredByPolicy: false,
      status: 'refused',
      recordedBy: 'Dev Dmt',
      department: 'Norwich district',
      dml: { decision: 'escalate', by: 'Lena Lead' },
      dcc: { decision: 'refuse', by: 'DCC Smith', recordedBy: 'Lena Lead' },
    });
    expect(held!.clear.decided_on).not.toBeNull();
  } finally {
    sam.close();
  }
});
