/**
 * The child process of keys-left-in-memory-after-lock.test.ts: unlock, reveal, lock, as the
 * console's main process does, through the same router (the IPC payloads, the reveal's answer, a
 * lock that does not end the process), then wait to have its memory read. It is told the vault,
 * the member and the account on its first line of input and the passphrase on the second (never in
 * its arguments or environment, which stay in memory for the life of any process), and it never
 * learns K_vault, a secret key or the password except through the vault.
 */
import { VaultRouter } from '../../electron/vault/router.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import type { IpcResult } from '../../shared/ipc/contract.ts';

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

/** The console's router, with no clipboard and no idle lock (this process locks when it is done). */
function consoleRouter(): VaultRouter {
  return new VaultRouter({
    clipboard: { writeText: () => undefined, readText: () => '', clear: () => undefined },
    files: typedPathChooser,
    timers: { after: () => () => undefined },
  });
}

function answer(result: IpcResult<unknown>): unknown {
  if (!result.ok) throw new Error(`the router refused: ${result.error.message}`);
  return result.value;
}

/**
 * Unlock and reveal as the window does, and say how long the password was. Its own function, so
 * nothing it held (an answer, a payload) is still on the stack when the lock comes, as in the app,
 * where a lock arrives as a call of its own (the Lock button, the idle timer, suspend).
 */
async function unlockAndReveal(router: VaultRouter): Promise<number> {
  const input = await readInput();
  const newline = input.indexOf('\n');
  const { path, member, account } = JSON.parse(input.subarray(0, newline).toString('utf8')) as {
    path: string;
    member: string;
    account: string;
  };
  const { file } = answer(
    await router.invoke('files.choose', { purpose: 'open-vault', typedPath: path }),
  ) as { file: { handle: string } };
  // The passphrase arrives as text, as it does in the window's IPC payload.
  let passphrase: string | undefined = input
    .subarray(newline + 1, input.indexOf('\n\n'))
    .toString();
  input.fill(0);
  answer(
    await router.invoke('vault.unlock', { file: file.handle, memberName: member, passphrase }),
  );
  passphrase = undefined;
  const { value: revealed } = answer(
    await router.invoke('credentials.reveal', { account, reason: 'memory test' }),
  ) as { value: string };
  return revealed.length;
}

async function run(): Promise<void> {
  const router = consoleRouter();
  const length = await unlockAndReveal(router);
  // The window's Lock: the process goes on, as it does after the idle lock, suspend or screen lock.
  answer(await router.invoke('vault.lock', {}));
  // A control the test must find, so a scan that reads nothing cannot pass: kept alive on purpose.
  (globalThis as { control?: Uint8Array }).control = Buffer.from(
    `control-${length}-${'k'.repeat(24)}`,
  );
  process.stdout.write(`ready ${length}\n`);
}

await run();
// Stay alive, holding nothing, until the test has read this process's memory and ends it.
setInterval(() => undefined, 60_000);
