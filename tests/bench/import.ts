import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kdbxweb from 'kdbxweb';
import { MINIMUM_KDF } from '../../electron/vault/crypto/kdf.ts';
// Installs kdbxweb's Argon2 (@node-rs/argon2), which saving the KDBX 4 below needs.
import '../../electron/vault/import/formats/keepass.ts';
import { passwordStrength } from '../../electron/vault/domain/strength.ts';
import { createVault } from '../../electron/vault/vault.ts';
import { benchRows, rowsCsv, type BenchRow } from './support.ts';

const MEMBER = 'Bench Lead';
const PASSPHRASE = 'a benchmark passphrase';
const SOURCE_PASSPHRASE = 'the KeePass database passphrase';
/** KeePassXC's own choice for a new KDBX 4 database: Argon2id, 64 MiB, 2 threads. */
const KDBX_ARGON2 = { memoryMiB: 64, iterations: 10, parallelism: 2 };

interface Run {
  ms: number;
  maxRssMiB: number;
  cpuMs: number;
  code: number;
  lines: number;
  errors: string;
}

/**
 * Import of 10,000 accounts as a person runs it: `custodian account import` in a fresh child
 * process against a vault at the KDF floor (so the peak is the import's, not the vault's Argon2id),
 * reporting its time and peak RSS. By default the file is a 10,000-entry KDBX 4 (Argon2id as
 * KeePassXC makes one, entries in 40 groups mapped to units, one in three with a TOTP secret:
 * issue 16); BENCH_IMPORT=csv imports Custodian's CSV of the same accounts instead (issue 11),
 * BENCH_IMPORT=both does both. Beside it, zxcvbn alone on a sample, to say where the time goes.
 */
export async function benchImport(): Promise<void> {
  const count = Number(process.env['BENCH_ACCOUNTS'] ?? 10_000);
  const which = process.env['BENCH_IMPORT'] ?? 'kdbx';
  const dir = mkdtempSync(join(tmpdir(), 'custodian-bench-import-'));
  try {
    const rows = benchRows(count);
    if (which === 'kdbx' || which === 'both') {
      const file = join(dir, 'accounts.kdbx');
      const started = performance.now();
      writeFileSync(file, await kdbxOf(rows));
      const madeS = (performance.now() - started) / 1000;
      const passphraseFile = join(dir, 'source-passphrase');
      writeFileSync(passphraseFile, SOURCE_PASSPHRASE);
      const run = await importRun(dir, 'kdbx', file, [
        '--source-passphrase-file',
        passphraseFile,
        '--force',
        'norfolk',
        '--unit-type',
        'team',
        '--units-from-groups',
      ]);
      report(
        `import of a ${count}-entry KDBX 4 (Argon2id ${KDBX_ARGON2.memoryMiB} MiB, ${KDBX_ARGON2.iterations} passes, ${KDBX_ARGON2.parallelism} lanes; written in ${madeS.toFixed(1)} s) through \`custodian account import\` (one process)`,
        run,
        count,
      );
    }
    if (which === 'csv' || which === 'both') {
      const file = join(dir, 'accounts.csv');
      writeFileSync(file, rowsCsv(rows));
      const run = await importRun(dir, 'csv', file, []);
      report(
        `import of ${count} accounts from CSV through \`custodian account import\` (one process)`,
        run,
        count,
      );
    }
    const sample = rows.slice(0, 500);
    passwordStrength('warm up the dictionaries');
    // CPU time, not wall time: on a shared machine the wall clock says more about the neighbours.
    const start = process.cpuUsage();
    for (const row of sample) passwordStrength(row.password, [row.handle, row.unit]);
    const used = process.cpuUsage(start);
    const zxcvbnMs = (used.user + used.system) / 1000 / sample.length;
    console.log(
      `  zxcvbn alone:           ${zxcvbnMs.toFixed(1)} ms CPU a password (${sample.length} of the same passwords, this process)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function importRun(
  dir: string,
  name: string,
  file: string,
  options: readonly string[],
): Promise<Run> {
  const vault = join(dir, `${name}.vault`);
  (
    await createVault(vault, { founderName: MEMBER, passphrase: PASSPHRASE, kdf: MINIMUM_KDF })
  ).close();
  const worker = fileURLToPath(new URL('./import-worker.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', worker, vault, file, ...options], {
    encoding: 'utf8',
    env: { ...process.env, CUSTODIAN_USER: MEMBER, CUSTODIAN_PASSPHRASE: PASSPHRASE },
    maxBuffer: 1 << 20,
  });
  const run = JSON.parse(out.trim().split('\n').at(-1)!) as Run;
  if (run.code !== 0) throw new Error(`The bench import failed (${run.code}): ${run.errors}`);
  return run;
}

function report(title: string, run: Run, count: number): void {
  console.log(title);
  console.log(
    `  whole command:          ${(run.ms / 1000).toFixed(1)} s (${(run.ms / count).toFixed(1)} ms a row); peak RSS ${run.maxRssMiB.toFixed(0)} MiB`,
  );
  console.log(
    `  CPU, both threads:      ${(run.cpuMs / count).toFixed(1)} ms a row (zxcvbn and the rest; wall time is less where they overlap)`,
  );
}

/** The accounts as a KDBX 4 database: a group a unit, the profile URL, a TOTP for one in three. */
async function kdbxOf(rows: readonly BenchRow[]): Promise<Buffer> {
  const db = kdbxweb.Kdbx.create(
    new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(SOURCE_PASSPHRASE)),
    'bench',
  );
  db.setKdf(kdbxweb.Consts.KdfId.Argon2id);
  const params = db.header.kdfParameters!;
  const uint64 = kdbxweb.VarDictionary.ValueType.UInt64;
  params.set('M', uint64, new kdbxweb.Int64(KDBX_ARGON2.memoryMiB * 1024 * 1024));
  params.set('I', uint64, new kdbxweb.Int64(KDBX_ARGON2.iterations));
  params.set('P', kdbxweb.VarDictionary.ValueType.UInt32, KDBX_ARGON2.parallelism);
  const groups = new Map<string, kdbxweb.KdbxGroup>();
  const root = db.getDefaultGroup();
  rows.forEach((row, i) => {
    let group = groups.get(row.unit);
    if (!group) {
      group = db.createGroup(root, row.unit);
      groups.set(row.unit, group);
    }
    const entry = db.createEntry(group);
    entry.fields.set('Title', `X ${row.handle}`);
    entry.fields.set('UserName', row.username);
    entry.fields.set('Password', kdbxweb.ProtectedValue.fromString(row.password));
    entry.fields.set('URL', `https://x.com/${row.handle}`);
    if (i % 3 === 0) {
      entry.fields.set(
        'otp',
        kdbxweb.ProtectedValue.fromString(
          `otpauth://totp/X:${row.handle}?secret=JBSWY3DPEHPK3PXPJBSWY3DP&period=30&digits=6`,
        ),
      );
    }
  });
  return Buffer.from(await db.save());
}
