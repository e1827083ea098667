import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { addMember, removeMember } from '../../electron/vault/domain/members.ts';
import { revealPassword } from '../../electron/vault/domain/reveal.ts';
import {
  openAuditDetails,
  sealAuditDetails,
} from '../../electron/vault/store/audit-entry-codec.ts';
import type { AuditEntryRow } from '../../electron/vault/store/audit-store.ts';
import { sqliteConnection } from '../../electron/vault/store/connection.ts';
import { stateDigestStore } from '../../electron/vault/store/state-digest.ts';
import { copyVault } from '../../electron/vault/vault-copy.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { editVault, signingKeysOf, type SigningKeys } from './insider.ts';

/**
 * Issue 14 review, ADR 0032: `vault copy` verifies the source in full, then snapshots it. Whoever
 * can write the source (a member with sqlite3 on the file here; another workstation or the
 * server's operator alike) changes it in between, and the copy carried the change cell for cell:
 * a copy that looks verified, of a vault that never was. The copy is now checked itself against
 * the head the source verified to (every leaf recomputed from its opened entry, the state digests
 * from its rows): refused as an integrity error, and no file is left, not even a partial one. A
 * change to the state is refused sooner, by the state check of the copier's own lock write
 * (tests/attacks/copy-refusal-signs-an-edited-source.test.ts).
 */
const dmt = { name: 'Dev Dmt', passphrase: PASSPHRASES.dmt };

describe('the source is changed between the copy’s verification and its snapshot', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let account: string;
  let insider: SigningKeys;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = join(dir, 'team.vault');
    [account] = (await populatedVault(path)).accounts as [string];
    // A dmt member leaves: both accounts are owed a rotation (10.2), two rotation_due rows.
    const setup = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      await addMember(setup, {
        name: 'Lee Leaver',
        role: 'dmt',
        passphrase: 'leaving dmt phrase 5',
      });
      expect(removeMember(setup, 'Lee Leaver').accountsMarked).toBe(2);
    } finally {
      setup.close();
    }
    const dev = await unlockAs(path, dmt.name, dmt.passphrase);
    try {
      revealPassword(dev, account, 'posting for the operation');
    } finally {
      dev.close();
    }
    insider = await signingKeysOf(path, dmt);
  });
  afterEach(() => cleanup());

  /** Copy as the lead, with `edit` made by the insider once the source has verified. */
  async function copyWith(edit: () => void, to = join(dir, 'backup.vault')) {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      const report = await copyVault(lead, to, { onVerified: edit });
      lead.close();
      return report;
    } catch (error) {
      // As the router does on a refusal: let go without writing (a lock entry would be refused too).
      lead.abandon();
      throw error;
    }
  }

  function expectNothingWritten(): void {
    expect(existsSync(join(dir, 'backup.vault'))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('backup'))).toEqual([]);
  }

  it('a reveal’s reason rewritten and re-sealed under K_vault, its leaf hash kept: refused, naming the entry', async () => {
    const rewrite = () => {
      const db = new Database(path);
      try {
        const row = db
          .prepare(
            "SELECT * FROM audit_entries WHERE kind = 'credential.revealed' ORDER BY seq DESC LIMIT 1",
          )
          .get() as AuditEntryRow;
        const details = openAuditDetails(insider.vaultKey, row);
        const sealed = sealAuditDetails(insider.vaultKey, row, {
          ...details,
          reason: 'routine check',
        });
        db.prepare('UPDATE audit_entries SET sealed = ? WHERE seq = ?').run(
          Buffer.from(sealed),
          row.seq,
        );
      } finally {
        db.close();
      }
    };
    await expect(copyWith(rewrite)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringMatching(
        /changed after it was verified: in the copy, audit entry #\d+ does not match its leaf hash.*The copy was not kept; nothing was written to .*backup\.vault.*Information Security/,
      ),
    });
    expectNothingWritten();
  });

  it('a rotation-due finding (10.2) deleted and the stored state digests made to match, so the copier’s own checkpoint would sign it: refused before that write', async () => {
    const clearFinding = () => {
      const db = sqliteConnection(new Database(path));
      try {
        db.inWriteTransaction(() => {
          db.prepare('DELETE FROM rotation_due').run();
          stateDigestStore.replaceAll(db, stateDigestStore.recompute(db));
        });
      } finally {
        db.close();
      }
    };
    await expect(copyWith(clearFinding)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringMatching(
        /state_digests does not match the state the latest signed checkpoint commits to.*changed after it was verified, so it was not copied and nothing was signed; nothing was written to .*backup\.vault/,
      ),
    });
    expectNothingWritten();
  });

  it('a registry row deleted with sqlite3 alone: refused as an integrity error naming the table', async () => {
    const deleteRow = () => editVault(path, 'DELETE FROM rotation_due');
    await expect(copyWith(deleteRow)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringMatching(/the rotation_due table does not match/),
    });
    expectNothingWritten();
  });

  it('left alone, the same copy is made', async () => {
    const report = await copyWith(() => undefined);
    expect(report.entries).toBeGreaterThan(2);
    expect(existsSync(join(dir, 'backup.vault'))).toBe(true);
  });
});
