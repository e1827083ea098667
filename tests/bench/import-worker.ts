// Child process for `npm run bench -- import`: one `custodian account import` run in this
// process, reporting its own time and peak memory (so the figures are the import's alone, not
// building the vault or writing the file). Output lines are counted, not kept.
import { console_ } from '../../electron/cli/io.ts';
import { runCli } from '../../electron/cli/run.ts';

// The vault, the file, then any further options of the command (a KDBX's passphrase file, defaults).
const [vault, file, ...options] = process.argv.slice(2) as [string, string, ...string[]];
let lines = 0;
let errors = '';
const start = performance.now();
const outcome = await runCli(['account', 'import', vault, file, ...options], {
  // This process's environment (the acting member and passphrase the bench set) and streams.
  ...console_,
  out: () => (lines += 1),
  err: (line) => (errors += `${line}\n`),
  setExitCode: () => undefined,
});
const ms = performance.now() - start;
console.log(
  JSON.stringify({
    ms,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    // Both threads' CPU: the main thread's checks, sealing and writes, and the scorer's zxcvbn.
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    code: outcome.code,
    lines,
    errors: errors.slice(0, 500),
  }),
);
