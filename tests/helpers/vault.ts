import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MINIMUM_KDF } from '../../electron/vault/crypto/kdf.ts';
import { createAccount } from '../../electron/vault/domain/account-creation.ts';
import { addMember } from '../../electron/vault/domain/members.ts';
import type { VaultSession } from '../../electron/vault/session.ts';
import { createVault, unlockVault } from '../../electron/vault/vault.ts';

/** Tests use the KDF floor: the derivation is the same code, only cheaper. */
export const TEST_KDF = MINIMUM_KDF;

export const PASSPHRASES = {
  lead: 'lead passphrase one',
  dmt: 'dmt passphrase two',
  admin: 'admin passphrase three',
  security: 'security passphrase four',
} as const;

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'custodian-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function newVault(path: string): Promise<VaultSession> {
  return createVault(path, {
    founderName: 'Lena Lead',
    passphrase: PASSPHRASES.lead,
    kdf: TEST_KDF,
  });
}

export function unlockAs(path: string, name: string, passphrase: string): Promise<VaultSession> {
  return unlockVault(path, { memberName: name, passphrase });
}

/** A vault with one member of each role and two accounts. */
export async function populatedVault(path: string): Promise<{ accounts: string[] }> {
  const lead = await newVault(path);
  await addMember(lead, { name: 'Dev Dmt', role: 'dmt', passphrase: PASSPHRASES.dmt });
  await addMember(lead, { name: 'Ada Admin', role: 'admin', passphrase: PASSPHRASES.admin });
  await addMember(lead, {
    name: 'Sam Security',
    role: 'security',
    passphrase: PASSPHRASES.security,
  });
  const a = createAccount(lead, {
    platform: 'x',
    handle: 'NorfolkPolice',
    force: 'norfolk',
    unitType: 'department',
    unitName: 'Corporate Communications',
    username: 'norfolk-comms',
    password: 'first-Password-1',
  });
  const b = createAccount(lead, {
    platform: 'facebook',
    handle: 'SuffolkRoadsPolicing',
    force: 'suffolk',
    unitType: 'team',
    unitName: 'Roads Policing',
    username: 'suffolk-roads',
    password: 'second-Password-2',
  });
  lead.close();
  return { accounts: [a.id, b.id] };
}
