// One writer of `npm run bench -- shared` (shared.ts): argv is the vault (a file or a URL), the
// account, how many rotations and the mode. `session`: one unlocked router, rotations through the
// contract (generator.generate, then credentials.rotate), as the console makes them. `cli`: each
// rotation a whole `custodian rotate --generate` command (unlock, rotate, lock) through runCli,
// as the binary runs it; a busy vault (exit 3) is tried again and counted. Waits for a line on
// stdin before it starts, so every writer starts together; prints one JSON line of timings.
import { createInterface } from 'node:readline';
import { console_ } from '../../electron/cli/io.ts';
import { runCli } from '../../electron/cli/run.ts';
import { clientOf, openRouter } from '../../electron/cli/vault-client.ts';

const [vault = '', account = '', count = '0', mode = 'session'] = process.argv.slice(2);
const member = process.env['CUSTODIAN_USER'] ?? '';
const passphrase = process.env['CUSTODIAN_PASSPHRASE'] ?? '';

async function go(): Promise<void> {
  await new Promise<void>((resolve) =>
    createInterface({ input: process.stdin }).once('line', () => resolve()),
  );
}

async function sessionWriter(): Promise<void> {
  const router = openRouter();
  const { call, file } = clientOf(router);
  await call('vault.unlock', {
    file: await file(vault, 'open-vault'),
    memberName: member,
    passphrase,
  });
  process.stdout.write('ready\n');
  await go();
  const started = Date.now();
  const times: number[] = [];
  for (let i = 0; i < Number(count); i++) {
    const t0 = performance.now();
    const { password } = await call('generator.generate', { kind: 'characters' });
    await call('credentials.rotate', { account, reason: 'scheduled', password, informed: [] });
    times.push(performance.now() - t0);
  }
  const ended = Date.now();
  router.lock('quit');
  process.stdout.write(`${JSON.stringify({ times, started, ended, busy: 0 })}\n`);
}

async function cliWriter(): Promise<void> {
  process.stdout.write('ready\n');
  await go();
  const started = Date.now();
  const times: number[] = [];
  let busy = 0;
  const quiet = { ...console_, out: () => undefined, err: () => undefined };
  for (let i = 0; i < Number(count); i++) {
    const t0 = performance.now();
    for (;;) {
      const { code } = await runCli(
        ['rotate', vault, account, '--reason', 'scheduled', '--generate'],
        quiet,
      );
      if (code === 0) break;
      if (code !== 3) throw new Error(`rotate exited ${code}`);
      busy += 1;
    }
    times.push(performance.now() - t0);
  }
  process.stdout.write(`${JSON.stringify({ times, started, ended: Date.now(), busy })}\n`);
}

await (mode === 'cli' ? cliWriter() : sessionWriter());
