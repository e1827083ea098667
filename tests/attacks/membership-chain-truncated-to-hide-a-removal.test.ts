import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { addMember, findMemberByName, removeMember } from '../../electron/vault/domain/members.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { keysOf, restoreRows, keepCopy, putBack } from './insider.ts';

/**
 * The signed chain cannot be forged, but its tail can be deleted without any key. A leaver who
 * cuts the chain back to before their removal (and restores their rows) must be caught: by every
 * member whose key slot recorded a later head, and at every unlock by the trail's record of the
 * last statement (ADR 0010, "Truncation").
 */
const rob = { name: 'Rob Leaver', passphrase: 'leaving admin passphrase 1' };

describe('a membership chain cut back to before a removal is refused', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let kept: string;
  let robId: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    kept = `${dir}/kept.vault`;
    const { accounts } = await populatedVault(path);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      await addMember(lead, { ...rob, role: 'admin' });
      grantAdministrator(lead, accounts[0]!, findMemberByName(lead, rob.name).id);
    } finally {
      lead.close();
    }
    keepCopy(path, kept);
    robId = (await keysOf(path, rob)).id;
    const again = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      removeMember(again, rob.name);
    } finally {
      again.close();
    }
  });
  afterEach(() => cleanup());

  const cutAndRestore = () =>
    restoreRows(path, kept, [
      'DELETE FROM membership_chain WHERE seq > (SELECT MAX(seq) FROM old.membership_chain)',
      putBack('members', `id = '${robId}'`),
      putBack('key_slots', `member_id = '${robId}'`),
    ]);

  it('the lead whose slot saw the removal is refused, naming the chain', async () => {
    cutAndRestore();
    await expect(unlockAs(path, 'Lena Lead', PASSPHRASES.lead)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringContaining('what your key slot saw'),
    });
  });

  it('a member whose slot never saw it is refused too: the trail records the last statement', async () => {
    cutAndRestore();
    await expect(unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringContaining("audit trail's last chain statement"),
    });
    await expect(unlockAs(path, rob.name, rob.passphrase)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
    });
  });

  it('the untouched vault unlocks and verifies', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(await verifyVault(lead)).toMatchObject({ ok: true });
    } finally {
      lead.close();
    }
  });
});
