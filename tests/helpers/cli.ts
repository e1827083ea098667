import { spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../electron/cli/io.ts';
import { runCli } from '../../electron/cli/run.ts';

export const CLI = fileURLToPath(new URL('../../bin/custodian.js', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run a `custodian` command in this process, through the same runCli the binary calls, with its
 * own environment and no terminal (so env passphrases apply, as for a spawned process with no
 * TTY). Only `env` is seen: nothing of the test process's own environment leaks in. A command
 * reads and writes the same files as the binary would; what only a separate process can show (its
 * exit status, a terminal, a second PID holding the lock, being killed) needs custodianProcess.
 */
export async function custodian(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  const captured = capturingIo(env);
  const { code } = await runCli(args, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

/**
 * The run's folder of kept checkpoints (vitest.config.ts) unless the test names its own, as one
 * that models two workstations does: never the user's own folder.
 */
export function withKeptCheckpoints(env: Record<string, string>): Record<string, string> {
  const folder = process.env['CUSTODIAN_CHECKPOINT_DIR'];
  return folder ? { CUSTODIAN_CHECKPOINT_DIR: folder, ...env } : env;
}

/** An Io that keeps what a run writes, with the given environment and no terminal. */
export function capturingIo(env: Record<string, string> = {}): {
  readonly io: Io;
  readonly stdout: () => string;
  readonly stderr: () => string;
} {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (line) => (stdout += `${line}\n`),
    err: (line) => (stderr += `${line}\n`),
    setExitCode: () => undefined,
    env: withKeptCheckpoints(env),
    stdin: Readable.from([]),
    // Raw writes (a prompt, a progress line) come only on a terminal, which this is not.
    stderr: new Writable({
      write(chunk: Buffer, _encoding, done) {
        stderr += chunk.toString();
        done();
      },
    }),
  };
  return { io, stdout: () => stdout, stderr: () => stderr };
}

/** Run the real `custodian` command in its own process, with no terminal (so env passphrases apply). */
export function custodianProcess(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        ...withKeptCheckpoints(env),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const REPEAT_CHILD = fileURLToPath(new URL('./cli-repeat-child.ts', import.meta.url));

export interface TimedCliResult extends CliResult {
  /** Date.now() in the child when the run began and ended. */
  readonly startedAt: number;
  readonly endedAt: number;
}

/**
 * One real process that runs the same command `times` times in a row, each run as the binary
 * would (cli-repeat-child.ts); the results in order. No terminal, so env passphrases apply.
 */
export function custodianProcessRepeating(
  times: number,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<TimedCliResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', REPEAT_CHILD, String(times), ...args],
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? '/tmp',
          ...withKeptCheckpoints(env),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`the repeating process exited ${String(code)}: ${stderr}`));
        return;
      }
      resolve(
        stdout
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as TimedCliResult),
      );
    });
  });
}

/** The KDF floor keeps CLI tests quick; the code path is the same as at the default. */
export const FAST_KDF = ['--kdf-memory-mib', '19', '--kdf-passes', '2'];
