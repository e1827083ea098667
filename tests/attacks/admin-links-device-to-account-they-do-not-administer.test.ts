import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDevices } from '../../electron/vault/domain/devices.ts';
import { adminScopeVault, asAdmin, MINE, THEIRS } from '../helpers/admin-scope.ts';
import { PASSPHRASES, tempDir, unlockAs, vaultLocation } from '../helpers/vault.ts';

/**
 * Attack: an administrator records a device against an account they do not administer (a false
 * trail for 10.1 and 12.1), or reports another team's device lost to force rotations on accounts
 * that are not theirs. 10.2, 9.14: both refused; no device and no incident is written.
 */
describe('an administrator linking a device to an account they do not administer', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  beforeEach(async () => {
    dir = tempDir();
    path = vaultLocation(`${dir.dir}/attack.vault`);
    await adminScopeVault(path);
  });
  afterEach(() => dir.cleanup());

  it('10.2: `device add` naming any account they do not administer is refused', async () => {
    const device = (accounts: string) =>
      asAdmin(
        'device',
        'add',
        path,
        '--owner',
        'Kay Patel',
        '--kind',
        'force',
        '--label',
        `Phone for ${accounts}`,
        '--accounts',
        accounts,
      );
    const both = await device(`${MINE},${THEIRS}`);
    expect(both.code).toBe(4);
    expect(both.stderr).toMatch(/Recording a device on facebook:SuffolkRoadsPolicing.*10\.2/);
    const lost = await asAdmin('device', 'lost', path, 'Their phone');
    expect(lost.code).toBe(4);
    expect((await device(MINE)).code).toBe(0);
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    expect(listDevices(lead).map((d) => d.value.label)).toEqual([
      'Their phone',
      `Phone for ${MINE}`,
    ]);
    lead.close();
  });
});
