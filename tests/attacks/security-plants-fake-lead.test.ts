import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { MINIMUM_KDF } from '../../electron/vault/crypto/kdf.ts';
import { randomBytes, randomId } from '../../electron/vault/crypto/random.ts';
import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { memberRow } from '../../electron/vault/domain/member-records.ts';
import { toHex } from '../../electron/vault/crypto/hash.ts';
import {
  memberNameTagUnder,
  newMemberKeys,
  sealSlot,
  signCertificate,
  type MemberKeys,
} from '../../electron/vault/keyring.ts';
import { readHeader } from '../../electron/vault/store/header-store.ts';
import type { VaultSession } from '../../electron/vault/session.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { editVault, opensAny, resignStateAs, signingKeysOf, wrapsOf } from './insider.ts';

/**
 * Issue 13, attack 2: every member holds K_vault, so a security member can seal members rows and
 * key slots of their own making. A fake lead with a self-signed certificate, and a fake admin it
 * certifies, passed `audit verify` (any certifier "a lead" was accepted), and the fake admin was
 * sealed every account key rotated afterwards. Members now exist only through the signed chain
 * from the pinned founder key (ADR 0010).
 */
const FAKE_PASSPHRASE = 'fake lead passphrase 1';

async function plantedMember(
  session: VaultSession,
  name: string,
  role: Role,
  certifier: { id: string; keys: MemberKeys } | 'self',
) {
  const id = randomId();
  const keys = newMemberKeys(session.keys.vault);
  const by = certifier === 'self' ? { id, keys } : certifier;
  const header = readHeader(session.db)!;
  const at = '2026-11-30T10:00:00.000Z';
  const certificate = signCertificate(by.keys.signing, {
    vault: session.vaultId,
    member: id,
    role,
    boxPublicKey: keys.box.publicKey,
    signPublicKey: keys.signing.publicKey,
    certifiedBy: by.id,
    certifiedAt: at,
  });
  // Sealed as a real row is (role and certificate inside, ADR 0028), under the K_vault they hold.
  const row = memberRow(
    session.keys.vault,
    {
      id,
      // Found by name as a real member is: the tag under K_vault, which the insider holds.
      name_tag: Buffer.from(memberNameTagUnder(session.keys.vault, name)),
      box_public_key: Buffer.from(keys.box.publicKey),
      sign_public_key: Buffer.from(keys.signing.publicKey),
      removed_at: null,
      version: 1,
    },
    { name, role, certifiedBy: by.id, certifiedAt: at, certificate: toHex(certificate) },
  );
  const owner = { nameSalt: header.name_salt, name, passphrase: FAKE_PASSPHRASE };
  const slot = await sealSlot(id, keys, owner, MINIMUM_KDF, 1);
  return { id, keys, row, slot };
}

function insertPlanted(path: string, planted: Awaited<ReturnType<typeof plantedMember>>): void {
  const { row, slot } = planted;
  editVault(
    path,
    `INSERT INTO members (id, name_tag, box_public_key, sign_public_key, removed_at, version, sealed)
     VALUES (@id, @name_tag, @box_public_key, @sign_public_key, @removed_at, @version, @sealed)`,
    row,
  );
  editVault(
    path,
    'INSERT INTO key_slots (member_id, kdf, salt, lookup_tag, version, sealed) VALUES (?, ?, NULL, ?, ?, ?)',
    row.id,
    slot.kdf,
    Buffer.from(slot.lookupTag!),
    slot.version,
    Buffer.from(slot.sealed),
  );
}

describe('a security member who plants a fake lead and admin gains nothing (issue 13, attack 2)', () => {
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

  it('verify fails, the fake lead cannot unlock, and no account key is sealed to the fake admin', async () => {
    const sam = await signingKeysOf(path, {
      name: 'Sam Security',
      passphrase: PASSPHRASES.security,
    });
    const security = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    let lead, admin;
    try {
      lead = await plantedMember(security, 'Fay Fakelead', 'lead', 'self');
      admin = await plantedMember(security, 'Abe Fakeadmin', 'admin', lead);
    } finally {
      security.close();
    }
    insertPlanted(path, lead);
    insertPlanted(path, admin);
    editVault(
      path,
      `INSERT INTO account_key_wraps (account_id, holder, key_id, team_generation, sealed_box)
       SELECT account_id, ?, key_id, NULL, ? FROM credentials WHERE account_id = ?`,
      admin.id,
      Buffer.from(randomBytes(80)),
      accounts[0]!,
    );
    // A member can sign the edited rows as the vault's state (ADR 0020); the chain still holds.
    resignStateAs(path, sam);

    const realLead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      const report = await verifyVault(realLead);
      expect(report).toMatchObject({ ok: false });
      expect(report.ok ? '' : report.where).toMatch(/members row|account_key_wraps/);
      expect(() => grantAdministrator(realLead, accounts[1]!, admin.id)).toThrow(
        expect.objectContaining({ code: ErrorCode.INVALID_INPUT }),
      );
    } finally {
      realLead.close();
    }
    // Their slots are found and open (planted as a real one is made); the chain refuses them.
    await expect(unlockAs(path, 'Fay Fakelead', FAKE_PASSPHRASE)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
    });
    await expect(unlockAs(path, 'Abe Fakeadmin', FAKE_PASSPHRASE)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
    });

    const dmt = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      rotatePassword(dmt, accounts[0]!, { reason: 'scheduled', password: 'after-the-plant-1' });
    } finally {
      dmt.close();
    }
    expect(opensAny(admin.keys.box, wrapsOf(path, accounts[0]!))).toBe(0);
    expect(wrapsOf(path, accounts[0]!).map((wrap) => wrap.holder)).toEqual(['team']);
  });
});
