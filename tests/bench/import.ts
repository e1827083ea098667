import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MINIMUM_KDF } from '../../electron/vault/crypto/kdf.ts';
import { passwordStrength } from '../../electron/vault/domain/strength.ts';
import { createVault } from '../../electron/vault/vault.ts';
import { benchRows, rowsCsv } from './support.ts';

const MEMBER = 'Bench Lead';
const PASSPHRASE = 'a benchmark passphrase';

/**
 * The CSV import of 10,000 accounts (issue 11) as a person runs it: `custodian account import`
 * in a fresh child process against a vault at the KDF floor (so the peak is the import's, not
 * Argon2id's 256 MiB), reporting its time and peak RSS. Beside it, zxcvbn alone on a sample of
 * the same passwords, to say where the time per row goes.
 */
export async function benchImport(): Promise<void> {
  const count = Number(process.env['BENCH_ACCOUNTS'] ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'custodian-bench-import-'));
  try {
    const vault = join(dir, 'import.vault');
    (
      await createVault(vault, { founderName: MEMBER, passphrase: PASSPHRASE, kdf: MINIMUM_KDF })
    ).close();
    const rows = benchRows(count);
    const csv = join(dir, 'accounts.csv');
    writeFileSync(csv, rowsCsv(rows));
    const worker = fileURLToPath(new URL('./import-worker.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', worker, vault, csv], {
      encoding: 'utf8',
      env: { ...process.env, CUSTODIAN_USER: MEMBER, CUSTODIAN_PASSPHRASE: PASSPHRASE },
      maxBuffer: 1 << 20,
    });
    const run = JSON.parse(out.trim().split('\n').at(-1)!) as {
      ms: number;
      maxRssMiB: number;
      cpuMs: number;
      code: number;
      lines: number;
      errors: string;
    };
    if (run.code !== 0) throw new Error(`The bench import failed (${run.code}): ${run.errors}`);
    const sample = rows.slice(0, 500);
    passwordStrength('warm up the dictionaries');
    // CPU time, not wall time: on a shared machine the wall clock says more about the neighbours.
    const start = process.cpuUsage();
    for (const row of sample) passwordStrength(row.password, [row.handle, row.unit]);
    const used = process.cpuUsage(start);
    const zxcvbnMs = (used.user + used.system) / 1000 / sample.length;
    console.log(`import of ${count} accounts through \`custodian account import\` (one process)`);
    console.log(
      `  whole command:          ${(run.ms / 1000).toFixed(1)} s (${(run.ms / count).toFixed(1)} ms a row); peak RSS ${run.maxRssMiB.toFixed(0)} MiB`,
    );
    console.log(
      `  CPU, both threads:      ${(run.cpuMs / count).toFixed(1)} ms a row (zxcvbn and the rest; wall time is less where they overlap)`,
    );
    console.log(
      `  zxcvbn alone:           ${zxcvbnMs.toFixed(1)} ms CPU a password (${sample.length} of the same passwords, this process)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
