import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../electron/vault/domain/account-creation.ts';
import { findMemberByName, removeMember } from '../../electron/vault/domain/members.ts';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { everyKeyOf, fileAndWal, opensAny, rowsOpenedBy, slotRow, wrapsOf } from './insider.ts';

/**
 * Issue 13, attack 4: a removed member kept K_vault. K_vault was never rotated and SQLite's
 * `secure_delete` was off, so the deleted key slot was still in the file's free pages; carving it
 * and using the old passphrase opened metadata, handles, audit details and fingerprints sealed
 * after the removal. Now a removal starts a new key epoch (ADR 0019): a new K_vault and team key,
 * every sealed row re-sealed under it, the old slot scrubbed from the file and its WAL.
 */
const dev = { name: 'Dev Dmt', passphrase: PASSPHRASES.dmt };

describe('a removed member who carves their old key slot opens nothing written after (issue 13, attack 4)', () => {
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

  it('the old slot is gone from the file and its WAL, and its keys open nothing written after the removal', async () => {
    // What the leaver has: their slot as it stood (to carve later) and a copy of the file.
    const kept = `${dir}/kept-copy.vault`;
    copyFileSync(path, kept);
    const leaver = await everyKeyOf(kept, dev);
    const oldSlot = slotRow(path, leaver.id);

    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    let newAccount: string;
    let lastSeqBefore: number;
    try {
      lastSeqBefore = lead.db.prepare('SELECT MAX(seq) AS n FROM audit_entries').get() as never;
      lastSeqBefore = (lastSeqBefore as unknown as { n: number }).n;
      expect(findMemberByName(lead, dev.name).id).toBe(leaver.id);
      removeMember(lead, dev.name);
      newAccount = createAccount(lead, {
        platform: 'instagram',
        handle: 'NorfolkCadets',
        force: 'norfolk',
        unitType: 'team',
        unitName: 'Police Cadets',
        username: 'norfolk-cadets',
        password: 'written-after-the-removal-1',
      }).id;
      rotatePassword(lead, accounts[0]!, {
        reason: 'membership-change',
        password: 'answers-the-leaver-2',
      });
    } finally {
      lead.close();
    }

    // Carving: the old slot's sealed bytes (and its salt beside them) are nowhere in the file or WAL.
    const bytes = fileAndWal(path);
    expect(bytes.indexOf(oldSlot.sealed)).toBe(-1);
    expect(bytes.indexOf(oldSlot.sealed.subarray(24, 56))).toBe(-1);

    // The old passphrase's keys (from the carved slot, or the kept copy) open nothing written
    // after the removal: not the new account, its audit entries, nor the rotation's records.
    const afterRemoval = rowsOpenedBy(path, leaver.vault, (table, row) =>
      table === 'audit_entries' ? (row.seq as number) > lastSeqBefore : true,
    );
    expect(afterRemoval).toEqual([]);
    // Nor any key: no team grant, no account-key wrap of the new or the rotated account.
    expect(opensAny(leaver.box, teamGrants(path))).toBe(0);
    expect(opensAny(leaver.team!, wrapsOf(path, newAccount))).toBe(0);
    expect(opensAny(leaver.team!, wrapsOf(path, accounts[0]!))).toBe(0);

    // The rest of the team carries on: the lead and the remaining dmt member read everything.
    const check = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    check.close();
  });
});

function teamGrants(path: string): { sealed_box: Buffer }[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT sealed_box FROM team_key_grants').all() as { sealed_box: Buffer }[];
  } finally {
    db.close();
  }
}
