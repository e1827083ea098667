import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { addMember, findMemberByName, removeMember } from '../../electron/vault/domain/members.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import {
  keysOf,
  opensAny,
  resignStateAs,
  restoreRows,
  signingKeysOf,
  wrapsOf,
  keepCopy,
  putBack,
} from './insider.ts';

/**
 * Issue 13, attack 3: a removed member restored their own `members`, `key_slots` and wrap rows
 * from a copy of the file they kept: verify passed, they unlocked again, and the rotation that
 * answered their leaving (policy 10.2) was sealed to them. Membership now comes from the signed
 * chain, where their removal stays (ADR 0010).
 */
const rob = { name: 'Rob Leaver', passphrase: 'leaving admin passphrase 1' };

describe('a removed member who restores their own rows gets back in nowhere (issue 13, attack 3)', () => {
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
      await addMember(lead, { ...rob, role: 'admin' });
      grantAdministrator(lead, accounts[0]!, findMemberByName(lead, rob.name).id);
    } finally {
      lead.close();
    }
  });
  afterEach(() => cleanup());

  it('their unlock is refused, verify fails, and the answering rotation opens nothing for them', async () => {
    const kept = `${dir}/kept-copy.vault`;
    keepCopy(path, kept);
    const robKeys = await keysOf(path, rob);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(removeMember(lead, rob.name).accountsMarked).toBe(1);
    } finally {
      lead.close();
    }

    // Keys after the removal's new epoch, as a current member holds them.
    const accomplice = await signingKeysOf(path, {
      name: 'Sam Security',
      passphrase: PASSPHRASES.security,
    });
    restoreRows(path, kept, [
      putBack('members', `id = '${robKeys.id}'`),
      putBack('key_slots', `member_id = '${robKeys.id}'`),
      putBack('account_key_wraps', `holder = '${robKeys.id}'`),
    ]);
    // Alone, the restored rows stop every unlock: they are not the signed state (attack 8).
    await expect(unlockAs(path, 'Lena Lead', PASSPHRASES.lead)).rejects.toMatchObject({
      code: 'INTEGRITY',
      message: expect.stringContaining('members table'),
    });
    // A member accomplice can sign them as the state (ADR 0020); the signed chain still holds.
    resignStateAs(path, accomplice);

    await expect(unlockAs(path, rob.name, rob.passphrase)).rejects.toMatchObject({
      code: expect.stringMatching(/INTEGRITY|AUTH_FAILED/),
    });
    const check = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      const report = await verifyVault(check);
      expect(report).toMatchObject({ ok: false });
      expect(report.ok ? '' : report.where).toContain(robKeys.id);
    } finally {
      check.close();
    }

    // The rotation that answers the leaving (10.2) is sealed to the team and no one else.
    const dmt = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      rotatePassword(dmt, accounts[0]!, {
        reason: 'membership-change',
        password: 'answers-the-leaver-1',
      });
    } finally {
      dmt.close();
    }
    expect(opensAny(robKeys.box, wrapsOf(path, accounts[0]!))).toBe(0);
  });
});
