import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { addDevice, reportLostDevice } from '../../../electron/vault/domain/devices.ts';
import { addPerson } from '../../../electron/vault/domain/people.ts';
import { declareQuietPeriod } from '../../../electron/vault/domain/quiet-periods.ts';
import {
  computeDashboardSummary,
  storedDashboardSummary,
} from '../../../electron/vault/store/dashboard-summary.ts';
import { sqliteConnection } from '../../../electron/vault/store/connection.ts';
import { schemaVersion, SCHEMA_VERSION } from '../../../electron/vault/store/migrate.ts';
import { resignStateAs, signingKeysOf } from '../../attacks/insider.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

/**
 * Migration 010 (ADR 0027): a vault of format 9, whose latest checkpoint commits to a state with
 * no dashboard_summary table, opens after the upgrade (an empty table is left out of the
 * commitment), and its first unlock makes the summary from the registry, in its own audited write.
 */
describe('a vault from before the dashboard summary upgrades to it (migration 010)', () => {
  const dir = tempDir();
  const path = `${dir.dir}/format-9.vault`;

  beforeAll(async () => {
    const { accounts } = await populatedVault(path);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      const owner = addPerson(lead, { name: 'Pat Officer' }).id;
      addDevice(lead, { owner, kind: 'force', label: 'DMT phone 1', accounts });
      reportLostDevice(lead, { device: 'DMT phone 1' });
      declareQuietPeriod(lead, {
        accounts: [accounts[1]!],
        authority: 'Gold Commander',
        reason: 'Major incident',
      });
    } finally {
      lead.close();
    }
    // The file as format 9 left it: no summary table, and a checkpoint signed over a state that
    // never had one (made here as any member's own code could, with the format-9 table list).
    const keys = await signingKeysOf(path, { name: 'Lena Lead', passphrase: PASSPHRASES.lead });
    const db = new Database(path);
    // Format 9: without 010's summary and 011's policy records (empty, so outside the commitment).
    db.exec(`DROP TABLE dashboard_summary;
      DROP TABLE complaints; DROP TABLE channel_trials; DROP TABLE third_party_apps;
      DROP INDEX audit_app_additions;
      DELETE FROM state_digests WHERE table_name IN
        ('dashboard_summary', 'complaints', 'channel_trials', 'third_party_apps');
      PRAGMA user_version = 9;`);
    db.close();
    resignStateAs(path, keys);
  });
  afterAll(() => dir.cleanup());

  it('the first unlock migrates, keeps the signed state, and makes the summary from the registry', async () => {
    const before = sqliteConnection(new Database(path, { readonly: true }));
    expect(schemaVersion(before)).toBe(9);
    before.close();
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(schemaVersion(lead.db)).toBe(SCHEMA_VERSION);
      const summary = storedDashboardSummary(lead.db, lead.keys.vault);
      expect(summary).toEqual(computeDashboardSummary(lead.db, lead.keys.vault));
      expect(summary).toMatchObject({
        accounts: 2,
        openIncidents: [{ device: 'DMT phone 1', accountsLeft: 2, partiesLeft: 3 }],
        quietPeriods: [{ accounts: 'facebook:SuffolkRoadsPolicing', authority: 'Gold Commander' }],
      });
      expect(await verifyVault(lead)).toMatchObject({ ok: true });
    } finally {
      lead.close();
    }
    // And the next member in finds it committed to the state like every other row.
    const sam = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    try {
      expect(storedDashboardSummary(sam.db, sam.keys.vault)?.accounts).toBe(2);
      expect(await verifyVault(sam)).toMatchObject({ ok: true });
    } finally {
      sam.close();
    }
  });
});
