// A `custodian` process that runs one command several times in a row (argv: the count, then the
// command's arguments), each run as the binary runs it (runCli with this process's environment),
// and prints each run's result and when it ran as a JSON line. For the concurrency test: two of these are two
// processes contending for one vault's writer lock, without paying Node and tsx start-up per
// command. Each run takes and releases the lock, as one `custodian` invocation does.
import { console_ } from '../../electron/cli/io.ts';
import { runCli } from '../../electron/cli/run.ts';

const [times, ...args] = process.argv.slice(2);
for (let i = 0; i < Number(times); i++) {
  let stdout = '';
  let stderr = '';
  const startedAt = Date.now();
  const { code } = await runCli(args, {
    ...console_,
    out: (line) => (stdout += `${line}\n`),
    err: (line) => (stderr += `${line}\n`),
  });
  process.stdout.write(
    `${JSON.stringify({ code, stdout, stderr, startedAt, endedAt: Date.now() })}\n`,
  );
}
