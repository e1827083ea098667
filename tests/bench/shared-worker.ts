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
import { roundTrips } from '../../electron/vault/store/postgres/pg-connection.ts';

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
  // Round trips to the server a rotation (ADR 0034; none on a file).
  const trips: number[] = [];
  for (let i = 0; i < Number(count); i++) {
    const t0 = performance.now();
    const before = roundTrips.count;
    const { password } = await call('generator.generate', { kind: 'characters' });
    await call('credentials.rotate', { account, reason: 'scheduled', password, informed: [] });
    times.push(performance.now() - t0);
    trips.push(roundTrips.count - before);
  }
  const ended = Date.now();
  router.lock('quit');
  process.stdout.write(
    `${JSON.stringify({ times, trips, started, ended, busy: 0, conflicts: 0 })}\n`,
  );
}

async function cliWriter(): Promise<void> {
  process.stdout.write('ready\n');
  await go();
  const started = Date.now();
  const times: number[] = [];
  let busy = 0;
  let conflicts = 0;
  let stderr = '';
  const quiet = { ...console_, out: () => undefined, err: (line: string) => (stderr = line) };
  for (let i = 0; i < Number(count); i++) {
    const t0 = performance.now();
    for (;;) {
      const { code } = await runCli(
        ['rotate', vault, account, '--reason', 'scheduled', '--generate'],
        quiet,
      );
      if (code === 0) break;
      // Busy (3) and a rotation crossed by another writer's (6, reported, nothing saved) are
      // what a person would try again; anything else stops the bench, saying what it was.
      if (code === 3) busy += 1;
      else if (code === 6) conflicts += 1;
      else throw new Error(`rotate exited ${code}: ${stderr}`);
    }
    times.push(performance.now() - t0);
  }
  process.stdout.write(
    `${JSON.stringify({ times, started, ended: Date.now(), busy, conflicts })}\n`,
  );
}

await (mode === 'cli' ? cliWriter() : sessionWriter());
