import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hmacSha256, toHex, utf8 } from '../../electron/vault/crypto/hash.ts';
import type { SecretBytes } from '../../electron/vault/crypto/secret-bytes.ts';
import { createAccount } from '../../electron/vault/domain/account-creation.ts';
import { openAccountProfile } from '../../electron/vault/domain/accounts.ts';
import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { evaluateHealth } from '../../electron/vault/health/evaluate.ts';
import { accountStore } from '../../electron/vault/store/account-store.ts';
import type { VaultSession } from '../../electron/vault/session.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';

/**
 * Issue 13, attack 9: the reuse fingerprint was an HMAC of the password under a K_vault subkey.
 * Every member holds K_vault, so a security member (or a leaver) could test ~23,000 guesses a
 * second against any account, against ~2 a second for the Argon2id slot. Labels are now keyed by
 * the team secret, which only lead and dmt hold (and they read every password anyway): security
 * still sees which accounts share a password, and tests no guess.
 */
const SHARED = 'Shared-Password-Reused-9';

/** The attacker's code: every construction keyed by what a security member holds. */
function guessMatches(
  vaultKey: SecretBytes,
  labels: readonly string[],
  guesses: readonly string[],
) {
  const found: string[] = [];
  for (const info of ['custodian/reuse-fingerprint/v1', 'custodian/reuse-label/v2']) {
    const subkey = hmacSha256(vaultKey.reveal(), utf8(info));
    for (const guess of guesses) {
      const tag = toHex(hmacSha256(subkey, utf8(guess.normalize('NFC'))));
      if (labels.some((label) => label.endsWith(tag))) found.push(guess);
    }
  }
  return found;
}

function labelsAs(session: VaultSession): Map<string, string | undefined> {
  return new Map(
    accountStore
      .all(session.db)
      .map((row) => [row.id, openAccountProfile(session, row).passwordCheck?.fingerprint]),
  );
}

describe('the reuse label is no password oracle (issue 13, attack 9)', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let accounts: string[];
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    ({ accounts } = await populatedVault(path));
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      for (const handle of ['NorfolkRoads', 'SuffolkConstab']) {
        const { id } = createAccount(lead, {
          platform: 'instagram',
          handle,
          force: 'norfolk',
          unitType: 'team',
          unitName: 'Roads',
          username: `${handle}-login`,
          password: SHARED,
        });
        accounts.push(id);
      }
    } finally {
      lead.close();
    }
  });
  afterEach(() => cleanup());

  it('a security member tests a guess list holding the real passwords and matches none', async () => {
    const sam = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    try {
      const labels = [...labelsAs(sam).values()].filter((l): l is string => l !== undefined);
      expect(labels.length).toBe(4);
      const guesses = ['password', 'first-Password-1', 'second-Password-2', SHARED, 'letmein'];
      expect(guessMatches(sam.keys.vault, labels, guesses)).toEqual([]);
    } finally {
      sam.close();
    }
  });

  it('security still sees which accounts share a password', async () => {
    const sam = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    try {
      const reused = evaluateHealth(sam).filter((f) => f.rule === 'reused-password');
      expect(reused.map((f) => f.account).sort()).toEqual([accounts[2], accounts[3]].sort());
    } finally {
      sam.close();
    }
  });

  it("an administrator's new password waits for a label, and the next dmt unlock gives it one", async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      grantAdministrator(lead, accounts[0]!, findMemberByName(lead, 'Ada Admin').id);
    } finally {
      lead.close();
    }
    const ada = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
    try {
      rotatePassword(ada, accounts[0]!, { reason: 'scheduled', password: SHARED, informed: [] });
      expect(labelsAs(ada).get(accounts[0]!)).toBeUndefined();
    } finally {
      ada.close();
    }
    const dev = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      const labels = labelsAs(dev);
      expect(labels.get(accounts[0]!)).toBe(labels.get(accounts[2]!));
      const reused = evaluateHealth(dev).filter((f) => f.rule === 'reused-password');
      expect(reused.map((f) => f.account)).toContain(accounts[0]);
    } finally {
      dev.close();
    }
  });
});
