import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { randomId } from '../../../electron/vault/crypto/random.ts';
import { newBoxKeyPair } from '../../../electron/vault/crypto/keys.ts';
import { addMember, changeOwnPassphrase } from '../../../electron/vault/domain/members.ts';
import { newMemberKeys, newVaultKey } from '../../../electron/vault/keyring.ts';
import { genesisFor } from '../../../electron/vault/trust/genesis.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';
import { editVault } from '../../attacks/insider.ts';
import Database from 'better-sqlite3';
import { SecretBytes } from '../../../electron/vault/crypto/secret-bytes.ts';
import { chainStore } from '../../../electron/vault/store/chain-store.ts';
import { sqliteConnection, type WritableDb } from '../../../electron/vault/store/connection.ts';

/**
 * ADR 0010: what a key slot pins (the chain's root and the last head its member saw) survives a
 * passphrase change, and a new member's slot pins the adder's root from the start, so their first
 * unlock trusts nothing the file says about who the root is.
 */
const NEW_PASSPHRASE = 'a new lead passphrase 7';

describe('the chain as a key slot pins it', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    await populatedVault(path);
  });
  afterEach(() => cleanup());

  it('a statement written after a passphrase change is recorded under the new passphrase', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      await changeOwnPassphrase(lead, NEW_PASSPHRASE);
      await addMember(lead, { name: 'Nia New', role: 'admin', passphrase: 'nia passphrase 12' });
    } finally {
      lead.close();
    }
    await expect(unlockAs(path, 'Lena Lead', PASSPHRASES.lead)).rejects.toMatchObject({
      code: ErrorCode.AUTH_FAILED,
    });
    (await unlockAs(path, 'Lena Lead', NEW_PASSPHRASE)).close();
    // The slot saw the member.added statement: cutting it off is refused by the slot's own record.
    editVault(
      path,
      'DELETE FROM membership_chain WHERE seq = (SELECT MAX(seq) FROM membership_chain)',
    );
    await expect(unlockAs(path, 'Lena Lead', NEW_PASSPHRASE)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringContaining(
        'membership_chain is shorter than, or does not extend, what your key slot saw',
      ),
    });
  });

  it("a new member's first unlock refuses a chain rooted anywhere but the adder's root", async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      await addMember(lead, { name: 'Nia New', role: 'admin', passphrase: 'nia passphrase 12' });
    } finally {
      lead.close();
    }
    // A whole new chain, rooted in a key the attacker made, in place of the real one.
    const attacker = newMemberKeys(newVaultKey());
    // The security member holds K_vault, so the forged statement is sealed as a real one is.
    const { vaultId, vaultKey } = await unlockAs(path, 'Sam Security', PASSPHRASES.security).then(
      (s) => {
        const held = {
          vaultId: s.vaultId,
          vaultKey: new SecretBytes(s.keys.vault.reveal().slice()),
        };
        s.close();
        return held;
      },
    );
    const forged = genesisFor(
      vaultId,
      new Date().toISOString(),
      randomId(),
      attacker,
      newBoxKeyPair().publicKey,
    );
    editVault(path, 'DELETE FROM membership_chain');
    const file = sqliteConnection(new Database(path)) as WritableDb;
    try {
      chainStore.append(file, vaultKey, forged.row);
    } finally {
      file.close();
    }
    await expect(unlockAs(path, 'Nia New', 'nia passphrase 12')).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringContaining('not signed by the root key pinned in your key slot'),
    });
  });
});
