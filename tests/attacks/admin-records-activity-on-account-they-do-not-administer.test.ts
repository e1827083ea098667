import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAccounts } from '../../electron/vault/domain/accounts.ts';
import { adminScopeVault, asAdmin, MINE, THEIRS } from '../helpers/admin-scope.ts';
import { PASSPHRASES, tempDir, unlockAs, vaultLocation } from '../helpers/vault.ts';

/**
 * Attack: an administrator records activity on an account they do not administer, to hide that it
 * lies unused (9.13) and keep it from being closed. 10.2, 9.14: refused; the date is not recorded.
 */
describe('an administrator recording activity on an account they do not administer', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  beforeEach(async () => {
    dir = tempDir();
    path = vaultLocation(`${dir.dir}/attack.vault`);
    await adminScopeVault(path);
  });
  afterEach(() => dir.cleanup());

  it('10.2: `account activity` is refused, and the last activity stays unrecorded', async () => {
    const result = await asAdmin('account', 'activity', path, THEIRS, '--on', '2026-01-10');
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/Not permitted: Recording account activity on .*10\.2, 9\.14/);
    expect((await asAdmin('account', 'activity', path, MINE, '--on', '2026-01-10')).code).toBe(0);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    const activity = listAccounts(lead).map((a) => [a.handle, a.lastActivityOn]);
    expect(activity).toEqual([
      ['NorfolkPolice', '2026-01-10'],
      ['SuffolkRoadsPolicing', undefined],
    ]);
    lead.close();
  });
});
