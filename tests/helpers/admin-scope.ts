import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { addDevice } from '../../electron/vault/domain/devices.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { grantAccess } from '../../electron/vault/domain/teams.ts';
import { custodian, type CliResult } from './cli.ts';
import { PASSPHRASES, populatedVault, unlockAs } from './vault.ts';

export const ADMIN_ENV = { CUSTODIAN_USER: 'Ada Admin', CUSTODIAN_PASSPHRASE: PASSPHRASES.admin };
export const MINE = 'x:NorfolkPolice';
export const THEIRS = 'facebook:SuffolkRoadsPolicing';

/**
 * The attacks on administrator scope (10.2, 9.14) start here: Ada Admin administers x:NorfolkPolice
 * only; facebook:SuffolkRoadsPolicing is someone else's, with Lee Other on its team and a device.
 */
export async function adminScopeVault(path: string): Promise<{ mine: string; theirs: string }> {
  const [mine, theirs] = (await populatedVault(path)).accounts as [string, string];
  const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
  grantAdministrator(lead, mine, findMemberByName(lead, 'Ada Admin').id);
  addPerson(lead, { name: 'Kay Patel', masterclassOn: '2026-01-05' });
  addPerson(lead, { name: 'Lee Other', masterclassOn: '2026-01-05' });
  grantAccess(lead, { account: mine, person: 'Kay Patel' });
  grantAccess(lead, { account: theirs, person: 'Lee Other' });
  addDevice(lead, { owner: 'Lee Other', kind: 'force', label: 'Their phone', accounts: [theirs] });
  lead.close();
  return { mine, theirs };
}

/** Run the real CLI as Ada Admin. */
export function asAdmin(...args: string[]): Promise<CliResult> {
  return custodian(args, ADMIN_ENV);
}
