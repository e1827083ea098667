// One writer of the multi-process test (tests/faults/concurrent-writers.test.ts): argv is the
// vault, a name for this writer, how many changes to make and the two account ids. Each change is
// what a person at a form does, through the real CLI (runCli, as the binary runs it): read the
// account's version (`account show`), then save on it (`rotate` or `account set` with
// --expected-version). Between the two, the other writers may change the account: the save then
// exits 6 (CONFLICT) and the writer reads again and retries; exit 3 (in use) is retried as it is.
// Prints one JSON line per change: what was saved, and the conflicts and refusals on the way.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { console_ } from '../../electron/cli/io.ts';
import { runCli } from '../../electron/cli/run.ts';

const [vault = '', writer = '', count = '0', ...accounts] = process.argv.slice(2);

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const { code } = await runCli(args, {
    ...console_,
    out: (line) => (stdout += `${line}\n`),
    err: (line) => (stderr += `${line}\n`),
  });
  return { code, stdout, stderr };
}

async function versionOf(account: string, refusals: string[]): Promise<number> {
  for (;;) {
    const shown = await run(['account', 'show', vault, account, '--json']);
    if (shown.code === 0) return (JSON.parse(shown.stdout) as { version: number }).version;
    if (shown.code !== 3) throw new Error(`account show exited ${shown.code}: ${shown.stderr}`);
    refusals.push(shown.stderr.trim());
  }
}

// Beside a vault file; a server vault (a URL) has no folder, so its test names one.
const scratch = process.env['CUSTODIAN_WRITER_SCRATCH'];
const passwordFile = scratch ? join(scratch, `${writer}.pw`) : `${vault}.${writer}.pw`;
for (let i = 0; i < Number(count); i++) {
  // Rotations and edits on both accounts: pairs of changes alternate between them.
  const account = accounts[Math.floor(i / 2) % accounts.length]!;
  const rotation = i % 2 === 0;
  const value = rotation ? `Pw-${writer}-${i}-Concurrent-x9` : `notes ${writer} ${i}`;
  const conflicts: string[] = [];
  const inUse: string[] = [];
  let saved = '';
  for (;;) {
    const version = String(await versionOf(account, inUse));
    let result;
    if (rotation) {
      writeFileSync(passwordFile, value, { mode: 0o600 });
      result = await run([
        'rotate',
        vault,
        account,
        '--reason',
        'scheduled',
        '--password-file',
        passwordFile,
        '--expected-version',
        version,
      ]);
    } else {
      result = await run([
        'account',
        'set',
        vault,
        account,
        '--notes',
        value,
        '--expected-version',
        version,
      ]);
    }
    if (result.code === 0) {
      saved = result.stdout.trim();
      break;
    }
    if (result.code === 6) conflicts.push(result.stderr.trim());
    else if (result.code === 3) inUse.push(result.stderr.trim());
    else throw new Error(`exit ${result.code}: ${result.stderr}`);
  }
  process.stdout.write(
    `${JSON.stringify({ writer, i, account, rotation, value, saved, conflicts, inUse })}\n`,
  );
}
