import { addDevice, reportLostDevice } from '../../electron/vault/domain/devices.ts';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { PASSPHRASES, populatedVault, unlockAs } from './vault.ts';

/**
 * The test vault with an open lost-device incident (policy 10.1): Pat Officer's "DMT phone 3",
 * which reaches the first account, reported lost by the DMT. What a false dashboard summary
 * would hide.
 */
export async function populatedVaultWithALostPhone(path: string): Promise<{ accounts: string[] }> {
  const { accounts } = await populatedVault(path);
  const dmt = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
  try {
    const owner = addPerson(dmt, { name: 'Pat Officer' }).id;
    addDevice(dmt, { owner, kind: 'force', label: 'DMT phone 3', accounts: [accounts[0]!] });
    reportLostDevice(dmt, { device: 'DMT phone 3' });
  } finally {
    dmt.close();
  }
  return { accounts };
}
