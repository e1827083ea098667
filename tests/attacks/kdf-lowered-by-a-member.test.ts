import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { addMember, changeOwnPassphrase } from '../../electron/vault/domain/members.ts';
import { DEFAULT_KDF } from '../../electron/vault/crypto/kdf.ts';
import { createVault } from '../../electron/vault/vault.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs, vaultLocation } from '../helpers/vault.ts';
import { editVault, kdfJson, lowerDefaultKdfAsMember, insiderDb } from './insider.ts';

/**
 * Issue 13, attack 10: the header MAC is under K_vault, which every member holds, so any member
 * can lower the default key-derivation parameters and re-MAC the header. The slots made later
 * (new members, passphrase changes) must not become cheap to guess.
 */
const security = { name: 'Sam Security', passphrase: PASSPHRASES.security };
const lead = (path: string) => unlockAs(path, 'Lena Lead', PASSPHRASES.lead);

function slotKdf(path: string, memberName?: string): unknown {
  const db = insiderDb(path);
  try {
    const rows = db.prepare('SELECT kdf FROM key_slots ORDER BY rowid').all() as { kdf: string }[];
    return memberName === undefined ? rows.map((row) => JSON.parse(row.kdf) as unknown) : rows;
  } finally {
    db.close();
  }
}

describe('a member who lowers the key-derivation default gains nothing (issue 13, attack 10)', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
  });
  afterEach(() => cleanup());

  it('a default below the floor (8 MiB, 1 pass) is refused when the next member is added', async () => {
    await populatedVault(path);
    await lowerDefaultKdfAsMember(path, security, kdfJson(8, 1));
    const before = slotKdf(path);
    const session = await lead(path);
    try {
      await expect(
        addMember(session, {
          name: 'New Starter',
          role: 'dmt',
          passphrase: 'a long new passphrase 5',
        }),
      ).rejects.toMatchObject({
        code: ErrorCode.INTEGRITY,
        message: expect.stringContaining('below the floor'),
      });
    } finally {
      session.close();
    }
    expect(slotKdf(path)).toEqual(before);
  });

  it('a passphrase change keeps the stronger of the slot and the (lowered) default', async () => {
    const strong = {
      algorithm: 'argon2id',
      memoryKiB: 32 * 1024,
      passes: 3,
      parallelism: 1,
    } as const;
    const founder = await createVault(vaultLocation(path), {
      founderName: 'Lena Lead',
      passphrase: PASSPHRASES.lead,
      kdf: strong,
    });
    await addMember(founder, {
      name: 'Sam Security',
      role: 'security',
      passphrase: PASSPHRASES.security,
    });
    founder.close();
    await lowerDefaultKdfAsMember(path, security, kdfJson(19, 2));

    const session = await lead(path);
    try {
      await changeOwnPassphrase(session, 'a brand new lead passphrase 6');
    } finally {
      session.close();
    }
    expect(slotKdf(path)).toContainEqual(strong);
    expect(slotKdf(path)).not.toContainEqual(JSON.parse(kdfJson(19, 2)));
  });

  it('a default lowered within the floor is not used: the new slot takes the app default, stronger than what the founder signed (ADR 0030)', async () => {
    const strong = {
      algorithm: 'argon2id',
      memoryKiB: 32 * 1024,
      passes: 3,
      parallelism: 1,
    } as const;
    const founder = await createVault(vaultLocation(path), {
      founderName: 'Lena Lead',
      passphrase: PASSPHRASES.lead,
      kdf: strong,
    });
    await addMember(founder, {
      name: 'Sam Security',
      role: 'security',
      passphrase: PASSPHRASES.security,
    });
    founder.close();
    await lowerDefaultKdfAsMember(path, security, kdfJson(19, 2));
    const session = await lead(path);
    try {
      await addMember(session, {
        name: 'New Starter',
        role: 'dmt',
        passphrase: 'a long new passphrase 5',
      });
    } finally {
      session.close();
    }
    expect(slotKdf(path)).not.toContainEqual(JSON.parse(kdfJson(19, 2)));
    // The header is no longer what the founder signed: the stronger of the app's default and the
    // signed value (32 MiB, 3 passes) is the app's.
    expect(
      (slotKdf(path) as unknown[]).filter((kdf) => JSON.stringify(kdf) === JSON.stringify(strong)),
    ).toHaveLength(2);
    expect(slotKdf(path)).toContainEqual(DEFAULT_KDF);
  });

  it('a slot edited below the floor is an integrity error, not a cheap unlock', async () => {
    await populatedVault(path);
    editVault(path, 'UPDATE key_slots SET kdf = ?', kdfJson(8, 1));
    await expect(lead(path)).rejects.toMatchObject({ code: ErrorCode.INTEGRITY });
  });

  it('a new vault below the floor is refused', async () => {
    await expect(
      createVault(vaultLocation(path), {
        founderName: 'Lena Lead',
        passphrase: PASSPHRASES.lead,
        kdf: { algorithm: 'argon2id', memoryKiB: 8 * 1024, passes: 1, parallelism: 1 },
      }),
    ).rejects.toMatchObject({ code: ErrorCode.INVALID_INPUT });
  });
});
