import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { newBoxKeyPair } from '../../electron/vault/crypto/keys.ts';
import { randomBytes, randomId } from '../../electron/vault/crypto/random.ts';
import { readySodium } from '../../electron/vault/crypto/sodium.ts';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { editVault, keysOf, opensAny, resignStateAs, signingKeysOf, wrapsOf } from './insider.ts';

/**
 * Issue 13, attack 1: writeCredential took the account's administrators from
 * `account_key_wraps.holder` and sealed to the raw `members.box_public_key`. One inserted members
 * row with an outsider's X25519 key, plus wrap rows naming it, and the next rotation by a DMT
 * member sealed the new account key (and the password history in it) to the outsider. A security
 * member got the next password with one inserted wrap row naming themselves. Administrators now
 * come only from the signed grant chain (ADR 0010).
 */
describe('an inserted holder row receives nothing (issue 13, attack 1)', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let accounts: string[];
  beforeEach(async () => {
    await readySodium();
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    ({ accounts } = await populatedVault(path));
  });
  afterEach(() => cleanup());

  const rotateAsDmt = async (accountId: string, password: string) => {
    const dmt = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      rotatePassword(dmt, accountId, { reason: 'scheduled', password });
    } finally {
      dmt.close();
    }
  };

  it('an outsider with a planted members row and wrap rows opens nothing the rotation wrote', async () => {
    const outsider = newBoxKeyPair();
    const outsiderId = randomId();
    const accomplice = await signingKeysOf(path, {
      name: 'Sam Security',
      passphrase: PASSPHRASES.security,
    });
    editVault(
      path,
      `INSERT INTO members (id, name_tag, box_public_key, sign_public_key, removed_at, version, sealed)
       VALUES (?, ?, ?, ?, NULL, 1, ?)`,
      outsiderId,
      Buffer.from(randomBytes(32)),
      Buffer.from(outsider.publicKey),
      Buffer.from(randomBytes(32)),
      Buffer.from(randomBytes(64)),
    );
    for (const accountId of accounts) {
      editVault(
        path,
        `INSERT INTO account_key_wraps (account_id, holder, key_id, team_generation, sealed_box)
         SELECT account_id, ?, key_id, NULL, ? FROM credentials WHERE account_id = ?`,
        outsiderId,
        Buffer.from(randomBytes(80)),
        accountId,
      );
    }
    // Alone, the outsider is stopped before any rotation: the rows are not the signed state (attack 8).
    await expect(unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt)).rejects.toMatchObject({
      code: 'INTEGRITY',
      message: expect.stringContaining('members table'),
    });
    // A member accomplice can sign the edited rows as the state (ADR 0020); the chain still holds.
    resignStateAs(path, accomplice);

    await rotateAsDmt(accounts[0]!, 'rotated-after-insertion-1');

    expect(opensAny(outsider, wrapsOf(path, accounts[0]!))).toBe(0);
    expect(wrapsOf(path, accounts[0]!).map((wrap) => wrap.holder)).toEqual(['team']);
    // The insertion is reported: the planted row and the wraps naming it fail verify.
    const session = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      const report = await verifyVault(session);
      expect(report).toMatchObject({ ok: false });
      expect(report.ok ? '' : `${report.where} ${report.problem}`).toMatch(new RegExp(outsiderId));
    } finally {
      session.close();
    }
  });

  it('a security member who inserts a wrap row naming themselves gets no key from the rotation', async () => {
    const security = await keysOf(path, {
      name: 'Sam Security',
      passphrase: PASSPHRASES.security,
    });
    const sam = await signingKeysOf(path, {
      name: 'Sam Security',
      passphrase: PASSPHRASES.security,
    });
    editVault(
      path,
      `INSERT INTO account_key_wraps (account_id, holder, key_id, team_generation, sealed_box)
       SELECT account_id, ?, key_id, NULL, ? FROM credentials WHERE account_id = ?`,
      security.id,
      Buffer.from(randomBytes(80)),
      accounts[1]!,
    );
    // A member can sign the edited rows as the vault's state (ADR 0020); the chain still holds.
    resignStateAs(path, sam);

    const before = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(await verifyVault(before)).toMatchObject({
        ok: false,
        where: `account_key_wraps row ${accounts[1]!}/${security.id}`,
      });
    } finally {
      before.close();
    }

    await rotateAsDmt(accounts[1]!, 'rotated-after-insertion-2');

    expect(opensAny(security.box, wrapsOf(path, accounts[1]!))).toBe(0);
    // The rotation rewrote the wraps from the signed grants: the vault verifies again.
    const after = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(await verifyVault(after)).toMatchObject({ ok: true });
    } finally {
      after.close();
    }
  });
});
