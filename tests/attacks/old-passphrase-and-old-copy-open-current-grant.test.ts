import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCredential } from '../../electron/vault/domain/credentials.ts';
import { changeOwnPassphrase } from '../../electron/vault/domain/members.ts';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { everyKeyOf, fileAndWal, opensAny, rowsOpenedBy, slotRow, wrapsOf } from './insider.ts';

/**
 * Issue 13, attack 5: a passphrase change kept the same keys, so the old passphrase and an old
 * copy of the file opened the current team grant, and with it every current credential. Now a
 * passphrase change makes the member a new X25519 key (re-certified in the signed chain) and
 * starts a new key epoch: new K_vault and team key, everything re-sealed (ADR 0019).
 */
const dev = { name: 'Dev Dmt', passphrase: PASSPHRASES.dmt };
const NEW_PASSPHRASE = 'a brand new dmt passphrase';

describe('an old passphrase with an old copy of the file opens nothing current (issue 13, attack 5)', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let accounts: string[];
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    ({ accounts } = await populatedVault(path));
  });
  afterEach(() => cleanup());

  it('the old keys open no current grant, no credential and nothing written after the change', async () => {
    const kept = `${dir}/kept-copy.vault`;
    copyFileSync(path, kept);
    // Whoever learned the old passphrase opens the old copy with it.
    const old = await everyKeyOf(kept, dev);
    const oldSlot = slotRow(path, old.id);

    const session = await unlockAs(path, dev.name, dev.passphrase);
    let lastSeqBefore: number;
    try {
      lastSeqBefore = (
        session.db.prepare('SELECT MAX(seq) AS n FROM audit_entries').get() as { n: number }
      ).n;
      await changeOwnPassphrase(session, NEW_PASSPHRASE);
      rotatePassword(session, accounts[0]!, {
        reason: 'scheduled',
        password: 'rotated-after-the-change-3',
      });
    } finally {
      session.close();
    }

    // The current team grant for the member, and every account key of the current file.
    expect(opensAny(old.box, grantsOf(path, old.id))).toBe(0);
    expect(opensAny(old.team!, wrapsOf(path, accounts[0]!))).toBe(0);
    expect(opensAny(old.team!, wrapsOf(path, accounts[1]!))).toBe(0);
    // Nothing sealed under K_vault after the change.
    expect(
      rowsOpenedBy(path, old.vault, (table, row) =>
        table === 'audit_entries' ? (row.seq as number) > lastSeqBefore : true,
      ),
    ).toEqual([]);
    // The old slot is not left in the file to be opened with the old passphrase.
    expect(fileAndWal(path).indexOf(oldSlot.sealed)).toBe(-1);
    await expect(unlockAs(path, dev.name, dev.passphrase)).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });

    // The member's new passphrase reads what the team reads.
    const again = await unlockAs(path, dev.name, NEW_PASSPHRASE);
    try {
      expect(openCredential(again, accounts[0]!).password).toBe('rotated-after-the-change-3');
      expect(openCredential(again, accounts[1]!).password).toBe('second-Password-2');
    } finally {
      again.close();
    }
  });
});

/** Every key grant (team key, and vault key where the file has them) sealed to the member. */
function grantsOf(path: string, memberId: string): { sealed_box: Buffer }[] {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE '%key_grants'")
      .all() as { name: string }[];
    return tables.flatMap(
      ({ name }) =>
        db.prepare(`SELECT sealed_box FROM ${name} WHERE member_id = ?`).all(memberId) as {
          sealed_box: Buffer;
        }[],
    );
  } finally {
    db.close();
  }
}
