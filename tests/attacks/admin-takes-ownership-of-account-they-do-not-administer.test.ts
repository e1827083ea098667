import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAccounts } from '../../electron/vault/domain/accounts.ts';
import { adminScopeVault, asAdmin, THEIRS } from '../helpers/admin-scope.ts';
import { PASSPHRASES, tempDir, unlockAs, vaultLocation } from '../helpers/vault.ts';

/**
 * Attack: an administrator records themselves (or a friend) as the owner of, or renames, an account
 * they do not administer (9.9 changes are recorded as fact). 10.2, 9.14: refused; nothing changes.
 */
describe('an administrator re-owning an account they do not administer', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  beforeEach(async () => {
    dir = tempDir();
    path = vaultLocation(`${dir.dir}/attack.vault`);
    await adminScopeVault(path);
  });
  afterEach(() => dir.cleanup());

  it('10.2: `account rename --owner` and `--handle` are refused, and owner and handle stay', async () => {
    const owner = await asAdmin('account', 'rename', path, THEIRS, '--owner', 'Kay Patel');
    expect(owner.code).toBe(4);
    expect(owner.stderr).toMatch(/name or owner change on facebook:SuffolkRoadsPolicing.*10\.2/);
    const handle = await asAdmin('account', 'rename', path, THEIRS, '--handle', 'Hijacked');
    expect(handle.code).toBe(4);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    const theirs = listAccounts(lead).find((a) => a.platform === 'facebook')!;
    expect([theirs.handle, theirs.ownerId]).toEqual(['SuffolkRoadsPolicing', undefined]);
    lead.close();
  });
});
