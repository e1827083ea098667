import { sqliteConnection } from '../../../electron/vault/store/connection.ts';
import { copyFileSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { newBoxKeyPair } from '../../../electron/vault/crypto/keys.ts';
import { randomBytes, randomId } from '../../../electron/vault/crypto/random.ts';
import { readySodium } from '../../../electron/vault/crypto/sodium.ts';
import { revealPassword } from '../../../electron/vault/domain/reveal.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import { findMemberByName } from '../../../electron/vault/domain/members.ts';
import { openMember } from '../../../electron/vault/domain/member-records.ts';
import { chainStore } from '../../../electron/vault/store/chain-store.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { schemaVersion } from '../../../electron/vault/store/migrate.ts';
import {
  FORMAT_4_BEFORE_REMOVALS,
  FORMAT_4_FIXTURE,
  PASSPHRASES,
  tempDir,
  unlockAs,
} from '../../helpers/vault.ts';
import {
  editVault,
  opensAny,
  resignStateAs,
  restoreRows,
  signingKeysOf,
  wrapsOf,
} from '../../attacks/insider.ts';
import { memberNameTag, openSlot, storedKdf } from '../../../electron/vault/keyring.ts';
import type { BoxKeyPair } from '../../../electron/vault/crypto/keys.ts';

/**
 * ADR 0010, "Upgrade": a format-4 vault (made by the format-4 code) gets its signed membership
 * chain at a lead's first unlock, from today's certificates checked back to the founder; until
 * then other members are asked to have a lead unlock it first, and nothing is changed.
 */
/** A member's keys from a kept copy, by opening their slot directly (an unlock would upgrade the copy). */
async function slotKeysOf(
  copy: string,
  name: string,
  passphrase: string,
): Promise<{ id: string; box: BoxKeyPair }> {
  const db = new Database(copy, { readonly: true });
  try {
    const salt = (db.prepare('SELECT name_salt FROM vault_header').get() as { name_salt: Buffer })
      .name_salt;
    const { id } = db
      .prepare('SELECT id FROM members WHERE name_tag = ?')
      .get(Buffer.from(memberNameTag(salt, name))) as { id: string };
    const slot = db.prepare('SELECT * FROM key_slots WHERE member_id = ?').get(id) as {
      kdf: string;
      salt: Buffer;
      version: number;
      sealed: Buffer;
    };
    const keys = await openSlot(
      id,
      { ...slot, lookupTag: null },
      storedKdf(slot.kdf, 'slot'),
      passphrase,
    );
    return { id, box: keys!.keys.box };
  } finally {
    db.close();
  }
}

const lead = (path: string) => unlockAs(path, 'Lena Lead', PASSPHRASES.lead);

/** The chain's statements as a member opens them (format 9: sealed under K_vault, ADR 0028). */
function statements(session: VaultSession): { kind: string }[] {
  return chainStore
    .all(session.db, session.keys.vault)
    .map((row) => JSON.parse(row.statement) as { kind: string });
}

describe('a format-4 vault upgrades to the signed membership chain', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let accounts: string[];
  beforeEach(async () => {
    await readySodium();
    ({ dir, cleanup } = tempDir());
    path = `${dir}/old.vault`;
    copyFileSync(FORMAT_4_FIXTURE, path);
    const db = new Database(path, { readonly: true });
    accounts = (
      db.prepare('SELECT id FROM accounts ORDER BY created_at, rowid').all() as {
        id: string;
      }[]
    ).map((row) => row.id);
    expect(schemaVersion(sqliteConnection(db))).toBe(4);
    db.close();
  });
  afterEach(() => cleanup());

  it('a member who is not a lead is asked to have a lead unlock it first, and nothing changes', async () => {
    const before = readFileSync(path);
    await expect(unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt)).rejects.toMatchObject({
      code: ErrorCode.FORBIDDEN,
      message: expect.stringMatching(/a lead must unlock it once.*Nothing was changed/),
    });
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("a lead's unlock signs every member, removal and grant; it verifies and every member keeps their access", async () => {
    const session = await lead(path);
    let kinds: string[];
    try {
      expect(await verifyVault(session)).toMatchObject({ ok: true });
      kinds = statements(session).map((s) => s.kind);
    } finally {
      session.close();
    }
    expect(kinds).toEqual([
      'genesis',
      ...Array<string>(5).fill('member.added'),
      'member.removed',
      'member.removed',
      'grant.added',
      // The lead signs the vault's default key derivation for new slots (ADR 0030).
      'kdf-default.set',
      // The same unlock starts the first key epoch (ADR 0019): a new K_vault for the members.
      'vault-key.rotated',
    ]);
    const roles: Record<string, [string, string]> = {
      dmt: ['Dev Dmt', PASSPHRASES.dmt],
      admin: ['Ada Admin', PASSPHRASES.admin],
      security: ['Sam Security', PASSPHRASES.security],
    };
    for (const [role, [name, passphrase]] of Object.entries(roles)) {
      const member = await unlockAs(path, name, passphrase);
      try {
        expect(member.member.role).toBe(role);
        expect(await verifyVault(member)).toMatchObject({ ok: true });
        if (role === 'admin') {
          expect(revealPassword(member, accounts[0]!, 'upgrade test').expose()).toBe(
            'first-Password-1',
          );
        }
      } finally {
        member.close();
      }
    }
    await expect(unlockAs(path, 'Rob Removed', 'removed admin passphrase')).rejects.toMatchObject({
      code: ErrorCode.AUTH_FAILED,
    });
  });

  it('on the upgraded vault, restored rows of a removed member and a planted holder get nothing', async () => {
    (await lead(path)).close();
    const accomplice = await signingKeysOf(path, {
      name: 'Sam Security',
      passphrase: PASSPHRASES.security,
    });
    const rob = await slotKeysOf(
      FORMAT_4_BEFORE_REMOVALS,
      'Rob Removed',
      'removed admin passphrase',
    );
    restoreRows(path, FORMAT_4_BEFORE_REMOVALS, [
      // As a format-9 vault holds a row its first unlock has not yet sealed (ADR 0028).
      `INSERT OR REPLACE INTO members (id, name_tag, box_public_key, sign_public_key, removed_at, legacy_role, legacy_certified_by, legacy_certified_at, legacy_certificate, version, sealed)
       SELECT id, name_tag, box_public_key, sign_public_key, removed_at, role, certified_by, certified_at, certificate, version, sealed FROM old.members WHERE id = '${rob.id}'`,
      // The old slot as a format-8 vault holds one not yet upgraded: salted, found by its old tag.
      `INSERT OR REPLACE INTO key_slots SELECT s.member_id, s.kdf, s.salt, NULL, m.name_tag, s.version, s.sealed
       FROM old.key_slots s JOIN old.members m ON m.id = s.member_id WHERE s.member_id = '${rob.id}'`,
      `INSERT OR REPLACE INTO account_key_wraps SELECT * FROM old.account_key_wraps WHERE holder = '${rob.id}'`,
    ]);
    const outsider = newBoxKeyPair();
    const outsiderId = randomId();
    editVault(
      path,
      `INSERT INTO members (id, name_tag, box_public_key, sign_public_key, removed_at, version, sealed)
       SELECT ?, ?, ?, sign_public_key, NULL, 1, sealed FROM members WHERE id = (SELECT founder_id FROM vault_header)`,
      outsiderId,
      Buffer.from(randomBytes(32)),
      Buffer.from(outsider.publicKey),
    );
    editVault(
      path,
      `INSERT INTO account_key_wraps (account_id, holder, key_id, team_generation, sealed_box)
       SELECT account_id, ?, key_id, NULL, ? FROM credentials WHERE account_id = ?`,
      outsiderId,
      Buffer.from(randomBytes(80)),
      accounts[1]!,
    );
    // The upgraded vault's checkpoints commit to its state: alone, the edit stops every unlock.
    await expect(lead(path)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringContaining('members table'),
    });
    // A member accomplice can sign the edited rows as the state (ADR 0020); the chain still holds.
    resignStateAs(path, accomplice);

    await expect(unlockAs(path, 'Rob Removed', 'removed admin passphrase')).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
    });
    const check = await lead(path);
    try {
      expect(await verifyVault(check)).toMatchObject({ ok: false });
    } finally {
      check.close();
    }
    const dmt = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      rotatePassword(dmt, accounts[1]!, { reason: 'scheduled', password: 'after-upgrade-4' });
    } finally {
      dmt.close();
    }
    expect(opensAny(rob.box, wrapsOf(path, accounts[1]!))).toBe(0);
    expect(opensAny(outsider, wrapsOf(path, accounts[1]!))).toBe(0);
    expect(wrapsOf(path, accounts[1]!).map((wrap) => wrap.holder)).toEqual(['team']);
  });

  it('a lead planted before the upgrade is refused by it, naming the row, and nothing is signed', async () => {
    // A security member's fake lead: a copy of the founder's row under a new id, self-certified.
    editVault(
      path,
      `INSERT INTO members (id, name_tag, role, box_public_key, sign_public_key, certified_by, certified_at, certificate, removed_at, version, sealed)
       SELECT ?, ?, 'lead', box_public_key, sign_public_key, ?, certified_at, certificate, NULL, 1, sealed FROM members WHERE id = certified_by`,
      'f'.repeat(32),
      Buffer.from(randomBytes(32)),
      'f'.repeat(32),
    );
    await expect(lead(path)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringContaining(`members row ${'f'.repeat(32)}`),
    });
    const db = new Database(path, { readonly: true });
    try {
      const chain =
        schemaVersion(sqliteConnection(db)) >= 5
          ? (db.prepare('SELECT COUNT(*) AS n FROM membership_chain').get() as { n: number }).n
          : 0;
      expect(chain).toBe(0);
    } finally {
      db.close();
    }
  });

  it('a member named in a grant can be found by name after the upgrade', async () => {
    const session = await lead(path);
    try {
      expect(openMember(session.keys.vault, findMemberByName(session, 'Ada Admin')).role).toBe(
        'admin',
      );
    } finally {
      session.close();
    }
  });
});
