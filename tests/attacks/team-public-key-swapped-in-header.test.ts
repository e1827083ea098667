import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { newBoxKeyPair } from '../../electron/vault/crypto/keys.ts';
import { readySodium } from '../../electron/vault/crypto/sodium.ts';
import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { headerMac } from '../../electron/vault/keyring.ts';
import { readHeader } from '../../electron/vault/store/header-store.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { editVault, opensAny, wrapsOf } from './insider.ts';

/**
 * The header's team public key is what every new account key is sealed to for lead and dmt. Its
 * MAC is under K_vault, which every member holds: a security member swapped in their own X25519
 * key and re-MACed the header, and the next rotation by an admin (who holds no team key to compare
 * with) sealed the account key to the swapped key. The team key now comes from the signed chain.
 */
describe('a team public key swapped in the header receives nothing', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let accounts: string[];
  beforeEach(async () => {
    await readySodium();
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    ({ accounts } = await populatedVault(path));
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      grantAdministrator(lead, accounts[0]!, findMemberByName(lead, 'Ada Admin').id);
    } finally {
      lead.close();
    }
  });
  afterEach(() => cleanup());

  it("an admin's rotation is refused, and the swapped key opens nothing", async () => {
    const swapped = newBoxKeyPair();
    const security = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    let mac: Uint8Array;
    try {
      mac = headerMac(security.keys.vault, {
        ...readHeader(security.db)!,
        team_public_key: Buffer.from(swapped.publicKey),
      });
    } finally {
      security.close();
    }
    editVault(
      path,
      'UPDATE vault_header SET team_public_key = ?, mac = ? WHERE singleton = 1',
      Buffer.from(swapped.publicKey),
      Buffer.from(mac),
    );

    let refused: unknown;
    try {
      const admin = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
      try {
        rotatePassword(admin, accounts[0]!, { reason: 'scheduled', password: 'after-the-swap-1' });
      } finally {
        admin.close();
      }
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringContaining('vault_header'),
    });
    expect(opensAny(swapped, wrapsOf(path, accounts[0]!))).toBe(0);
  });
});
