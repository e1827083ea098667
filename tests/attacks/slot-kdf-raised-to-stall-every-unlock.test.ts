import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { addMember, changeOwnPassphrase } from '../../electron/vault/domain/members.ts';
import { createVault } from '../../electron/vault/vault.ts';
import { kdfParamsSchema, strongerKdf } from '../../electron/vault/crypto/kdf.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs, vaultLocation } from '../helpers/vault.ts';
import { editVault, kdfJson, lowerDefaultKdfAsMember, withInsiderDb } from './insider.ts';

/** Every Argon2 derivation's memory cost and passes, recorded on the way through to the real one. */
const derivations = vi.hoisted(() => [] as { memoryCost: number; timeCost: number }[]);
vi.mock('@node-rs/argon2', async (importActual) => {
  const actual = await importActual<typeof import('@node-rs/argon2')>();
  return {
    ...actual,
    hashRaw: (input: Buffer, options: { memoryCost?: number; timeCost?: number }) => {
      derivations.push({ memoryCost: options.memoryCost ?? 0, timeCost: options.timeCost ?? 0 });
      return actual.hashRaw(input, options);
    },
  };
});

/**
 * THREAT-MODEL "A malicious insider" (found in review of issue 13): a slot's derivation
 * parameters are read before anything is authenticated, and every unlock derives at each setting
 * the slots hold, so anyone who can write the file made every unlock take 27 s by setting one slot
 * to 1 GiB and 16 passes. Parameters above the ceiling are now refused before any derivation,
 * wherever they are read: a slot, the header's default, or `init`.
 */
describe('a slot edited to demand a huge key derivation is refused without deriving', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    derivations.length = 0;
  });
  afterEach(() => cleanup());

  it('one slot at 1 GiB and 16 passes: every unlock, a member or a stranger, refused, nothing derived', async () => {
    await populatedVault(path);
    editVault(
      path,
      'UPDATE key_slots SET kdf = ? WHERE rowid = (SELECT MIN(rowid) FROM key_slots)',
      kdfJson(1024, 16),
    );
    derivations.length = 0;
    for (const [name, passphrase] of [
      ['Lena Lead', PASSPHRASES.lead],
      ['Sam Security', PASSPHRASES.security],
      ['Nobody Here', 'any passphrase at all'],
    ] as const) {
      await expect(unlockAs(path, name, passphrase)).rejects.toMatchObject({
        code: ErrorCode.INTEGRITY,
        message: expect.stringMatching(
          /key_slots row \S+ asks for key derivation above the ceiling.*nothing was derived.*restore from a backup/,
        ),
      });
    }
    expect(derivations).toEqual([]);
  });

  it('a setting just above the ceiling by cost alone (1 GiB, 5 passes) is refused; the ceiling itself is not', async () => {
    await populatedVault(path);
    editVault(path, 'UPDATE key_slots SET kdf = ?', kdfJson(1024, 5));
    derivations.length = 0;
    await expect(unlockAs(path, 'Lena Lead', PASSPHRASES.lead)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringContaining('above the ceiling'),
    });
    expect(derivations).toEqual([]);
    // The ceiling itself is a setting a vault may hold (not derived here: it takes seconds).
    expect(kdfParamsSchema.safeParse(JSON.parse(kdfJson(1024, 4))).success).toBe(true);
    expect(kdfParamsSchema.safeParse(JSON.parse(kdfJson(512, 8))).success).toBe(true);
  });

  it('many settings, each under the ceiling, that add up to more than an unlock makes are refused', async () => {
    await populatedVault(path);
    const ids = withInsiderDb(path, (db) =>
      (db.prepare('SELECT member_id FROM key_slots').all() as { member_id: string }[]).map(
        (row) => row.member_id,
      ),
    );
    expect(ids.length).toBeGreaterThanOrEqual(3);
    // Three distinct settings at the ceiling's cost: three times one derivation at the ceiling.
    const settings = [kdfJson(1024, 4), kdfJson(512, 8), kdfJson(256, 16)];
    ids
      .slice(0, 3)
      .forEach((id, index) =>
        editVault(path, 'UPDATE key_slots SET kdf = ? WHERE member_id = ?', settings[index], id),
      );
    derivations.length = 0;
    await expect(unlockAs(path, 'Nobody Here', 'any passphrase at all')).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringContaining('more in all than an unlock makes'),
    });
    expect(derivations).toEqual([]);
  });

  it("the header's default raised above the ceiling by a member (re-MACed) is refused before a new slot is derived", async () => {
    await populatedVault(path);
    await lowerDefaultKdfAsMember(
      path,
      { name: 'Sam Security', passphrase: PASSPHRASES.security },
      kdfJson(1024, 16),
    );
    const session = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      derivations.length = 0;
      await expect(
        addMember(session, {
          name: 'New Starter',
          role: 'dmt',
          passphrase: 'a long new passphrase 5',
        }),
      ).rejects.toMatchObject({
        code: ErrorCode.INTEGRITY,
        message: expect.stringContaining('vault_header asks for key derivation above the ceiling'),
      });
      await expect(
        changeOwnPassphrase(session, 'a brand new lead passphrase 6'),
      ).rejects.toMatchObject({ code: ErrorCode.INTEGRITY });
      expect(derivations).toEqual([]);
    } finally {
      session.close();
    }
  });

  it('init above the ceiling is refused, saying the range to choose from', async () => {
    await expect(
      createVault(vaultLocation(path), {
        founderName: 'Lena Lead',
        passphrase: PASSPHRASES.lead,
        kdf: { algorithm: 'argon2id', memoryKiB: 1024 * 1024, passes: 16, parallelism: 1 },
      }),
    ).rejects.toMatchObject({
      code: ErrorCode.INVALID_INPUT,
      message: expect.stringMatching(/between the floor .* and the ceiling .*nothing was created/),
    });
    expect(derivations).toEqual([]);
  });

  it('a passphrase change never combines two settings into one above the ceiling', () => {
    const a = JSON.parse(kdfJson(1024, 4)) as Parameters<typeof strongerKdf>[0];
    const b = JSON.parse(kdfJson(256, 16)) as Parameters<typeof strongerKdf>[0];
    expect(strongerKdf(a, b)).toEqual(a);
    const c = JSON.parse(kdfJson(256, 3)) as Parameters<typeof strongerKdf>[0];
    expect(strongerKdf(a, c)).toEqual(a);
  });
});
