import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { schemaVersion, SCHEMA_VERSION } from '../../../electron/vault/store/migrate.ts';
import { tagConfirms } from '../../attacks/name-guesses.ts';
import { PASSPHRASES, tempDir, unlockAs } from '../../helpers/vault.ts';

/**
 * Migration 008 (ADR 0022) on a vault made by the format-7 code (commit 57e2181, with
 * tests/fixtures/format-7/make-with-format-7-code.ts.txt): a member of each role, two grants, Rob
 * Removed removed, a rotation after. Its checkpoints already commit to the state, so the first
 * unlock after the migration must take the digests again from the rebuilt key_slots rows and sign
 * them, or every later unlock would be refused as tampered.
 */
const FORMAT_7_FIXTURE = fileURLToPath(
  new URL('../../fixtures/format-7/format-7.vault', import.meta.url),
);
const MEMBERS = [
  { name: 'Sam Security', passphrase: PASSPHRASES.security },
  { name: 'Lena Lead', passphrase: PASSPHRASES.lead },
  { name: 'Dev Dmt', passphrase: PASSPHRASES.dmt },
  { name: 'Ada Admin', passphrase: PASSPHRASES.admin },
];

const legacySlots = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db.prepare('SELECT COUNT(*) AS n FROM key_slots WHERE legacy_name_tag IS NOT NULL').get() as {
        n: number;
      }
    ).n;
  } finally {
    db.close();
  }
};

describe('a format-7 vault upgrades to name-bound slots (migration 008)', () => {
  let cleanup: () => void;
  let path: string;
  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    path = `${dir}/old.vault`;
    copyFileSync(FORMAT_7_FIXTURE, path);
  });
  afterEach(() => cleanup());

  it('any member upgrades it; the state still verifies; each slot is name-bound after its member unlocks', async () => {
    expect(tagConfirms(path, 'Dev Dmt')).toBe(true);
    // The first unlock is a security member's: the migration needs no lead.
    const sam = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    try {
      expect(schemaVersion(sam.db)).toBe(SCHEMA_VERSION);
      expect(await verifyVault(sam)).toMatchObject({ ok: true });
    } finally {
      sam.close();
    }
    // Three slots wait for their members; the founder's tag under the clear salt still finds hers.
    expect(legacySlots(path)).toBe(3);
    expect(tagConfirms(path, 'Sam Security')).toBe(false);
    expect(tagConfirms(path, 'Lena Lead')).toBe(true);
    for (const member of MEMBERS) {
      const session = await unlockAs(path, member.name, member.passphrase);
      try {
        expect(session.member.name).toBe(member.name);
        expect(await verifyVault(session)).toMatchObject({ ok: true });
      } finally {
        session.close();
      }
    }
    expect(legacySlots(path)).toBe(0);
    for (const member of MEMBERS) expect(tagConfirms(path, member.name), member.name).toBe(false);
    await expect(unlockAs(path, 'Rob Removed', 'removed admin passphrase 7')).rejects.toMatchObject(
      { code: 'AUTH_FAILED' },
    );
  });
});
