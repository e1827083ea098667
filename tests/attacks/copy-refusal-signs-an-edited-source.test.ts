import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { addMember, removeMember } from '../../electron/vault/domain/members.ts';
import { sqliteConnection } from '../../electron/vault/store/connection.ts';
import { stateDigestStore } from '../../electron/vault/store/state-digest.ts';
import { copyVault } from '../../electron/vault/vault-copy.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { editVault } from './insider.ts';

/**
 * Found in review (issue 14, ADR 0032): `vault copy` verifies the source, then writes its own entry
 * and the session's lock into the source before the snapshot. That write's checkpoint signed the
 * source's `state_digests` as they then stood, so an insider who deleted a rotation-due finding
 * (policy 10.2) after the verification and patched the stored digests to match had it signed into
 * the SOURCE by the lead, although the copy itself was then refused: `audit verify` of the source
 * said it was sound. The lock write now holds the rows to the signed state first (the file's
 * data_version moved): it is refused, nothing is signed, and the source still fails verification.
 * On the server: tests/attacks/server-operator-edits-a-row-between-two-checks-of-an-open-session.test.ts.
 */
const lead = { name: 'Lena Lead', passphrase: PASSPHRASES.lead };

describe('a refused copy signs an edit made to the source after its verification', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = join(dir, 'team.vault');
    await populatedVault(path);
    // A dmt member leaves: both accounts are owed a rotation (10.2).
    const setup = await unlockAs(path, lead.name, lead.passphrase);
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
  });
  afterEach(() => cleanup());

  async function copyWith(edit: () => void): Promise<unknown> {
    const session = await unlockAs(path, lead.name, lead.passphrase);
    try {
      return await copyVault(session, join(dir, 'backup.vault'), { onVerified: edit });
    } finally {
      session.abandon();
    }
  }

  async function sourceVerifies(): Promise<boolean> {
    const check = await unlockAs(path, lead.name, lead.passphrase).catch(() => undefined);
    if (!check) return false;
    try {
      return (await verifyVault(check)).ok;
    } finally {
      check.close();
    }
  }

  it('the finding deleted and the digests patched: the lock write is refused, and the source still fails verification', async () => {
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
        /state_digests does not match.*changed after it was verified, so it was not copied and nothing was signed/,
      ),
    });
    expect(existsSync(join(dir, 'backup.vault'))).toBe(false);
    expect(await sourceVerifies()).toBe(false);
  });

  it('the finding deleted alone: refused naming the rotation_due table, the source still fails verification', async () => {
    await expect(copyWith(() => editVault(path, 'DELETE FROM rotation_due'))).rejects.toMatchObject(
      {
        code: ErrorCode.INTEGRITY,
        message: expect.stringMatching(/the rotation_due table does not match/),
      },
    );
    expect(await sourceVerifies()).toBe(false);
  });

  it('left alone, the copy is made and the source verifies', async () => {
    await expect(copyWith(() => undefined)).resolves.toMatchObject({ entries: expect.any(Number) });
    expect(await sourceVerifies()).toBe(true);
  });
});
