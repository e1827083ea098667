import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_KDF, deriveKek } from '../../electron/vault/crypto/kdf.ts';
import { importAccounts } from '../../electron/vault/domain/import.ts';
import { createVault } from '../../electron/vault/vault.ts';
import { ROOT } from '../helpers/bundle.ts';
import { benchRows, rowsCsv, type BenchRow } from './support.ts';

const MEMBER = 'Bench Lead';
const PASSPHRASE = 'a benchmark passphrase';
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);

const xmlEscape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The same accounts as a KeePass 2 XML file, for `keepassxc-cli import`. */
function keepassXml(rows: readonly BenchRow[]): string {
  const uuid = (i: number) =>
    Buffer.from(i.toString(16).padStart(32, '0'), 'hex').toString('base64');
  const field = (key: string, value: string, secret = false) =>
    `<String><Key>${key}</Key><Value${secret ? ' ProtectInMemory="True"' : ''}>${xmlEscape(value)}</Value></String>`;
  const entries = rows.map(
    (r, i) =>
      `<Entry><UUID>${uuid(i + 1)}</UUID>${field('Title', `x:${r.handle}`)}${field('UserName', r.username)}${field('Password', r.password, true)}${field('Notes', `${r.unit}, norfolk`)}</Entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<KeePassFile><Meta><Generator>custodian-bench</Generator><DatabaseName>bench</DatabaseName></Meta>
<Root><Group><UUID>${uuid(0)}</UUID><Name>Root</Name>
${entries.join('\n')}
</Group></Root></KeePassFile>
`;
}

interface Timed {
  readonly ms: number;
  /** User + system CPU of the process (from /usr/bin/time): what the neighbours move least. */
  readonly cpuMs: number;
  readonly stdout: string;
}

const TIME = '/usr/bin/time';
const cpuFile = join(tmpdir(), `custodian-bench-keepassxc-cpu-${process.pid}`);

/**
 * One fresh process, as a person at a terminal runs it: wall time from start to exit, and its CPU
 * time as /usr/bin/time reports it (where it is installed; 0 otherwise).
 */
function timed(command: string, args: readonly string[], input: string, env = {}): Timed {
  const withTime = existsSync(TIME);
  const start = performance.now();
  const result = spawnSync(
    withTime ? TIME : command,
    withTime ? ['-f', '%U %S', '-o', cpuFile, command, ...args] : args,
    {
      input,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', HOME: tmpdir(), ...env },
    },
  );
  const ms = performance.now() - start;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  const [user, system] = withTime
    ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number)
    : [0, 0];
  return { ms, cpuMs: ((user ?? 0) + (system ?? 0)) * 1000, stdout: result.stdout };
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[samples.length >> 1]!;

/**
 * Side by side with KeePassXC (issue 7): the same 10,000 entries in a Custodian vault and a KDBX
 * database, each key derivation set to the same time, each operation a fresh process of each
 * CLI with its passphrase on stdin or in the environment. keepassxc-cli 2.7 sets only the AES-KDF
 * round count from a target time; Custodian keeps Argon2id at its default and KeePassXC is given
 * that measured time. Both files are built once and kept in the temp folder.
 */
export async function benchKeepassxc(): Promise<void> {
  const count = Number(process.env['BENCH_ACCOUNTS'] ?? 10_000);
  const kdfSamples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    (await deriveKek(PASSPHRASE, new Uint8Array(16), DEFAULT_KDF)).wipe();
    kdfSamples.push(performance.now() - start);
  }
  const kdfMs = Math.round(median(kdfSamples));
  const dir = join(tmpdir(), `custodian-bench-keepassxc-${count}-v1`);
  const vault = join(dir, 'custodian.vault');
  const kdbx = join(dir, 'keepass.kdbx');
  const empty = { vault: join(dir, 'empty.vault'), kdbx: join(dir, 'empty.kdbx') };
  if (![vault, kdbx, empty.vault, empty.kdbx].every((path) => existsSync(path))) {
    console.log(`building ${dir} (${count} entries each; the Custodian import takes minutes)…`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const rows = benchRows(count);
    writeFileSync(join(dir, 'entries.xml'), keepassXml(rows));
    writeFileSync(join(dir, 'none.xml'), keepassXml([]));
    const twice = `${PASSPHRASE}\n${PASSPHRASE}\n`;
    timed(
      'keepassxc-cli',
      ['import', '-q', '-p', '-t', String(kdfMs), join(dir, 'entries.xml'), kdbx],
      twice,
    );
    timed(
      'keepassxc-cli',
      ['import', '-q', '-p', '-t', String(kdfMs), join(dir, 'none.xml'), empty.kdbx],
      twice,
    );
    rmSync(join(dir, 'entries.xml'));
    // The KeePass files keep the rounds set now; later runs say what they were set for.
    writeFileSync(join(dir, 'kdf-ms.txt'), String(kdfMs));
    (
      await createVault(empty.vault, {
        founderName: MEMBER,
        passphrase: PASSPHRASE,
        kdf: DEFAULT_KDF,
      })
    ).close();
    const session = await createVault(vault, {
      founderName: MEMBER,
      passphrase: PASSPHRASE,
      kdf: DEFAULT_KDF,
    });
    await importAccounts(session, rowsCsv(rows));
    session.close();
  }

  // The CLI as it ships (scripts/build-cli.js): the CommonJS bundle run with its V8 code cache,
  // kept in a private folder of the bench's own; the first run of each command below writes it.
  // BENCH_OLD_CLI names another build to run alternately with it (old, new, KeePassXC, old, ...),
  // such as the ES module bundle of an earlier commit, for a before and after in one run.
  const cliDir = join(ROOT, 'out', 'bench-cli');
  const built = spawnSync(process.execPath, ['scripts/build-cli.js', cliDir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`build-cli failed: ${built.stderr}`);
  const cli = join(cliDir, 'custodian.mjs');
  const kdfFile = join(dir, 'kdf-ms.txt');
  const builtFor = existsSync(kdfFile) ? readFileSync(kdfFile, 'utf8').trim() : 'an unrecorded';
  const oldCli = process.env['BENCH_OLD_CLI'];
  const cacheHome = join(dir, 'code-cache');
  mkdirSync(cacheHome, { recursive: true, mode: 0o700 });
  const env = {
    CUSTODIAN_USER: MEMBER,
    CUSTODIAN_PASSPHRASE: PASSPHRASE,
    XDG_CACHE_HOME: cacheHome,
  };
  const custodian = (args: string[]) => timed(process.execPath, [cli, ...args], '', env);
  const custodianOld = (args: string[]) =>
    timed(process.execPath, [oldCli ?? cli, ...args], '', env);
  const custodianTsx = (args: string[]) =>
    timed(process.execPath, [join(ROOT, 'bin/custodian.js'), ...args], '', env);
  const keepass = (args: string[], extraInput = '') =>
    timed('keepassxc-cli', args, `${PASSPHRASE}\n${extraInput}`);

  const target = `Account${Math.floor(count * 0.4242)}`;
  const passwordFile = join(dir, 'new-password');
  writeFileSync(passwordFile, 'Bench-New-Password-7741-Quartz');
  let added = 0;
  const operations: {
    name: string;
    custodian: (run: (args: string[]) => Timed) => Timed;
    keepass: () => Timed;
    expect: RegExp;
  }[] = [
    {
      name: 'open an empty file',
      custodian: (run) => run(['account', 'list', empty.vault]),
      keepass: () => keepass(['ls', '-q', empty.kdbx]),
      expect: /[\s\S]*/,
    },
    {
      name: 'open and search',
      custodian: (run) => run(['account', 'list', vault, '--search', target]),
      keepass: () => keepass(['search', '-q', kdbx, target]),
      expect: new RegExp(`x:${target}\\b`),
    },
    {
      name: 'open and show one entry',
      custodian: (run) => run(['account', 'show', vault, `x:${target}`]),
      keepass: () => keepass(['show', '-q', kdbx, `x:${target}`]),
      expect: new RegExp(target),
    },
    {
      name: 'add one entry',
      custodian: (run) =>
        run([
          'account',
          'add',
          vault,
          '--platform',
          'x',
          '--handle',
          `BenchNew${process.pid}x${++added}`,
          '--force',
          'norfolk',
          '--unit-type',
          'team',
          '--unit',
          'Bench',
          '--username',
          'bench-new',
          '--password-file',
          passwordFile,
        ]),
      keepass: () =>
        keepass(
          ['add', '-q', '-p', '-u', 'bench-new', kdbx, `x:BenchNew${process.pid}x${added}`],
          'Bench-New-Password-7741-Quartz\n',
        ),
      expect: /./,
    },
  ];

  console.log(
    `Custodian vs keepassxc-cli ${timed('keepassxc-cli', ['--version'], '').stdout.trim()} at ${count} entries; ` +
      `key derivation ${kdfMs} ms now (Custodian Argon2id ${DEFAULT_KDF.memoryKiB / 1024} MiB × ${DEFAULT_KDF.passes}); KeePassXC AES-KDF rounds set for ${builtFor} ms when its files were made; median of ${RUNS} fresh processes`,
  );
  const cpu = new Map<string, number[]>();
  const check = (who: string, op: (typeof operations)[number], result: Timed) => {
    if (op.name !== 'add one entry' && !op.expect.test(result.stdout.trim()))
      throw new Error(`${who} ${op.name}: unexpected output ${result.stdout.slice(0, 200)}`);
    const key = `${op.name}/${who}`;
    cpu.set(key, [...(cpu.get(key) ?? []), result.cpuMs]);
    return result.ms;
  };
  // One run of each command first, uncounted: it writes the code cache the counted runs use.
  for (const op of operations) {
    op.custodian(custodian);
    if (oldCli) op.custodian(custodianOld);
  }
  console.log(
    oldCli
      ? `  operation                  old CLI     Custodian   KeePassXC   old/KeePassXC  new/KeePassXC  new/old   (old: ${oldCli})`
      : '  operation                  Custodian   KeePassXC   ratio',
  );
  const cell = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
  for (const op of operations) {
    const ours: number[] = [];
    const old: number[] = [];
    const theirs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      if (oldCli) old.push(check('old CLI', op, op.custodian(custodianOld)));
      ours.push(check('Custodian', op, op.custodian(custodian)));
      theirs.push(check('KeePassXC', op, op.keepass()));
    }
    const [a, b] = [median(ours), median(theirs)];
    const cpuOf = (who: string) => median(cpu.get(`${op.name}/${who}`) ?? [0]).toFixed(0);
    const cpuLine = `      CPU user+sys, median: ${oldCli ? `old ${cpuOf('old CLI')} ms, ` : ''}Custodian ${cpuOf('Custodian')} ms, KeePassXC ${cpuOf('KeePassXC')} ms`;
    if (oldCli) {
      const o = median(old);
      console.log(
        `  ${op.name.padEnd(25)} ${cell(o)}   ${cell(a)}   ${cell(b)}   ${(o / b).toFixed(2).padStart(13)}  ${(a / b).toFixed(2).padStart(13)}  ${(a / o).toFixed(2).padStart(7)}`,
      );
    } else {
      console.log(`  ${op.name.padEnd(25)} ${cell(a)}   ${cell(b)}   ${(a / b).toFixed(2)}`);
    }
    console.log(cpuLine);
  }
  const viaTsx = Array.from(
    { length: 3 },
    () => custodianTsx(['account', 'list', vault, '--search', target]).ms,
  );
  console.log(
    `  (open and search through bin/custodian.js, TypeScript via tsx: ${median(viaTsx).toFixed(0)} ms)`,
  );
}
