import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditedTransaction } from '../../electron/vault/audit/log.ts';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { signingPublicKeyOf } from '../../electron/vault/crypto/keys.ts';
import { addDevice, reportLostDevice } from '../../electron/vault/domain/devices.ts';
import { addPerson } from '../../electron/vault/domain/people.ts';
import type { VaultSession } from '../../electron/vault/session.ts';
import { sqliteConnection } from '../../electron/vault/store/connection.ts';
import { storedDashboardSummary } from '../../electron/vault/store/dashboard-summary.ts';
import { stateDigestStore } from '../../electron/vault/store/state-digest.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { restoreRows, signingKeysOf, type SigningKeys, keepCopy, putBack } from './insider.ts';

/**
 * Issue 17 (ADR 0027): the dashboard's first screen is one sealed summary row. A DMT phone is
 * lost (10.1) and the dashboard says so; an insider who wants it forgotten copies the summary row
 * back from a copy of the file taken before the loss (a genuine sealed row, so it opens), or edits
 * its bytes. The row is a state table (ADR 0020): unlock and verify refuse the file, naming it.
 * And if a member also signs the restored row into the state with their own keys, the summary
 * still names the digests of the tables it was made from, which have moved on since: the unlock
 * refuses it, naming it, rather than show no lost device (a console already open refuses it too).
 */
describe('a dashboard summary rolled back to hide a lost device is refused (issue 17)', () => {
  const dir = tempDir();
  const path = `${dir.dir}/summary.vault`;
  const beforeTheLoss = `${dir.dir}/before-the-loss.vault`;
  const pristine = `${dir.dir}/pristine.vault`;
  let lead: VaultSession;
  let sam: SigningKeys;

  beforeAll(async () => {
    const { accounts } = await populatedVault(path);
    const dmt = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      const owner = addPerson(dmt, { name: 'Pat Officer' }).id;
      addDevice(dmt, { owner, kind: 'force', label: 'DMT phone 3', accounts: [accounts[0]!] });
      dmt.close();
      keepCopy(path, beforeTheLoss);
      const again = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
      reportLostDevice(again, { device: 'DMT phone 3' });
      expect(storedDashboardSummary(again.db, again.keys.vault)?.openIncidents).toMatchObject([
        { device: 'DMT phone 3', accountsLeft: 1, partiesLeft: 3 },
      ]);
      again.close();
    } catch (error) {
      if (!dmt.closed) dmt.close();
      throw error;
    }
    sam = await signingKeysOf(path, { name: 'Sam Security', passphrase: PASSPHRASES.security });
    keepCopy(path, pristine);
    // A session open before the edit, as a console left open would be.
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    restoreRows(path, beforeTheLoss, [putBack('dashboard_summary')]);
  });
  afterAll(() => dir.cleanup());

  it('the restored row opens, but the open console refuses it instead of showing no lost device', () => {
    expect(() => storedDashboardSummary(lead.db, lead.keys.vault)).toThrow(
      expect.objectContaining({
        code: 'INTEGRITY',
        message: expect.stringContaining('dashboard_summary'),
      }),
    );
  });

  it('audit verify fails, naming the dashboard_summary table', async () => {
    try {
      const report = await verifyVault(lead);
      expect(report.ok).toBe(false);
      expect(report.ok ? '' : `${report.where} ${report.problem}`).toContain('dashboard_summary');
    } finally {
      lead.abandon();
    }
  });

  it('unlock is refused as tampering, naming the dashboard_summary table', async () => {
    for (const [name, passphrase] of [
      ['Lena Lead', PASSPHRASES.lead],
      ['Sam Security', PASSPHRASES.security],
    ] as const) {
      await expect(unlockAs(path, name, passphrase)).rejects.toMatchObject({
        code: 'INTEGRITY',
        message: expect.stringContaining('dashboard_summary'),
      });
    }
  });

  it('a hand-edited summary row is refused at unlock, naming the table', async () => {
    const edited = `${dir.dir}/edited.vault`;
    copyFileSync(pristine, edited);
    // One bit of the sealed blob flipped, as a hex editor would.
    const file = new Database(edited);
    try {
      const sealed = file
        .prepare("SELECT sealed FROM dashboard_summary WHERE id = 'current'")
        .pluck()
        .get() as Buffer;
      sealed[40] = sealed[40]! ^ 1;
      file.prepare("UPDATE dashboard_summary SET sealed = ? WHERE id = 'current'").run(sealed);
    } finally {
      file.close();
    }
    await expect(unlockAs(edited, 'Lena Lead', PASSPHRASES.lead)).rejects.toMatchObject({
      code: 'INTEGRITY',
      message: expect.stringContaining('dashboard_summary'),
    });
  });

  it('signed into the state by a member, the old summary still stops the unlock, naming it', async () => {
    const resigned = `${dir.dir}/resigned.vault`;
    copyFileSync(pristine, resigned);
    // The member's own script: the older row copied back and only its table's digest moved, in
    // a transaction of their own whose checkpoint they sign, so the state check is satisfied.
    const file = new Database(resigned);
    const db = sqliteConnection(file);
    try {
      file.prepare('ATTACH DATABASE ? AS old').run(beforeTheLoss);
      auditedTransaction(
        db,
        {
          vaultId: sam.vaultId,
          vaultKey: sam.vaultKey,
          actor: {
            memberId: sam.memberId,
            signing: { secretKey: sam.signing, publicKey: signingPublicKeyOf(sam.signing) },
          },
        },
        new Date().toISOString(),
        (writable, audit) => {
          file.exec('INSERT OR REPLACE INTO dashboard_summary SELECT * FROM old.dashboard_summary');
          const digest = stateDigestStore
            .recompute(writable)
            .find((d) => d.table === 'dashboard_summary')!;
          stateDigestStore.write(writable, digest);
          audit({ kind: 'session.locked' });
        },
      );
    } finally {
      db.close();
    }
    // The state check passes now; the summary's own digests of its tables do not.
    await expect(unlockAs(resigned, 'Lena Lead', PASSPHRASES.lead)).rejects.toMatchObject({
      code: 'INTEGRITY',
      message: expect.stringContaining(
        'dashboard_summary row current was not made from the registry',
      ),
    });
  });
});
