import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { recordActivity } from '../../electron/vault/domain/account-registry.ts';
import {
  grantAdministrator,
  revokeAdministrator,
} from '../../electron/vault/domain/administrators.ts';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { resignStateAs, signingKeysOf, insiderDb } from './insider.ts';

type Row = Record<string, unknown>;

/**
 * Attack (found in review of issue 11): an administrator whose grant was ended puts back, from a
 * copy of the file taken while they held it, the account's credentials row and its key wraps. The
 * wrap then opens the restored credential, which used to be the whole proof of "administers".
 * The signed chain holds the grant's end (ADR 0010): they change nothing on the account, and the
 * next rotation seals nothing to them.
 */
describe('an ended administrator who restores the credential and wraps from an old copy', () => {
  const dir = tempDir();
  const path = `${dir.dir}/restored-credential.vault`;
  let accounts: string[];
  let kept: { credential: Row; wraps: Row[] };

  beforeAll(async () => {
    ({ accounts } = await populatedVault(path));
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    grantAdministrator(lead, accounts[0]!, findMemberByName(lead, 'Ada Admin').id);
    lead.close();
    const copy = insiderDb(path);
    kept = {
      credential: copy
        .prepare('SELECT * FROM credentials WHERE account_id = ?')
        .get(accounts[0]) as Row,
      wraps: copy
        .prepare('SELECT * FROM account_key_wraps WHERE account_id = ?')
        .all(accounts[0]) as Row[],
    };
    copy.close();
    const again = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    revokeAdministrator(again, accounts[0]!, findMemberByName(again, 'Ada Admin').id);
    again.close();
    const ada = await signingKeysOf(path, { name: 'Ada Admin', passphrase: PASSPHRASES.admin });

    const file = insiderDb(path);
    file.prepare('DELETE FROM account_key_wraps WHERE account_id = ?').run(accounts[0]);
    file
      .prepare(
        'UPDATE credentials SET key_id = @key_id, updated_at = @updated_at, version = @version, sealed = @sealed WHERE account_id = @account_id',
      )
      .run(kept.credential);
    const insert = file.prepare(
      'INSERT INTO account_key_wraps (account_id, holder, key_id, team_generation, sealed_box) VALUES (@account_id, @holder, @key_id, @team_generation, @sealed_box)',
    );
    for (const wrap of kept.wraps) insert.run(wrap);
    file.close();
    // As a current member she can sign the edited rows as the vault's state (ADR 0020): what is
    // left to stop her is the signed chain.
    resignStateAs(path, ada);
  });
  afterAll(() => dir.cleanup());

  it('10.2: they cannot change the account’s registry data', async () => {
    const admin = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
    try {
      expect(() => recordActivity(admin, accounts[0]!, '2026-11-30')).toThrow(
        expect.objectContaining({ code: ErrorCode.FORBIDDEN }),
      );
    } finally {
      admin.abandon();
    }
  });

  it('the next rotation seals nothing to them', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    const ada = findMemberByName(lead, 'Ada Admin').id;
    try {
      rotatePassword(lead, accounts[0]!, { reason: 'scheduled', password: 'After-Restore-Pass-9' });
      const holders = lead.db
        .prepare('SELECT holder FROM account_key_wraps WHERE account_id = ?')
        .pluck()
        .all(accounts[0]) as string[];
      expect(holders).not.toContain(ada);
    } finally {
      lead.close();
    }
  });
});
