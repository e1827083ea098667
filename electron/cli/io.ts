import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Everything the `custodian` command line takes from the process it runs in: where its lines go,
 * the environment it reads the acting member and passphrases from, and the terminal a hidden
 * prompt or a progress line needs. The real entry (main.ts) passes the process's own; a test passes
 * its own, so commands run in the test's process as they would in a fresh one.
 */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  setExitCode(code: number): void;
  /** CUSTODIAN_USER and the CUSTODIAN_*PASSPHRASE variables are read from here, nowhere else. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A passphrase is asked for only when both are terminals; otherwise the environment applies. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** The prompt and the self-overwriting progress lines write here, not through `err`. */
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

/** Lines are dropped once a reader has closed the pipe (closed-pipe.ts): there is no one to read them. */
export const console_: Io = {
  out: (line) => {
    if (!process.stdout.destroyed) process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    if (!process.stderr.destroyed) process.stderr.write(`${line}\n`);
  },
  setExitCode: (code) => (process.exitCode = code),
  env: process.env,
  // Getters: touching process.stdin sets up a stream, which a run may do but loading this must not.
  get stdin() {
    return process.stdin;
  },
  get stderr() {
    return process.stderr;
  },
};

/**
 * The Io of the run in progress. acting() and readPassphrase() are called from deep inside the
 * commands without an Io to hand; they find the run's own here. Two runs in one process (a test's
 * concurrent commands) each see their own, which a module-level variable could not give.
 */
const current = new AsyncLocalStorage<Io>();

export function runWithIo<T>(io: Io, run: () => T): T {
  return current.run(io, run);
}

/** Outside any run (a command's action called directly), the process's own. */
export function currentIo(): Io {
  return current.getStore() ?? console_;
}
