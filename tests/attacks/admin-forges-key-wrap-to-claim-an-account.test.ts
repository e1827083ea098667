import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealTo } from '../../electron/vault/crypto/keys.ts';
import { membershipsOf } from '../../electron/vault/domain/teams.ts';
import { adminScopeVault, asAdmin, THEIRS } from '../helpers/admin-scope.ts';
import { PASSPHRASES, tempDir, unlockAs, vaultLocation } from '../helpers/vault.ts';
import { resignStateAs, signingKeysOf, insiderDb } from './insider.ts';

/**
 * Attack: an administrator who can write the vault file inserts a key wrap for themselves on an
 * account they do not administer, so that "holds a wrap" would make them its administrator. They
 * can seal a key to their own public key, but not the account's key, which they never held. Being
 * an administrator is proven by the wrap opening the current credential, so the forged row fails
 * as tampering and nothing is changed (10.2, 9.14; DESIGN.md "Trust").
 */
describe('an administrator forging a key wrap to claim an account', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  let theirs: string;
  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/attack.vault`;
    ({ theirs } = await adminScopeVault(path));
  });
  afterEach(() => dir.cleanup());

  it('10.2: a wrap row written into the file does not make them its administrator', async () => {
    const ada = await signingKeysOf(path, { name: 'Ada Admin', passphrase: PASSPHRASES.admin });
    const db = insiderDb(path);
    const admin = db
      // The role is sealed from format 9 (ADR 0028): the admin's row is found by their id.
      .prepare('SELECT id, box_public_key FROM members WHERE id = ?')
      .get(ada.memberId) as {
      id: string;
      box_public_key: Buffer;
    };
    const { key_id } = db
      .prepare('SELECT key_id FROM credentials WHERE account_id = ?')
      .get(theirs) as { key_id: string };
    db.prepare(
      'INSERT INTO account_key_wraps (account_id, holder, key_id, team_generation, sealed_box) VALUES (?, ?, ?, NULL, ?)',
    ).run(theirs, admin.id, key_id, Buffer.from(sealTo(admin.box_public_key, randomBytes(32))));
    db.close();
    // A member can sign the edited rows as the vault's state (ADR 0020); the key wrap holds.
    resignStateAs(path, ada);

    const add = await asAdmin('team', 'add', vaultLocation(path), THEIRS, '--person', 'Kay Patel');
    expect(add.code).not.toBe(0);
    expect(add.stderr).toMatch(/Integrity check failed|Not permitted/);
    expect(add.stderr).not.toMatch(/has access to/);

    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    expect(membershipsOf(lead, theirs).map((m) => m.clear.person_id)).toHaveLength(1);
    lead.close();
  });
});
