import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_KDF } from '../../electron/vault/crypto/kdf.ts';
import { listAccounts } from '../../electron/vault/domain/accounts.ts';
import { addDevice } from '../../electron/vault/domain/devices.ts';
import { importAccounts } from '../../electron/vault/domain/import.ts';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { grantAccess, revokeAccess } from '../../electron/vault/domain/teams.ts';
import { auditStore } from '../../electron/vault/store/audit-store.ts';
import { createVault } from '../../electron/vault/vault.ts';
import { benchCsv } from './support.ts';

export const BENCH_MEMBER = 'Bench Lead';
export const BENCH_PASSPHRASE = 'a benchmark passphrase';

export interface LargeVaultSizes {
  readonly accounts: number;
  readonly people: number;
  readonly teamChanges: number;
  readonly devices: number;
  readonly auditEntries: number;
}

export const FULL_SIZE: LargeVaultSizes = {
  accounts: 10_000,
  people: 2_000,
  teamChanges: 50_000,
  devices: 5_000,
  auditEntries: 1_000_000,
};

/** How long each part of building the vault took, and the peak memory of the import. */
export interface LargeVaultSetup {
  readonly importMs: number;
  readonly importPeakRssMiB: number;
  readonly peopleAndTeamsMs: number;
  readonly devicesMs: number;
  readonly auditMs: number;
}

/**
 * A large, realistic vault (issue 7) built through the real services, so every row is sealed and
 * every change audited as in use: the accounts through the CSV import (strength, fingerprint,
 * signed entries), people, grants and revokes, and devices through their services one audited
 * transaction each, then the trail topped up to its size with reveal entries through the real
 * append path (canonical JSON, leaf hash, sealed details), 10,000 to a transaction with a signed
 * checkpoint each. At the default key derivation, so unlock figures are real. Kept in the temp
 * folder with its setup timings: the full size takes about ten minutes to build.
 */
export async function largeVault(
  sizes: LargeVaultSizes = FULL_SIZE,
): Promise<{ path: string; setup: LargeVaultSetup }> {
  const name = `custodian-bench-large-${sizes.accounts}-${sizes.auditEntries}-v1`;
  const path = join(tmpdir(), `${name}.vault`);
  const setupFile = join(tmpdir(), `${name}.json`);
  if (existsSync(path) && existsSync(setupFile)) {
    return { path, setup: JSON.parse(readFileSync(setupFile, 'utf8')) as LargeVaultSetup };
  }
  console.log(`building ${path} (${JSON.stringify(sizes)}; kept for next time)…`);
  const building = `${path}.building`;
  rmSync(building, { force: true });
  const session = await createVault(building, {
    founderName: BENCH_MEMBER,
    passphrase: BENCH_PASSPHRASE,
    kdf: DEFAULT_KDF,
  });
  try {
    let start = performance.now();
    const report = await importAccounts(session, benchCsv(sizes.accounts));
    const importMs = performance.now() - start;
    const importPeakRssMiB = process.resourceUsage().maxRSS / 1024;
    if (report.written !== sizes.accounts) throw new Error('The bench import wrote too few rows.');
    const accounts = listAccounts(session).map((a) => a.id);

    start = performance.now();
    const people: string[] = [];
    for (let i = 0; i < sizes.people; i++) {
      const trained = i % 4 ? { masterclassOn: '2025-06-01' } : {};
      people.push(addPerson(session, { name: `Person ${i}`, ...trained }).id);
    }
    for (let i = 0; i < sizes.teamChanges / 2; i++) {
      const account = accounts[i % accounts.length]!;
      const person = people[(i * 7) % people.length]!;
      grantAccess(session, { account, person, on: '2025-01-01' });
      revokeAccess(session, { account, person, on: '2025-06-01' });
    }
    const peopleAndTeamsMs = performance.now() - start;

    start = performance.now();
    for (let i = 0; i < sizes.devices; i++) {
      addDevice(session, {
        owner: people[i % people.length]!,
        kind: i % 3 ? 'force' : 'personal',
        label: `Device ${i}`,
        accounts: [accounts[i % accounts.length]!, accounts[(i * 13) % accounts.length]!],
      });
    }
    const devicesMs = performance.now() - start;

    start = performance.now();
    for (let done = auditStore.countEntries(session.db); done < sizes.auditEntries;) {
      const batch = Math.min(10_000, sizes.auditEntries - done);
      session.write(({ audit }) => {
        for (let i = 0; i < batch; i++) {
          audit({
            kind: 'credential.revealed',
            account: accounts[(done + i) % accounts.length]!,
            details: { field: 'password', reason: `bench reveal ${done + i}` },
          });
        }
      });
      done += batch;
    }
    const auditMs = performance.now() - start;
    session.close();
    const setup = { importMs, importPeakRssMiB, peopleAndTeamsMs, devicesMs, auditMs };
    renameSync(building, path);
    writeFileSync(setupFile, JSON.stringify(setup));
    return { path, setup };
  } catch (error) {
    session.abandon();
    throw error;
  }
}
