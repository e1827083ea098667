import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { memberNameTag, openSlot, storedKdf } from '../../electron/vault/keyring.ts';
import { schemaVersion, SCHEMA_VERSION } from '../../electron/vault/store/migrate.ts';
import {
  editVault,
  fileAndWal,
  resignStateAs,
  restoreRows,
  rowsOpenedBy,
  signingKeysOf,
} from '../attacks/insider.ts';
import { tagConfirms } from '../attacks/name-guesses.ts';
import { FORMAT_4_BEFORE_REMOVALS, PASSPHRASES, unlockAs } from './vault.ts';

/** The members of the format-4 fixture still in it, with their passphrases. */
const CURRENT = [
  { name: 'Lena Lead', passphrase: PASSPHRASES.lead },
  { name: 'Dev Dmt', passphrase: PASSPHRASES.dmt },
  { name: 'Ada Admin', passphrase: PASSPHRASES.admin },
  { name: 'Sam Security', passphrase: PASSPHRASES.security },
];

/** A salted slot of a format-4 file, found as the format-4 code found it (by the clear-salt tag). */
function format4Slot(path: string, name: string) {
  const db = new Database(path, { readonly: true });
  try {
    const { name_salt } = db.prepare('SELECT name_salt FROM vault_header').get() as {
      name_salt: Buffer;
    };
    const { id } = db
      .prepare('SELECT id FROM members WHERE name_tag = ?')
      .get(Buffer.from(memberNameTag(name_salt, name))) as { id: string };
    const slot = db.prepare('SELECT * FROM key_slots WHERE member_id = ?').get(id) as {
      kdf: string;
      salt: Buffer;
      version: number;
      sealed: Buffer;
    };
    return { id, slot: { ...slot, lookupTag: null } };
  } finally {
    db.close();
  }
}

const count = (path: string, sql: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/**
 * Upgrade a copy of a vault made by the format-4 code (the fixture, with or without a long trail
 * written by that code) and check it as issue 13 asks: it upgrades on the lead's unlock, `audit
 * verify` passes over the whole trail, every member still unlocks, and the attacks fail on it —
 * 14 (no clear tag confirms a member's name once they have unlocked), 4 (a leaver's carvable slot
 * is gone and their K_vault opens nothing), 3 (a leaver's restored rows get them nothing) and 8
 * (a deleted `rotation_due` row stops the unlock, naming the table).
 */
export async function upgradeAndAttack(source: string, dir: string): Promise<void> {
  const path = join(dir, 'upgraded.vault');
  copyFileSync(source, path);
  const entriesBefore = count(path, 'SELECT COUNT(*) AS n FROM audit_entries');
  // Dora Departed (dmt) left; before the upgrade her deleted slot is still in the file's free pages.
  const dora = format4Slot(FORMAT_4_BEFORE_REMOVALS, 'Dora Departed');
  const doraKeys = await openSlot(
    dora.id,
    dora.slot,
    storedKdf(dora.slot.kdf, 'slot'),
    'departed dmt passphrase',
  );
  const doraVaultKey = doraKeys!.legacyVaultKey!.reveal().slice();
  const rob = format4Slot(FORMAT_4_BEFORE_REMOVALS, 'Rob Removed');
  expect(tagConfirms(path, 'Lena Lead')).toBe(true);

  const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
  try {
    expect(schemaVersion(lead.db)).toBe(SCHEMA_VERSION);
    const report = await verifyVault(lead);
    expect(report).toMatchObject({ ok: true });
    expect(report.entries).toBeGreaterThan(entriesBefore);
  } finally {
    lead.close();
  }
  for (const member of CURRENT) (await unlockAs(path, member.name, member.passphrase)).close();

  // 14: every member has unlocked since, so no slot is found by a tag under the clear salt.
  for (const member of CURRENT) expect(tagConfirms(path, member.name), member.name).toBe(false);
  expect(count(path, 'SELECT COUNT(*) AS n FROM key_slots WHERE legacy_name_tag IS NOT NULL')).toBe(
    0,
  );
  // 4: the leaver's slot is not in the file, and the K_vault she kept opens no row of it (the
  // newest thousand entries stand for the trail: the key is the same for all of it).
  expect(fileAndWal(path).indexOf(dora.slot.sealed)).toBe(-1);
  const lastSeq = count(path, 'SELECT MAX(seq) AS n FROM audit_entries');
  const recent = (table: string, row: Record<string, unknown>) =>
    table !== 'audit_entries' || (row['seq'] as number) > lastSeq - 1000;
  expect(rowsOpenedBy(path, doraVaultKey, recent)).toEqual([]);

  // 3: the removed admin restores his members and key_slots rows from his copy (as a format-8
  // vault holds a slot not yet upgraded) and a current member signs them as the state.
  const restored = join(dir, 'restored.vault');
  copyFileSync(path, restored);
  restoreRows(restored, FORMAT_4_BEFORE_REMOVALS, [
    // As a format-9 vault holds a row its first unlock has not yet sealed (ADR 0028).
    `INSERT OR REPLACE INTO members (id, name_tag, box_public_key, sign_public_key, removed_at, legacy_role, legacy_certified_by, legacy_certified_at, legacy_certificate, version, sealed)
       SELECT id, name_tag, box_public_key, sign_public_key, removed_at, role, certified_by, certified_at, certificate, version, sealed FROM old.members WHERE id = '${rob.id}'`,
    `INSERT OR REPLACE INTO key_slots SELECT s.member_id, s.kdf, s.salt, NULL, m.name_tag, s.version, s.sealed
     FROM old.key_slots s JOIN old.members m ON m.id = s.member_id WHERE s.member_id = '${rob.id}'`,
  ]);
  resignStateAs(restored, await signingKeysOf(path, CURRENT[3]!));
  await expect(unlockAs(restored, 'Rob Removed', 'removed admin passphrase')).rejects.toMatchObject(
    { code: 'INTEGRITY' },
  );

  // 8: a deleted rotation_due row, with no one's signature, stops the next unlock.
  const cleared = join(dir, 'cleared.vault');
  copyFileSync(path, cleared);
  expect(count(cleared, 'SELECT COUNT(*) AS n FROM rotation_due')).toBeGreaterThan(0);
  editVault(cleared, 'DELETE FROM rotation_due');
  await expect(unlockAs(cleared, 'Lena Lead', PASSPHRASES.lead)).rejects.toMatchObject({
    code: 'INTEGRITY',
    message: expect.stringContaining('rotation_due'),
  });
}
