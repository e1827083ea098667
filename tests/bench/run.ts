// `npm run bench -- <name>`: performance figures live here, never in timed unit tests.
// Results are recorded in docs/BENCHMARKS.md with the command that produced them.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_KDF, MINIMUM_KDF } from '../../electron/vault/crypto/kdf.ts';
import { importAccounts } from '../../electron/vault/domain/import.ts';
import { listAccounts } from '../../electron/vault/domain/accounts.ts';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { grantAccess, revokeAccess } from '../../electron/vault/domain/teams.ts';
import { evaluateHealth } from '../../electron/vault/health/evaluate.ts';
import { createVault, unlockVault } from '../../electron/vault/vault.ts';
import { benchConsole } from './console.ts';
import { benchCore } from './core.ts';
import { benchImport } from './import.ts';
import { benchKeepassxc } from './keepassxc.ts';
import { benchKept } from './kept.ts';
import { benchOpen } from './open.ts';
import { benchCsv, stats } from './support.ts';
import { benchRemoval } from './removal.ts';
import { benchScale } from './scale.ts';
import { benchSearch } from './search.ts';
import { benchShared } from './shared.ts';
import { benchUnlockTeam } from './unlock-team.ts';
import { benchUnlockLarge } from './unlock-large.ts';

const benches: Record<string, () => Promise<void>> = {
  unlock: benchUnlock,
  'unlock-team': benchUnlockTeam,
  'unlock-large': benchUnlockLarge,
  removal: benchRemoval,
  health: benchHealth,
  audit: benchAudit,
  console: benchConsole,
  keepassxc: benchKeepassxc,
  core: benchCore,
  import: benchImport,
  scale: benchScale,
  search: benchSearch,
  kept: benchKept,
  open: benchOpen,
  shared: benchShared,
};

/** Unlock at the default Argon2id parameters, and the unknown-member path beside it. */
async function benchUnlock(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'custodian-bench-'));
  const path = join(dir, 'bench.vault');
  const passphrase = 'a benchmark passphrase';
  try {
    (await createVault(path, { founderName: 'Bench Lead', passphrase })).close();
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      let start = performance.now();
      const session = await unlockVault(path, { memberName: 'Bench Lead', passphrase });
      known.push(performance.now() - start);
      session.close();
      start = performance.now();
      await unlockVault(path, { memberName: 'Nobody', passphrase }).catch(() => undefined);
      unknown.push(performance.now() - start);
    }
    const kdf = `Argon2id ${DEFAULT_KDF.memoryKiB / 1024} MiB, ${DEFAULT_KDF.passes} passes, parallelism ${DEFAULT_KDF.parallelism}`;
    console.log(
      `unlock (${kdf}) on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    );
    console.log(`  member unlock:          ${stats(known)}`);
    console.log(`  unknown member refused: ${stats(unknown)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Health at 10,000 accounts (issue 4): one CSV import builds the registry (every row through the
 * real path: sealing, strength, fingerprint, audit), then people and team changes through their
 * services; the vault is kept in the temp folder (about five minutes to build), so later runs,
 * and old and new code in turn, evaluate the same registry.
 */
async function benchHealth(): Promise<void> {
  const count = Number(process.env['BENCH_ACCOUNTS'] ?? 10_000);
  const { path, setup } = await healthVault(count);
  const session = await unlockVault(path, {
    memberName: 'Bench Lead',
    passphrase: 'a benchmark passphrase',
  });
  try {
    const samples: number[] = [];
    let findings = 0;
    let start = performance.now();
    evaluateHealth(session); // the first evaluation reads and opens the registry once
    const firstMs = performance.now() - start;
    // CPU time beside wall time: on a machine shared with others' work it moves far less.
    const cpuMs: number[] = [];
    for (let i = 0; i < Number(process.env['BENCH_RUNS'] ?? 7); i++) {
      const cpu = process.cpuUsage();
      start = performance.now();
      findings = evaluateHealth(session).length;
      samples.push(performance.now() - start);
      const used = process.cpuUsage(cpu);
      cpuMs.push((used.user + used.system) / 1000);
    }
    const rss = process.memoryUsage().rss / 2 ** 20;
    console.log(
      `health at ${count} accounts, ${setup.people} people, ${setup.teamChanges} team changes ` +
        `(setup: import ${(setup.importMs / 1000).toFixed(1)} s, people and team ${(setup.registryMs / 1000).toFixed(1)} s; kept in the temp folder)`,
    );
    console.log(`  first evaluation (opens the registry): ${firstMs.toFixed(0)} ms`);
    console.log(
      `  evaluate all rules:     ${stats(samples)}; ${findings} findings; RSS ${rss.toFixed(0)} MiB`,
    );
    console.log(`  CPU, all threads:       ${stats(cpuMs)}`);
  } finally {
    session.close();
  }
}

interface HealthSetup {
  readonly importMs: number;
  readonly registryMs: number;
  readonly people: number;
  readonly teamChanges: number;
}

/** The health bench's vault: built once through the real services and kept in the temp folder. */
async function healthVault(count: number): Promise<{ path: string; setup: HealthSetup }> {
  const path = join(tmpdir(), `custodian-bench-health-${count}-v1.vault`);
  const setupFile = `${path}.json`;
  if (existsSync(path) && existsSync(setupFile)) {
    return { path, setup: JSON.parse(readFileSync(setupFile, 'utf8')) as HealthSetup };
  }
  const building = `${path}.building`;
  rmSync(building, { force: true });
  const session = await createVault(building, {
    founderName: 'Bench Lead',
    passphrase: 'a benchmark passphrase',
    kdf: MINIMUM_KDF,
  });
  let start = performance.now();
  const report = await importAccounts(session, benchCsv(count));
  const importMs = performance.now() - start;
  if (report.written !== count) throw new Error('The bench import wrote too few rows.');
  // 2,000 people and 50,000 team changes (grants and revokes), through the services.
  const people = Math.round(count / 5);
  const teamChanges = count * 5;
  const accountIds = listAccounts(session).map((a) => a.id);
  const personIds: string[] = [];
  start = performance.now();
  for (let i = 0; i < people; i++) {
    personIds.push(
      addPerson(session, {
        name: `Person ${i}`,
        ...(i % 4 ? { masterclassOn: '2025-06-01' } : {}),
      }).id,
    );
  }
  for (let i = 0; i < teamChanges / 2; i++) {
    const account = accountIds[i % accountIds.length]!;
    const person = personIds[(i * 7) % personIds.length]!;
    grantAccess(session, { account, person, on: '2025-01-01' });
    revokeAccess(session, { account, person, on: '2025-06-01' });
  }
  const registryMs = performance.now() - start;
  session.close();
  const setup = { importMs, registryMs, people, teamChanges };
  renameSync(building, path);
  writeFileSync(setupFile, JSON.stringify(setup));
  return { path, setup };
}

/**
 * Audit at 1,000,000 entries (issue 5): the entries go through the real append path (canonical
 * JSON, leaf hash, sealed details, signed checkpoints), about 57,000 transactions; then a JSON Lines
 * export and an offline verify, each in a child process that reports its own peak memory.
 */
async function benchAudit(): Promise<void> {
  const total = Number(process.env['BENCH_ENTRIES'] ?? 1_000_000);
  const { path, buildMs } = await auditVault(total);
  const dir = mkdtempSync(join(tmpdir(), 'custodian-bench-'));
  try {
    const worker = fileURLToPath(new URL('./audit-worker.ts', import.meta.url));
    const child = (mode: string) => {
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', worker, mode, path, join(dir, 'trail.jsonl')],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      return JSON.parse(out.trim().split('\n').at(-1)!) as {
        ms: number;
        maxRssMiB: number;
        detail: {
          entries?: number;
          exportMs?: number;
          verifyMs?: number;
          rssAfterUnlockMiB?: number;
          ok?: boolean;
        };
      };
    };
    const exports: number[] = [];
    let exportRss = 0;
    let afterUnlock = 0;
    // Three exports (the machine's noise is large); one verify of the last; one vault verify.
    for (let i = 0; i < 3; i++) {
      const exported = child('export');
      exports.push(exported.detail.exportMs ?? exported.ms);
      exportRss = Math.max(exportRss, exported.maxRssMiB);
      afterUnlock = Math.max(afterUnlock, exported.detail.rssAfterUnlockMiB ?? 0);
    }
    const verified = child('verify');
    const vaultVerified = child('verify-vault');
    const kdf = child('kdf');
    const size = statSync(join(dir, 'trail.jsonl')).size / 2 ** 20;
    console.log(
      `audit at ${total} entries (appending them took ${(buildMs / 1000).toFixed(1)} s; the vault is kept in the temp folder)`,
    );
    console.log(
      `  export to JSON Lines:   ${stats(exports)}; peak RSS ${exportRss.toFixed(0)} MiB (${afterUnlock.toFixed(0)} MiB after the unlock), ${size.toFixed(0)} MiB file`,
    );
    console.log(
      `  verify-export:          ${(verified.ms / 1000).toFixed(2)} s, peak RSS ${verified.maxRssMiB.toFixed(0)} MiB, ok=${String(verified.detail.ok)}`,
    );
    console.log(
      `  audit verify (vault):   ${((vaultVerified.detail.verifyMs ?? vaultVerified.ms) / 1000).toFixed(2)} s after the unlock, peak RSS ${vaultVerified.maxRssMiB.toFixed(0)} MiB, ok=${String(vaultVerified.detail.ok)}`,
    );
    console.log(
      `  key derivation alone:   default Argon2id (${DEFAULT_KDF.memoryKiB / 1024} MiB), peak RSS ${kdf.maxRssMiB.toFixed(0)} MiB (the bench vault is at the floor, so the export's peak above is not it)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Entries in the n-th transaction of the audit bench's vault: 1 to 34, 17.5 on average, so a
 * million entries carry about 57,000 signed checkpoints, one a transaction, the density issue 17
 * measured on a vault in use (a reveal, a copy, an unlock is each its own transaction). The first
 * version of this vault wrote 10,000 entries to a transaction, 100 checkpoints in all, which left
 * the checkpoints' signatures out of what a verify costs.
 */
const transactionSize = (n: number) => 1 + ((n * 13) % 34);

/**
 * The audit bench's vault, built once and kept in the temp folder: the entries go through the real
 * append path (canonical JSON, leaf hash, sealed details, signed checkpoints), in transactions of
 * `transactionSize`. Each export adds one entry (its own record), which the next run exports too.
 */
async function auditVault(total: number): Promise<{ path: string; buildMs: number }> {
  const path = join(tmpdir(), `custodian-bench-audit-${total}-v2.vault`);
  const timing = `${path}.json`;
  if (existsSync(path) && existsSync(timing)) {
    return {
      path,
      buildMs: (JSON.parse(readFileSync(timing, 'utf8')) as { buildMs: number }).buildMs,
    };
  }
  const building = `${path}.building`;
  rmSync(building, { force: true });
  const session = await createVault(building, {
    founderName: 'Bench Lead',
    passphrase: 'a benchmark passphrase',
    kdf: MINIMUM_KDF,
  });
  const start = performance.now();
  for (let done = 0, transactions = 0; done < total; transactions += 1) {
    const batch = Math.min(transactionSize(transactions), total - done);
    session.write(({ audit }) => {
      for (let i = 0; i < batch; i++) {
        audit({
          kind: 'credential.revealed',
          account: 'a'.repeat(32),
          details: { field: 'password', reason: `bench reveal ${done + i}` },
        });
      }
    });
    done += batch;
  }
  const buildMs = performance.now() - start;
  session.close();
  renameSync(building, path);
  writeFileSync(timing, JSON.stringify({ buildMs }));
  return { path, buildMs };
}

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(benches);
for (const name of names) {
  const bench = benches[name];
  if (!bench) {
    console.error(`Unknown benchmark "${name}". Known: ${Object.keys(benches).join(', ')}.`);
    process.exit(1);
  }
  await bench();
}
