/**
 * The child process of keys-left-in-memory-after-lock.test.ts: unlock, reveal, lock, as the
 * console's main process or the CLI does, then wait to have its memory read. It is told the vault,
 * the member and the account on its first line of input and the passphrase on the second (never in
 * its arguments or environment, which stay in memory for the life of any process), and it never
 * learns K_vault, a secret key or the password except through the vault.
 */
import { revealPassword } from '../../electron/vault/domain/reveal.ts';
import { unlockVault } from '../../electron/vault/vault.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run me with --expose-gc');

/** Both lines, in one buffer the caller zeroes; every chunk read is zeroed here. */
async function readInput(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    // The input ends with an empty line (a copy made only to look for it would leak it).
    if ((chunk as Buffer).subarray(-2).toString() === '\n\n') break;
  }
  const input = Buffer.alloc(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    input.set(chunk, at);
    at += chunk.length;
    chunk.fill(0);
  }
  return input;
}

async function run(): Promise<void> {
  const input = await readInput();
  const newline = input.indexOf('\n');
  const { path, member, account } = JSON.parse(input.subarray(0, newline).toString('utf8')) as {
    path: string;
    member: string;
    account: string;
  };
  // The passphrase arrives as text, as it does from the IPC payload or the CLI's prompt.
  let passphrase: string | undefined = input
    .subarray(newline + 1, input.indexOf('\n\n'))
    .toString();
  input.fill(0);
  const session = await unlockVault(path, { memberName: member, passphrase });
  passphrase = undefined;
  let revealed: string | undefined = revealPassword(session, account, 'memory test').expose();
  const length = revealed.length;
  revealed = undefined;
  session.close();
  for (let i = 0; i < 5; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // A control the test must find, so a scan that reads nothing cannot pass: kept alive on purpose.
  (globalThis as { control?: Uint8Array }).control = Buffer.from(
    `control-${length}-${'k'.repeat(24)}`,
  );
  process.stdout.write(`ready ${length}\n`);
}

await run();
// Stay alive, holding nothing, until the test has read this process's memory and ends it.
setInterval(() => undefined, 60_000);
