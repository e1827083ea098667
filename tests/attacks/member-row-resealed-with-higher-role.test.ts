import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { openMember, sealMember } from '../../electron/vault/domain/member-records.ts';
import { memberStore } from '../../electron/vault/store/member-store.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { editVault, resignStateAs, signingKeysOf } from './insider.ts';

/**
 * Issue 13, attack 11: unlock took the role from the members row, which is sealed only under
 * K_vault. A security member re-sealed their own row as `admin` and unlocked as admin. The role
 * now comes from the signed chain, and a row that differs from it is refused (ADR 0010).
 */
describe('a member row re-sealed with a higher role is refused (issue 13, attack 11)', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    await populatedVault(path);
  });
  afterEach(() => cleanup());

  it('the security member does not unlock as admin, and verify names the row', async () => {
    const sam = await signingKeysOf(path, {
      name: 'Sam Security',
      passphrase: PASSPHRASES.security,
    });
    const session = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    let id: string;
    let sealed: Buffer;
    try {
      expect(session.member.role).toBe('security');
      id = session.member.id;
      const row = memberStore.byId(session.db, id)!;
      const profile = openMember(session.keys.vault, row);
      // The role is sealed in the row from format 9 (ADR 0028): re-sealed with 'admin' in it.
      sealed = sealMember(session.keys.vault, row, { ...profile, role: 'admin' });
    } finally {
      session.close();
    }
    editVault(path, 'UPDATE members SET sealed = ? WHERE id = ?', sealed, id);
    // A member can sign the edited rows as the vault's state (ADR 0020); the chain still holds.
    resignStateAs(path, sam);

    await expect(unlockAs(path, 'Sam Security', PASSPHRASES.security)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringContaining(`members row ${id}`),
    });
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(await verifyVault(lead)).toMatchObject({ ok: false, where: `members row ${id}` });
    } finally {
      lead.close();
    }
  });
});
