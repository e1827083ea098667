import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  grantAdministrator,
  revokeAdministrator,
} from '../../electron/vault/domain/administrators.ts';
import { revealPassword } from '../../electron/vault/domain/reveal.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { VaultError } from '../../electron/vault/errors.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { resignStateAs, signingKeysOf, insiderDb } from './insider.ts';

/**
 * Attack: an administrator whose grant was ended (10.2) writes their old key-wrap row back into
 * the vault file, hoping to read the account again. The grant's end re-sealed the credential under
 * a fresh account key, so the restored wrap is for a key that no longer opens anything: the read
 * fails as tampering, and never yields the password.
 */
describe('an ended administrator who restores their key wrap in the file', () => {
  const dir = tempDir();
  const path = `${dir.dir}/restored-wrap.vault`;
  let accounts: string[];

  beforeAll(async () => {
    ({ accounts } = await populatedVault(path));
  });
  afterAll(() => dir.cleanup());

  it('reads nothing with it', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    const ada = findMemberByName(lead, 'Ada Admin').id;
    grantAdministrator(lead, accounts[0]!, ada);
    lead.close();

    const file = insiderDb(path);
    const kept = file
      .prepare('SELECT * FROM account_key_wraps WHERE account_id = ? AND holder = ?')
      .get(accounts[0], ada) as Record<string, unknown>;
    file.close();

    const again = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    revokeAdministrator(again, accounts[0]!, ada);
    again.close();
    const adaKeys = await signingKeysOf(path, { name: 'Ada Admin', passphrase: PASSPHRASES.admin });

    const writer = insiderDb(path);
    writer
      .prepare(
        'INSERT INTO account_key_wraps (account_id, holder, key_id, team_generation, sealed_box) VALUES (@account_id, @holder, @key_id, @team_generation, @sealed_box)',
      )
      .run(kept);
    writer.close();
    // A member can sign the edited rows as the vault's state (ADR 0020); the account key holds.
    resignStateAs(path, adaKeys);

    const admin = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
    let error: unknown;
    let revealed: string | undefined;
    try {
      revealed = revealPassword(admin, accounts[0]!, 'reading it again').expose();
    } catch (caught) {
      error = caught;
    }
    admin.abandon();
    expect(revealed).toBeUndefined();
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).message).toMatch(/is for another key/);
  });
});
