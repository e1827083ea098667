import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lockPathFor } from '../../electron/vault/store/writer-lock.ts';

/**
 * A process on another "host": its own UTS namespace (`unshare -u`), so os.hostname() there is
 * another machine's name while it shares this machine's files, as two workstations share a
 * folder. Needs unshare as the current user: as root, or through a user namespace (`-r`).
 * Undefined where neither works; the tests that need it say they are skipped.
 */
function unsharePrefix(): string[] | undefined {
  for (const prefix of [
    ['unshare', '-u'],
    ['unshare', '-r', '-u'],
  ]) {
    const probe = spawnSync(prefix[0]!, [...prefix.slice(1), 'hostname', 'probe-host'], {
      stdio: 'ignore',
    });
    if (probe.status === 0) return prefix;
  }
  return undefined;
}

export const UNSHARE = unsharePrefix();

const LOCK_HOLDER = fileURLToPath(new URL('./lock-holder-child.ts', import.meta.url));

/** The vault open on `host`, as `member`: resolves once it holds the writer lock. */
export function holdOnHost(
  host: string,
  vault: string,
  member: string,
  passphrase: string,
): Promise<ChildProcess> {
  const prefix = UNSHARE;
  if (!prefix) throw new Error('unshare is not available');
  const script = `hostname "$1" && shift && exec "$@"`;
  return held(
    host,
    spawn(
      prefix[0]!,
      [
        ...prefix.slice(1),
        'sh',
        '-c',
        script,
        'sh',
        host,
        process.execPath,
        '--import',
        'tsx',
        LOCK_HOLDER,
        vault,
        member,
        passphrase,
      ],
      {
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
  );
}

/** The vault open in another process on this host, as `member` (a console left open). */
export function holdHere(vault: string, member: string, passphrase: string): Promise<ChildProcess> {
  return held(
    'this host',
    spawn(process.execPath, ['--import', 'tsx', LOCK_HOLDER, vault, member, passphrase], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

function held(host: string, child: ChildProcess): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('held')) resolve(child);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      reject(new Error(`the holder on ${host} exited ${code}: ${stderr}`)),
    );
  });
}

/** kill -9 and wait until it is gone: a workstation that crashed. */
export function crash(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/**
 * The lock file's heartbeat put back by `ms`: that much time without a sign of life from its
 * holder (a crashed one), or, written by someone else, a forged one.
 */
export function ageHeartbeat(vault: string, ms: number): void {
  const path = lockPathFor(vault);
  const lock = JSON.parse(readFileSync(path, 'utf8')) as { heartbeat: string };
  lock.heartbeat = new Date(Date.now() - ms).toISOString();
  writeFileSync(path, JSON.stringify(lock));
}
