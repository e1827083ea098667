/**
 * The child process of keys-left-in-memory-after-lock.test.ts: unlock, reveal, lock, as the
 * console's main process does, through the same router (the IPC payloads, the reveal's answer, a
 * lock that does not end the process), then wait to have its memory read. It is told the vault,
 * the member and the account on its first line of input and the passphrase on the second (never in
 * its arguments or environment, which stay in memory for the life of any process), and it never
 * learns K_vault, a secret key or the password except through the vault.
 */
import { readSync } from 'node:fs';
import { VaultRouter } from '../../electron/vault/router.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import type { IpcResult } from '../../shared/ipc/contract.ts';
import { isServerUrl } from '../../shared/vault-location.ts';

/**
 * Both lines, in one buffer the caller zeroes. Read straight into it from the file descriptor:
 * process.stdin reads into a buffer of Node's own, copies what it read into a chunk and frees that
 * buffer without zeroing it, which left the passphrase in the C heap (outside what this tests).
 */
function readInput(): Buffer {
  const input = Buffer.alloc(64 * 1024);
  let length = 0;
  // The input ends with an empty line.
  while (length < 2 || input[length - 2] !== 0x0a || input[length - 1] !== 0x0a) {
    let read: number;
    try {
      read = readSync(0, input, length, input.length - length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      continue;
    }
    if (read === 0) throw new Error('the input ended before its empty line');
    length += read;
  }
  return input.subarray(0, length);
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
  const input = readInput();
  const newline = input.indexOf('\n');
  const { path, member, account } = JSON.parse(input.subarray(0, newline).toString('utf8')) as {
    path: string;
    member: string;
    account: string;
  };
  // A vault file through a handle, as the window gets one; a server by its URL (tests/backends.ts).
  const location = isServerUrl(path)
    ? { server: path }
    : {
        file: (
          answer(
            await router.invoke('files.choose', { purpose: 'open-vault', typedPath: path }),
          ) as { file: { handle: string } }
        ).file.handle,
      };
  // The passphrase arrives as text, as it does in the window's IPC payload.
  let passphrase: string | undefined = input
    .subarray(newline + 1, input.indexOf('\n\n'))
    .toString();
  input.fill(0);
  answer(await router.invoke('vault.unlock', { ...location, memberName: member, passphrase }));
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
