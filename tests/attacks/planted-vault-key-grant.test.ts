import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSymmetricKey } from '../../electron/vault/crypto/aead.ts';
import { readySodium } from '../../electron/vault/crypto/sodium.ts';
import { sealVaultKeys } from '../../electron/vault/keyring.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { editVault, insiderDb } from './insider.ts';

/**
 * Key epochs (ADR 0019) deliver K_vault sealed to each member's X25519 public key, and anyone can
 * seal to a public key. An insider who writes a grant of a K_vault of their own choosing to a
 * member would read everything that member writes afterwards, if the member used it. Unlock
 * checks the grant against the signed chain's commitment and refuses it.
 */
describe("a vault-key grant planted in a member's name is refused", () => {
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    await readySodium();
    let dir: string;
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    await populatedVault(path);
  });
  afterEach(() => cleanup());

  it('the member is refused at unlock, and nothing is written under the planted key', async () => {
    const db = insiderDb(path);
    const dev = db
      .prepare(
        'SELECT m.id, m.box_public_key FROM members m JOIN team_key_grants t ON t.member_id = m.id WHERE m.id != (SELECT founder_id FROM vault_header)',
      )
      .get() as { id: string; box_public_key: Buffer };
    db.close();
    const planted = { vault: newSymmetricKey(), reuse: newSymmetricKey() };
    editVault(
      path,
      'UPDATE vault_key_grants SET sealed_box = ? WHERE member_id = ?',
      Buffer.from(sealVaultKeys(dev.box_public_key, planted)),
      dev.id,
    );
    await expect(unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt)).rejects.toMatchObject({
      code: 'INTEGRITY',
    });
  });
});
