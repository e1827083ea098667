import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { DEFAULT_KDF, MAXIMUM_KDF } from '../../electron/vault/crypto/kdf.ts';
import { readySodium } from '../../electron/vault/crypto/sodium.ts';
import { addMember } from '../../electron/vault/domain/members.ts';
import { defaultKeyDerivation } from '../../electron/vault/domain/settings.ts';
import { headerMac } from '../../electron/vault/keyring.ts';
import type { HeaderRow } from '../../electron/vault/store/header-store.ts';
import { kdfForNewSlot } from '../../electron/vault/trust/default-kdf.ts';
import { FORMAT_4_FIXTURE, PASSPHRASES, tempDir, unlockAs } from '../helpers/vault.ts';
import { editVault, format4VaultKeyOf } from './insider.ts';

/** Every Argon2 derivation's memory cost (KiB) and passes, recorded on the way to the real one. */
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
 * Issue 13 review, ADR 0030: on a chain with no signed default key derivation yet (a vault from
 * before ADR 0030: here the format-4 fixture, which only a lead's unlock upgrades), the header's
 * default is under a MAC every member can make (K_vault). Dev Dmt opens their own slot with their
 * passphrase, sets the default to the ceiling (1 GiB, 4 passes, parallelism 4) and re-MACs the
 * header. Before, the first lead to unlock re-sealed their own legacy slot at it (so every unlock
 * of theirs paid it) and signed it into the chain: every member added or changing passphrase
 * afterwards got a slot at the ceiling, about 7 s and 1 GiB each unlock (a denial of service).
 * Now an unsigned header raises nothing past the stronger of the app's default and the lead's own
 * slot: that is what is signed.
 */
const ceiling = {
  algorithm: 'argon2id',
  memoryKiB: MAXIMUM_KDF.memoryKiB,
  passes: MAXIMUM_KDF.costKiBPasses / MAXIMUM_KDF.memoryKiB,
  parallelism: MAXIMUM_KDF.parallelism,
};

describe('a member raises a format-4 vault’s unsigned default key derivation to the ceiling', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    await readySodium();
    ({ dir, cleanup } = tempDir());
    path = `${dir}/old.vault`;
    copyFileSync(FORMAT_4_FIXTURE, path);
    const vaultKey = await format4VaultKeyOf(path, {
      name: 'Dev Dmt',
      passphrase: PASSPHRASES.dmt,
    });
    const db = new Database(path, { readonly: true });
    const header = db.prepare('SELECT * FROM vault_header').get() as HeaderRow;
    db.close();
    const raised = JSON.stringify(ceiling);
    const mac = headerMac(vaultKey, { ...header, default_kdf: raised });
    vaultKey.wipe();
    editVault(
      path,
      'UPDATE vault_header SET default_kdf = ?, mac = ? WHERE singleton = 1',
      raised,
      Buffer.from(mac),
    );
    derivations.length = 0;
  });
  afterEach(() => cleanup());

  it('the lead’s upgrading unlock signs the app’s default, never derives above it, and a new member’s slot takes it', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(derivations.length).toBeGreaterThan(0);
      for (const made of derivations) {
        expect(made.memoryCost).toBeLessThanOrEqual(DEFAULT_KDF.memoryKiB);
        expect(made.timeCost).toBeLessThanOrEqual(DEFAULT_KDF.passes);
      }
      expect(defaultKeyDerivation(lead)).toEqual({
        memoryMib: DEFAULT_KDF.memoryKiB / 1024,
        passes: DEFAULT_KDF.passes,
        signed: true,
      });
      expect(kdfForNewSlot(lead)).toEqual(DEFAULT_KDF);
      expect(await verifyVault(lead)).toMatchObject({ ok: true });
      derivations.length = 0;
      await addMember(lead, {
        name: 'New Starter',
        role: 'dmt',
        passphrase: 'a long new passphrase 5',
      });
    } finally {
      lead.close();
    }
    expect(derivations).toEqual([
      { memoryCost: DEFAULT_KDF.memoryKiB, timeCost: DEFAULT_KDF.passes },
    ]);
    const db = new Database(path, { readonly: true });
    try {
      const kdfs = (db.prepare('SELECT kdf FROM key_slots').all() as { kdf: string }[]).map(
        (row) => JSON.parse(row.kdf) as { memoryKiB: number; passes: number },
      );
      expect(kdfs.every((kdf) => kdf.memoryKiB <= DEFAULT_KDF.memoryKiB)).toBe(true);
    } finally {
      db.close();
    }
  }, 60_000);
});
