import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { readySodium } from '../../../electron/vault/crypto/sodium.ts';
import { revealPassword } from '../../../electron/vault/domain/reveal.ts';
import { memberNameTag, openSlot, storedKdf } from '../../../electron/vault/keyring.ts';
import { schemaVersion, SCHEMA_VERSION } from '../../../electron/vault/store/migrate.ts';
import { fileAndWal, rowsOpenedBy } from '../../attacks/insider.ts';
import {
  FORMAT_4_BEFORE_REMOVALS,
  FORMAT_4_FIXTURE,
  PASSPHRASES,
  tempDir,
  unlockAs,
} from '../../helpers/vault.ts';

/**
 * Migration 006 and the first unlock after it (ADR 0019): a vault from before key epochs, whose
 * one K_vault every member and leaver ever held, and whose free pages still hold the deleted slots
 * of its removed members (secure_delete was off), moves to a new K_vault: everything re-sealed,
 * the file rebuilt, the old slots gone.
 */
/** A slot of the format-4 file, salted (read before any unlock upgrades it). */
interface Slot {
  id: string;
  kdf: string;
  salt: Buffer;
  lookupTag: null;
  version: number;
  sealed: Buffer;
}

function slotOf(copy: string, name: string): Slot {
  const db = new Database(copy, { readonly: true });
  try {
    const salt = (db.prepare('SELECT name_salt FROM vault_header').get() as { name_salt: Buffer })
      .name_salt;
    const { id } = db
      .prepare('SELECT id FROM members WHERE name_tag = ?')
      .get(Buffer.from(memberNameTag(salt, name))) as { id: string };
    return {
      id,
      lookupTag: null,
      ...(db.prepare('SELECT * FROM key_slots WHERE member_id = ?').get(id) as Omit<
        Slot,
        'id' | 'lookupTag'
      >),
    };
  } finally {
    db.close();
  }
}

describe('a vault from before key epochs upgrades to them (migration 006)', () => {
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    await readySodium();
    let dir: string;
    ({ dir, cleanup } = tempDir());
    path = `${dir}/old.vault`;
    copyFileSync(FORMAT_4_FIXTURE, path);
  });
  afterEach(() => cleanup());

  it("the leavers' carvable slots are gone, the old K_vault opens nothing, and every member keeps access", async () => {
    // Dora Departed (dmt) and Rob Removed (admin) left; their slots were deleted, not scrubbed.
    const dora = slotOf(FORMAT_4_BEFORE_REMOVALS, 'Dora Departed');
    const rob = slotOf(FORMAT_4_BEFORE_REMOVALS, 'Rob Removed');
    expect(fileAndWal(path).indexOf(dora.sealed)).toBeGreaterThanOrEqual(0);
    const opened = await openSlot(
      dora.id,
      dora,
      storedKdf(dora.kdf, 'slot'),
      'departed dmt passphrase',
    );
    const oldVaultKey = opened!.legacyVaultKey!.reveal().slice();
    // Before the upgrade, the key Dora kept opens everything (issue 13, attack 4).
    expect(rowsOpenedBy(path, oldVaultKey).length).toBeGreaterThan(10);
    const devSlot = slotOf(path, 'Dev Dmt');

    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(schemaVersion(lead.db)).toBe(SCHEMA_VERSION);
      expect(await verifyVault(lead)).toMatchObject({ ok: true });
    } finally {
      lead.close();
    }
    const bytes = fileAndWal(path);
    expect(bytes.indexOf(dora.sealed)).toBe(-1);
    expect(bytes.indexOf(rob.sealed)).toBe(-1);
    expect(rowsOpenedBy(path, oldVaultKey)).toEqual([]);

    // A member whose slot still holds the old K_vault unlocks through their grant, reads what
    // they read before, and their slot is sealed again without it.
    expect(bytes.indexOf(devSlot.sealed)).toBeGreaterThanOrEqual(0);
    const dev = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      const accounts = dev.db.prepare('SELECT id FROM accounts ORDER BY rowid').all() as {
        id: string;
      }[];
      expect(revealPassword(dev, accounts[0]!.id, 'after the upgrade').expose()).toBeTruthy();
      expect(await verifyVault(dev)).toMatchObject({ ok: true });
    } finally {
      dev.close();
    }
    expect(fileAndWal(path).indexOf(devSlot.sealed)).toBe(-1);
    const security = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    security.close();
  });
});
