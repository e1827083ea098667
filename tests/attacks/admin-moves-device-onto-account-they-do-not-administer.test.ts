import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDevices } from '../../electron/vault/domain/devices.ts';
import { entriesOfKind } from '../helpers/audit.ts';
import { adminScopeVault, asAdmin, MINE, THEIRS } from '../helpers/admin-scope.ts';
import { custodian } from '../helpers/cli.ts';
import { PASSPHRASES, tempDir, unlockAs, vaultLocation } from '../helpers/vault.ts';

/**
 * Attack: an administrator who may not record a device against another team's account (see
 * admin-links-device-to-account-they-do-not-administer) records one on their own account and then
 * edits it onto the other, or edits or retires another team's device to hide it from 10.1 and
 * 12.1. 10.2, 9.14: the accounts before and after an edit must all be theirs; nothing is written.
 */
describe('an administrator editing a device onto, or off, an account they do not administer', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  beforeEach(async () => {
    dir = tempDir();
    path = vaultLocation(`${dir.dir}/attack.vault`);
    await adminScopeVault(path);
  });
  afterEach(() => dir.cleanup());

  it('10.2: `device edit` and `device retire` are refused on any account not theirs, before or after', async () => {
    const add = ['device', 'add', path, '--owner', 'Kay Patel', '--kind', 'force'];
    expect((await asAdmin(...add, '--label', 'My phone', '--accounts', MINE)).code).toBe(0);

    const moved = await asAdmin(
      'device',
      'edit',
      path,
      'My phone',
      '--accounts',
      `${MINE},${THEIRS}`,
    );
    expect(moved.code).toBe(4);
    expect(moved.stderr).toMatch(/Changing a device on facebook:SuffolkRoadsPolicing.*10\.2/);
    expect((await asAdmin('device', 'edit', path, 'Their phone', '--label', 'Gone')).code).toBe(4);
    const hidden = await asAdmin('device', 'retire', path, 'Their phone', '--reason', 'hide it');
    expect(hidden.code).toBe(4);

    const after = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    expect(entriesOfKind(after, 'device.updated')).toEqual([]);
    expect(entriesOfKind(after, 'device.retired')).toEqual([]);
    const devices = new Map(listDevices(after).map((d) => [d.value.label, d.value]));
    expect(devices.get('My phone')?.accountIds).toHaveLength(1);
    expect(devices.get('Their phone')?.retiredOn).toBeUndefined();
    after.close();

    // Their own device they may correct and retire; the lead any.
    expect((await asAdmin('device', 'edit', path, 'My phone', '--label', 'My phone 2')).code).toBe(
      0,
    );
    expect(
      (await asAdmin('device', 'retire', path, 'My phone 2', '--reason', 'replaced')).code,
    ).toBe(0);
    const leadEnv = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: PASSPHRASES.lead };
    expect(
      (await custodian(['device', 'retire', path, 'Their phone', '--reason', 'wiped'], leadEnv))
        .code,
    ).toBe(0);
  });
});
