import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../../electron/vault/domain/account-creation.ts';
import { grantAdministrator } from '../../../electron/vault/domain/administrators.ts';
import { openCredential } from '../../../electron/vault/domain/credentials.ts';
import { removeMember } from '../../../electron/vault/domain/members.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import { lockPathFor } from '../../../electron/vault/store/writer-lock.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

/**
 * A rotation opens the account before its write transaction (to score the new password outside
 * the writer lock, issue 17). If another session started a key epoch earlier in the same turn (a
 * lead removing a member), that read must use the new K_vault, not fail as damage: found by the
 * credential model (register, removeMember, rotate by an administrator).
 */
describe('a rotation right after another session starts a key epoch', () => {
  let dir: ReturnType<typeof tempDir>;
  let lead: VaultSession;
  let admin: VaultSession;
  let account: string;
  beforeEach(async () => {
    dir = tempDir();
    const path = `${dir.dir}/team.vault`;
    await populatedVault(path);
    // Side by side in one process, as the model test does: the lock file stands for a workstation.
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    rmSync(lockPathFor(path), { force: true });
    admin = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
    rmSync(lockPathFor(path), { force: true });
    ({ id: account } = createAccount(lead, {
      platform: 'x',
      handle: 'NorfolkRoads',
      force: 'norfolk',
      unitType: 'team',
      unitName: 'Roads Policing',
      username: 'roads',
      password: 'otter lantern quietly banjo',
    }));
    grantAdministrator(lead, account, admin.member.id);
  });
  afterEach(() => {
    lead.close();
    admin.close();
    dir.cleanup();
  });

  it('uses the new epoch’s keys, and the new password reads back for both', () => {
    // The administrator reads first, so their session has looked at the vault this turn.
    expect(openCredential(admin, account).password).toBe('otter lantern quietly banjo');
    removeMember(lead, 'Dev Dmt');
    rotatePassword(admin, account, {
      reason: 'membership-change',
      password: 'marble copper heron tidal',
    });
    expect(openCredential(admin, account).password).toBe('marble copper heron tidal');
    expect(openCredential(lead, account).password).toBe('marble copper heron tidal');
  });
});
