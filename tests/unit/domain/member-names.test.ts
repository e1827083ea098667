import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addMember,
  changeOwnPassphrase,
  findMemberByName,
  removeMember,
} from '../../../electron/vault/domain/members.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

/**
 * Names inside a session (ADR 0022): a member row's tag is under K_vault, re-keyed at every key
 * epoch, and a slot is bound to its member's name and passphrase. A removal (an epoch) and a
 * passphrase change (a new slot key and an epoch) must leave every member findable by name, a
 * duplicate refused, and each member unlocking with their own passphrase.
 */
describe('member names across key epochs (ADR 0022)', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    await populatedVault(path);
  });
  afterEach(() => cleanup());

  it('after a removal and a passphrase change, names still find members, a duplicate is refused, and a removed name can return', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      removeMember(lead, 'Ada Admin');
      expect(findMemberByName(lead, 'dev dmt').id).toBeTruthy();
      await expect(
        addMember(lead, { name: 'DEV DMT', role: 'dmt', passphrase: 'another dmt passphrase 9' }),
      ).rejects.toMatchObject({ code: ErrorCode.INVALID_INPUT });
      // The removed member's name is free again (their row keeps no tag).
      await addMember(lead, {
        name: 'Ada Admin',
        role: 'admin',
        passphrase: 'a returning admin passphrase 5',
      });
    } finally {
      lead.close();
    }
    const dev = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      await changeOwnPassphrase(dev, 'the new dmt passphrase 77');
      expect(findMemberByName(dev, 'Sam Security').id).toBeTruthy();
    } finally {
      dev.close();
    }
    await expect(unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt)).rejects.toMatchObject({
      code: ErrorCode.AUTH_FAILED,
    });
    (await unlockAs(path, 'Dev Dmt', 'the new dmt passphrase 77')).close();
    (await unlockAs(path, 'Ada Admin', 'a returning admin passphrase 5')).close();
    await expect(unlockAs(path, 'Ada Admin', PASSPHRASES.admin)).rejects.toMatchObject({
      code: ErrorCode.AUTH_FAILED,
    });
  });
});
