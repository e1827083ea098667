import { readFileSync, writeFileSync } from 'node:fs';
import { PROGRESS_EVENT } from '../../shared/ipc/channels.ts';
import { verifyExport } from '../../electron/vault/audit/verify-export.ts';
import { keyFingerprint } from '../../electron/vault/trust/chain.ts';
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

// The trail is shown in the member's zone: a London workstation (issue 15).
test.use({ timezoneId: 'Europe/London', locale: 'en-GB' });

test('security staff read the trail newest first, verify it, and see the checkpoint to keep', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Audit trail' }).click();
  const entries = page.getByRole('list', { name: 'Audit entries' }).getByRole('listitem');
  // Newest first: opening the dashboard recorded today's health summary after the unlock.
  // Events in words, not kinds (issue 15).
  await expect(entries.first()).toContainText('Health summary recorded');
  await expect(entries.first()).toContainText('Sam Security');
  await expect(entries.nth(1)).toContainText('Unlocked');
  await expect(page.getByText(/\d+ entries, newest first/)).toBeVisible();
  await expect(entries.getByText('Account registered').first()).toBeVisible();
  await expect(entries.getByText('account.created')).toHaveCount(0);
  // The member's own zone, named in the heading, with ISO dates.
  await expect(page.getByText('When (Europe/London)')).toBeVisible();
  await expect(entries.first()).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} GMT/);
  await expect(page.getByLabel(/Current signed checkpoint/)).toHaveValue(
    /^custodian\.vault\/[0-9a-f]+/,
  );
  await page.getByRole('button', { name: 'Verify the vault and trail' }).click();
  await expect(page.getByRole('status')).toContainText('verify');
  await expect(page.locator('.verdict.ok')).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, '08-audit');
});

test("a vault altered behind the app's back fails verification, naming the entry", async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Audit trail' }).click();
  await expect(page.getByText(/\d+ entries, newest first/)).toBeVisible();
  // Someone with the file edits an entry's time: the leaf no longer matches.
  const { openVaultFile } = await import('../../electron/vault/store/connection.ts');
  const db = openVaultFile(vault.path, { create: false });
  db.prepare("UPDATE audit_entries SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 3").run();
  db.close();
  await page.getByRole('button', { name: 'Verify the vault and trail' }).click();
  // Another connection committed, so the session checks the vault before it answers (issue 14,
  // ADR 0024): the altered entry is named, and the vault is refused, not verified.
  await expect(page.getByRole('heading', { name: 'Custodian refused this vault' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('audit_entries row 3');
  await screenshot(page, '09-audit-tampered');
});

test('security staff export the trail for a case file and the bundle verifies offline', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Audit trail' }).click();
  await page.getByText('Export the trail (JSON Lines, CSV or PDF)').click();
  await page.getByLabel('Save to (file path)').fill(`${vault.dir}/case.jsonl`);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Exported' })).toContainText(
    /Exported \d+ entries/,
  );
  await screenshot(page, '18-audit-exported');
  const verdict = await verifyExport(`${vault.dir}/case.jsonl`);
  expect(verdict).toMatchObject({ ok: true });
  expect(readFileSync(`${vault.dir}/case.jsonl`, 'utf8')).not.toContain('first-Password-1');

  await page.getByLabel('Format').selectOption('csv');
  await page.getByLabel('Save to (file path)').fill(`${vault.dir}/no-such-folder/case.csv`);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('does not exist; nothing was written');
});

test('the audit view shows the founder fingerprint an investigator checks an export against (issue 13)', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  // What the core computes from the founder's own signing key (Lena Lead founded the vault).
  const founder = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  const expected = keyFingerprint(founder.keys.signing.publicKey);
  founder.close();
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Audit trail' }).click();
  const shown = page.getByLabel('Founder fingerprint');
  await expect(shown).toHaveText(expected);
  await expect(page.getByText(/custodian audit verify-export --founder/)).toContainText(expected);
  await shown.scrollIntoViewIfNeeded();
  await expectAccessible(page);
  await screenshot(page, '08b-audit-founder-fingerprint');

  // The fingerprint as shown anchors an export made here; another vault's founder does not.
  await page.getByText('Export the trail (JSON Lines, CSV or PDF)').click();
  await page.getByLabel('Save to (file path)').fill(`${vault.dir}/case.jsonl`);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Exported' })).toBeVisible();
  const text = (await shown.textContent()) ?? '';
  expect(await verifyExport(`${vault.dir}/case.jsonl`, { founder: text })).toMatchObject({
    ok: true,
  });
  const other = keyFingerprint(new Uint8Array(32).fill(7));
  expect(await verifyExport(`${vault.dir}/case.jsonl`, { founder: other })).toMatchObject({
    ok: false,
  });
});

test('an export to a file that exists asks first, and replaces it only on "Replace"; never the vault', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  const out = `${vault.dir}/case.csv`;
  writeFileSync(out, 'an earlier export, kept\n');
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Audit trail' }).click();
  await page.getByText('Export the trail (JSON Lines, CSV or PDF)').click();
  await page.getByLabel('Format').selectOption('csv');
  await page.getByLabel('Save to (file path)').fill(out);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('case.csv already exists. Replace it');
  await expectAccessible(page);
  await screenshot(page, '18b-audit-export-replace');
  await page.getByRole('button', { name: 'Keep it' }).click();
  await expect(page.getByRole('button', { name: 'Replace' })).toHaveCount(0);
  expect(readFileSync(out, 'utf8')).toBe('an earlier export, kept\n');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByRole('button', { name: 'Replace' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Exported' })).toContainText(
    /Exported \d+ entries/,
  );
  expect(readFileSync(out, 'utf8')).toMatch(/^Sequence,/);

  // The vault's own file is refused outright: no question, nothing written.
  const before = readFileSync(vault.path);
  await page.getByLabel('Save to (file path)').fill(vault.path);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('the vault itself');
  await expect(page.getByRole('button', { name: 'Replace' })).toHaveCount(0);
  expect(readFileSync(vault.path).length).toBeGreaterThanOrEqual(before.length);
});

test('security staff narrow the log to one member, one kind of event and one account', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  // Dev reveals two passwords first, each with a reason.
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  for (const [account, reason] of [
    ['x:NorfolkPolice', 'posting the missing-person appeal'],
    ['facebook:SuffolkRoadsPolicing', 'replying to a complaint'],
  ] as const) {
    const reveal = await invokeFromPage(page, 'credentials.reveal', { account, reason });
    expect(reveal.ok).toBe(true);
  }
  await page.getByRole('button', { name: 'Lock' }).click();
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Audit trail' }).click();
  await expect(page.getByText(/\d+ entries, newest first/)).toBeVisible();

  const filters = page.getByRole('form', { name: 'Filter the log' });
  await filters.getByLabel('Event').selectOption('credential.revealed');
  await filters.getByLabel('Who (member name)').fill('Dev Dmt');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByText('2 entries match, newest first')).toBeVisible();
  const entries = page.getByRole('list', { name: 'Audit entries' }).getByRole('listitem');
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toContainText('replying to a complaint');
  await expect(entries.nth(1)).toContainText('posting the missing-person appeal');

  await filters.getByLabel('Account (platform:handle)').fill('x:NorfolkPolice');
  await filters.getByLabel('Account (platform:handle)').press('Enter');
  await expect(page.getByText('1 entry matches, newest first')).toBeVisible();
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText('Dev Dmt');
  await expectAccessible(page);
  await screenshot(page, '27-audit-filtered');

  // A name that is no member says so, and Clear brings back the whole trail.
  await filters.getByLabel('Who (member name)').fill('Nobody Here');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('alert')).toContainText('No current member is named "Nobody Here"');
  await filters.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByText(/\d+ entries, newest first/)).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(filters.getByLabel('Who (member name)')).toHaveValue('');
});

test('only lead and security see the export', async ({ console: c, vault }) => {
  const { page } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Audit trail' }).click();
  await expect(page.getByText(/\d+ entries, newest first/)).toBeVisible();
  await expect(page.getByText('Export the trail (JSON Lines, CSV or PDF)')).toHaveCount(0);
});

test('verify and export show how far they have got on a long trail', async ({
  console: c,
  vault,
}) => {
  test.setTimeout(120_000);
  const { page } = c;
  // A long trail, through the real append path: long enough for a bar to be seen moving.
  const session = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  session.write(({ audit }) => {
    for (let i = 0; i < 60_000; i++) {
      audit({ kind: 'health.summarised', details: { reason: `a day of the year ${i}` } });
    }
  });
  session.close();

  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Audit trail' }).click();
  await expect(page.getByText(/\d+ entries, newest first/)).toBeVisible();
  // Everything main reports, as the window hears it.
  await page.evaluate((name) => {
    const seen: unknown[] = [];
    const page = globalThis as unknown as EventTarget & { seenProgress: unknown[] };
    page.seenProgress = seen;
    page.addEventListener(name, (e) => seen.push((e as CustomEvent).detail));
  }, PROGRESS_EVENT);
  const seen = () =>
    page.evaluate(
      () =>
        (globalThis as unknown as { seenProgress: { task: string; done: number; total: number }[] })
          .seenProgress,
    );

  await page.getByRole('button', { name: 'Verify the vault and trail' }).click();
  const bar = page.getByRole('progressbar', { name: 'Verifying' });
  await expect(bar).toHaveAttribute('value', /^[1-9]\d*$/);
  await expect(page.getByText(/[\d,]+ of [\d,]+ entries \(\d+%\)/)).toBeVisible();
  await screenshot(page, '26-audit-verify-progress');
  await expect(page.locator('.verdict.ok')).toBeVisible({ timeout: 60_000 });
  await expect(bar).toHaveCount(0);
  const verifying = (await seen()).filter((p) => p.task === 'verify');
  expect(verifying.length).toBeGreaterThan(10);
  expect(verifying.map((p) => p.done)).toEqual(
    [...verifying.map((p) => p.done)].sort((a, b) => a - b),
  );
  expect(verifying.at(-1)!.done).toBe(verifying.at(-1)!.total);

  await page.getByText('Export the trail (JSON Lines, CSV or PDF)').click();
  await page.getByLabel('Save to (file path)').fill(`${vault.dir}/long.jsonl`);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Exported' })).toBeVisible({
    timeout: 60_000,
  });
  const exporting = (await seen()).filter((p) => p.task === 'export');
  expect(exporting.length).toBeGreaterThan(10);
  expect(exporting.at(-1)).toEqual({
    task: 'export',
    done: exporting.at(-1)!.total,
    total: exporting.at(-1)!.total,
  });
  expect(exporting.at(-1)!.total).toBeGreaterThan(60_000);
  expect(await verifyExport(`${vault.dir}/long.jsonl`)).toMatchObject({ ok: true });
});

test('an entry opens in full, with names instead of ids, and its own evidence saves and verifies offline', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Audit trail' }).click();
  const entries = page.getByRole('list', { name: 'Audit entries' }).getByRole('listitem');
  const added = entries.filter({ hasText: 'Member added' }).filter({ hasText: 'Sam Security' });
  await added.first().getByRole('button').click();

  const detail = page.getByRole('region', { name: /^Entry #\d+: Member added$/ });
  await expect(detail).toBeVisible();
  // Focus goes to what was opened.
  await expect(detail.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(detail).toContainText('member.added');
  await expect(detail).toContainText(/Role\s*security/);
  await expect(detail).toContainText(/in UTC, as the trail records it/);
  // A member is named, never shown as an id, and no detail reads "null".
  await expect(detail.locator('dd').filter({ hasText: /^[0-9a-f]{32}$/ })).toHaveCount(0);
  await expect(detail).not.toContainText('null');
  const seq = Number((await detail.getByRole('heading').textContent())!.match(/#(\d+)/)![1]);
  await expectAccessible(page);
  await screenshot(page, '28-audit-entry-open');

  const checkpointBefore = await page.getByLabel(/Current signed checkpoint/).inputValue();
  const out = `${vault.dir}/entry-${seq}.json`;
  await detail.getByLabel('Save this entry as evidence (file path)').fill(out);
  await detail.getByRole('button', { name: 'Save evidence' }).click();
  await expect(detail.getByRole('status')).toContainText(`Saved the evidence for entry #${seq}`);
  const verdict = await verifyExport(out);
  expect(verdict).toMatchObject({ ok: true, kind: 'evidence' });
  // Saving it was recorded, and the checkpoint shown is the new one.
  await expect(page.getByLabel(/Current signed checkpoint/)).not.toHaveValue(checkpointBefore);
  await expect(entries.first()).toContainText('Trail exported');

  // Saving over that file asks first.
  await detail.getByRole('button', { name: 'Save evidence' }).click();
  await expect(detail.getByRole('alert')).toContainText('already exists');
  await detail.getByRole('button', { name: 'Keep it' }).click();

  // Escape closes it, and focus goes back to the row it came from.
  await detail.getByRole('button', { name: `Close entry #${seq}` }).focus();
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(page.locator(`[data-seq="${seq}"]`)).toBeFocused();
});

test('the export takes the CLI’s filters and says what each kind of file can prove', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Audit trail' }).click();
  await page.getByText('Export the trail (JSON Lines, CSV or PDF)').click();
  const panel = page.getByRole('form', { name: 'Export the trail' });
  await panel.getByLabel('Format').selectOption('csv');
  await panel.getByLabel('Save to (file path)').fill(`${vault.dir}/members.csv`);
  await panel.getByLabel('Event').selectOption('member.added');
  await panel.getByLabel('Who (member name)').fill('Lena Lead');
  await panel.getByRole('button', { name: 'Export', exact: true }).click();
  const status = panel.getByRole('status');
  await expect(status).toContainText(/Exported \d+ entries/);
  await expect(status).toContainText('A spreadsheet cannot prove itself');
  await expect(status).not.toContainText('verify-export');
  const lines = readFileSync(`${vault.dir}/members.csv`, 'utf8').trim().split('\n').slice(1);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line).toContain('member.added');
  await expectAccessible(page);
  await screenshot(page, '29-audit-export-filtered');
});

test('at 320 CSS px (1280 px at 400% zoom) the trail reflows: nothing cut off, no sideways scrolling', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await page.setViewportSize({ width: 320, height: 800 });
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Audit trail' }).click();
  const entries = page.getByRole('list', { name: 'Audit entries' }).getByRole('listitem');
  await expect(entries.first()).toContainText('Health summary recorded');
  await entries.first().scrollIntoViewIfNeeded();
  await screenshot(page, '30-audit-reflow-320');
  // Nothing on the screen, rows and their cells included, reaches past its right edge.
  expect(await reachingPastTheRightEdge(page)).toEqual([]);
  await expectAccessible(page);
});
