import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { grantAccess } from '../../electron/vault/domain/teams.ts';
import { listAccounts } from '../../electron/vault/domain/accounts.ts';
import { openVaultFile } from '../../electron/vault/store/connection.ts';
import { unlockVault } from '../../electron/vault/vault.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { expect, expectAccessible, screenshot, test, unlock } from './fixtures.ts';

/** Audit entries in the file, for "the vault holds afterwards". */
function entryCount(path: string): number {
  const db = openVaultFile(path, { create: false });
  try {
    return db.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get() as number;
  } finally {
    db.close();
  }
}

test('a DMT member backs the vault up from Settings; the copy opens, and an existing file or a missing folder is refused with nothing written', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByRole('form', { name: 'Back up the vault' });
  const backup = `${vault.dir}/custodian-backup-2026-12-02.vault`;
  await panel.getByLabel('Save the backup to (a new file)').fill(backup);
  await panel.getByRole('button', { name: 'Back up now' }).click();
  await expect(panel.getByRole('status')).toContainText(
    'Backed up to custodian-backup-2026-12-02.vault',
  );
  await expect(panel.getByRole('status')).toContainText('integrity checked');
  await expectAccessible(page);
  await panel.getByRole('status').scrollIntoViewIfNeeded();
  await screenshot(page, '15-backup-made');

  // The backup is the vault: it opens with the lead's passphrase and holds both accounts.
  const copy = await unlockVault(backup, {
    memberName: 'Lena Lead',
    passphrase: PASSPHRASES.lead,
  });
  try {
    expect(
      listAccounts(copy)
        .map((a) => a.handle)
        .sort(),
    ).toEqual(['NorfolkPolice', 'SuffolkRoadsPolicing']);
  } finally {
    copy.close();
  }

  // The same name again: never replaced, the first backup untouched.
  const before = readFileSync(backup);
  const mtime = statSync(backup).mtimeMs;
  await panel.getByRole('button', { name: 'Back up now' }).click();
  await expect(panel.getByRole('alert')).toContainText(
    'custodian-backup-2026-12-02.vault already exists, and a backup never replaces a file; nothing was written',
  );
  expect(readFileSync(backup).equals(before)).toBe(true);
  expect(statSync(backup).mtimeMs).toBe(mtime);
  await panel.getByRole('alert').scrollIntoViewIfNeeded();
  await screenshot(page, '15-backup-exists');

  // A folder that is not there: said plainly, and no file appears.
  const missing = `${vault.dir}/no-such-folder/backup.vault`;
  await panel.getByLabel('Save the backup to (a new file)').fill(missing);
  await panel.getByRole('button', { name: 'Back up now' }).click();
  await expect(panel.getByRole('alert')).toContainText('nothing was written');
  expect(existsSync(missing)).toBe(false);

  // The vault's own file is never a backup's destination.
  await panel.getByLabel('Save the backup to (a new file)').fill(vault.path);
  await panel.getByRole('button', { name: 'Back up now' }).click();
  await expect(panel.getByRole('alert')).toBeVisible();
  expect(existsSync(vault.path)).toBe(true);
});

test('security staff may back up too (every secret stays sealed), and a file in the way is left alone', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  mkdirSync(`${vault.dir}/kept`, { recursive: true });
  const inTheWay = `${vault.dir}/kept/notes.vault`;
  writeFileSync(inTheWay, 'not a vault');
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByRole('form', { name: 'Back up the vault' });
  await panel.getByLabel('Save the backup to (a new file)').fill(inTheWay);
  await panel.getByRole('button', { name: 'Back up now' }).click();
  await expect(panel.getByRole('alert')).toContainText('already exists');
  expect(readFileSync(inTheWay, 'utf8')).toBe('not a vault');
  await panel.getByLabel('Save the backup to (a new file)').fill(`${vault.dir}/kept/sam.vault`);
  await panel.getByRole('button', { name: 'Back up now' }).click();
  await expect(panel.getByRole('status')).toContainText('Backed up to sam.vault');
  expect(statSync(`${vault.dir}/kept/sam.vault`).size).toBeGreaterThan(0);
});

test('the lead plans ahead: health as of a later day shows the refresher that will be overdue, and writes nothing', async ({
  console: c,
  vault,
}) => {
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  try {
    const today = lead.clock();
    // A masterclass eleven months ago: the annual refresher (11.1) falls due within weeks.
    const masterclass = new Date(
      Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 11, today.getUTCDate()),
    );
    addPerson(lead, { name: 'Kay Patel', masterclassOn: masterclass.toISOString().slice(0, 10) });
    grantAccess(lead, { account: vault.accounts[0]!, person: 'Kay Patel' });
  } finally {
    lead.close();
  }
  const { page } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await expect(page.getByRole('heading', { name: /Due this week/ })).toBeVisible();
  const plan = page.getByRole('region', { name: 'Plan ahead' });
  await expect(plan.getByLabel('Health as of')).not.toHaveValue('');
  // Today Kay Patel is up to date: nothing of hers is due this week.
  await expect(page.getByRole('table').first()).not.toContainText('Kay Patel');
  const entries = entryCount(vault.path);

  const later = new Date();
  later.setUTCMonth(later.getUTCMonth() + 3);
  const day = later.toISOString().slice(0, 10);
  await plan.getByLabel('Health as of').fill(day);
  await plan.getByRole('button', { name: 'Show what will be due' }).click();
  const heading = plan.getByRole('heading', { name: new RegExp(`As of ${day}: \\d+ finding`) });
  await expect(heading).toBeVisible();
  await expect(heading).toBeFocused();
  const row = plan.getByRole('row').filter({ hasText: 'Kay Patel' });
  await expect(row).toContainText('11.1');
  await expect(plan.getByRole('list', { name: `Findings by severity as of ${day}` })).toContainText(
    '(today',
  );
  await expectAccessible(page);
  await row.scrollIntoViewIfNeeded();
  await screenshot(page, '15-plan-ahead');
  // Evaluating a day ahead keeps no summary and writes no entry.
  expect(entryCount(vault.path)).toBe(entries);
});
