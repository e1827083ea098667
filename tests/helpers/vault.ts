import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MINIMUM_KDF } from '../../electron/vault/crypto/kdf.ts';
import { createAccount } from '../../electron/vault/domain/account-creation.ts';
import { addMember } from '../../electron/vault/domain/members.ts';
import type { VaultSession } from '../../electron/vault/session.ts';
import { createVault, unlockVault } from '../../electron/vault/vault.ts';
import { createHash } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { isServerUrl } from '../../shared/vault-location.ts';
import {
  clusterUrl,
  createDatabaseOn,
  dropDatabases,
  startThrowawayCluster,
  type ThrowawayCluster,
} from './postgres-cluster.ts';

/**
 * `CUSTODIAN_TEST_BACKEND=postgres` runs the suites that make their vaults through newVault,
 * populatedVault and unlockAs on a server instead of a file (issue 14): each vault path a test
 * names becomes a database of its own on the run's throwaway cluster, dropped when its file ends. A test that also
 * reads or edits the file itself (its bytes, its lock file, better-sqlite3) does not apply there.
 */
const ON_SERVER = process.env['CUSTODIAN_TEST_BACKEND'] === 'postgres';
let cluster: ThrowawayCluster | undefined;
/** The vaults this file made on the server: the path a test named, and its database's name. */
const databases = new Map<string, { name: string; url: string }>();
if (ON_SERVER) afterAll(() => dropThisFilesDatabases());

/**
 * The cluster this file's vaults go on: the one the `postgres` project shares
 * (tests/helpers/server-cluster-setup.ts), or, run outside it, one of this file's own.
 */
function testClusterSocket(): string {
  const shared = inject('serverTestCluster');
  if (shared) return shared;
  cluster ??= startThrowawayCluster({ fsync: false });
  return cluster.socketDir;
}

function dropThisFilesDatabases(): void {
  if (cluster) {
    cluster.stop();
  } else if (databases.size > 0) {
    dropDatabases(
      testClusterSocket(),
      [...databases.values()].map((database) => database.name),
    );
  }
  databases.clear();
}

/** Where the vault a test names by path is: the path, or its database on the test cluster. */
export function vaultLocation(path: string): string {
  if (!ON_SERVER || isServerUrl(path)) return path;
  let database = databases.get(path);
  if (database === undefined) {
    const socketDir = testClusterSocket();
    const name = `v${createHash('sha256').update(path).digest('hex').slice(0, 24)}`;
    createDatabaseOn(socketDir, name);
    databases.set(path, (database = { name, url: clusterUrl(socketDir, name) }));
  }
  return database.url;
}

/**
 * A vault made by the format-4 code (commit f7058b9, before the membership chain) with
 * tests/fixtures/format-4/make-with-format-4-code.ts.txt: a member of each role, Ada Admin granted
 * the first account, Rob Removed (admin, granted the second) and Dora Departed (dmt) removed, and
 * a rotation of the second account by Dev Dmt afterwards. The "before removals" copy is the same
 * vault before Rob and Dora were removed. Test KDF, passphrases as in PASSPHRASES.
 */
export const FORMAT_4_FIXTURE = fileURLToPath(
  new URL('../fixtures/format-4/format-4.vault', import.meta.url),
);
export const FORMAT_4_BEFORE_REMOVALS = fileURLToPath(
  new URL('../fixtures/format-4/format-4-before-removals.vault', import.meta.url),
);

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
  return createVault(vaultLocation(path), {
    founderName: 'Lena Lead',
    passphrase: PASSPHRASES.lead,
    kdf: TEST_KDF,
  });
}

export function unlockAs(path: string, name: string, passphrase: string): Promise<VaultSession> {
  return unlockVault(vaultLocation(path), { memberName: name, passphrase });
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
