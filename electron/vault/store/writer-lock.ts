import {
  linkSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { ErrorCode } from '../../../shared/errors.ts';
import { randomId } from '../crypto/random.ts';
import { VaultError } from '../errors.ts';

/**
 * One writer at a time: a lock file beside the vault, held by the process that has the vault
 * unlocked for writing (for the app, the whole session; for the CLI, one command). SQLite's own
 * write lock (BEGIN IMMEDIATE) still serialises every transaction underneath, so the data stays
 * consistent even if two processes race on a stale lock; this file is what lets a second process
 * say clearly who holds the vault instead of failing half-way.
 */
const lockInfoSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  since: z.string(),
  token: z.string(),
});
type LockInfo = z.infer<typeof lockInfoSchema>;

export interface WriterLock {
  readonly path: string;
  release(): void;
}

export function lockPathFor(vaultPath: string): string {
  return `${vaultPath}.lock`;
}

export async function acquireWriterLock(
  vaultPath: string,
  options: { waitMs?: number } = {},
): Promise<WriterLock> {
  const path = lockPathFor(vaultPath);
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    const lock = tryCreate(path);
    if (lock) {
      removeStrayStaging(path);
      return lock;
    }
    const holder = readHolder(path);
    if (holder === 'gone') continue;
    if (holder === 'unreadable' || isStale(holder)) {
      removeIfUnchanged(path, holder);
      continue;
    }
    if (Date.now() >= deadline) throw inUse(holder);
    await sleep(25);
  }
}

function tryCreate(path: string): WriterLock | undefined {
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    token: randomId(),
  };
  // The lock appears whole or not at all: its content is written to a file of its own, then
  // hard-linked into place, which fails if a lock exists. A process killed between creating a
  // lock and writing it (found by the kill -9 suite) can no longer leave an empty lock that no
  // one can tell from a live one.
  const staging = `${path}.${info.token}.tmp`;
  try {
    writeFileSync(staging, JSON.stringify(info), { mode: 0o600, flag: 'wx' });
    linkSync(staging, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw new VaultError(
      ErrorCode.STORAGE,
      'Cannot create the vault lock file beside the vault; nothing was changed. Check the folder is writable and the disk is not full.',
      { cause: error },
    );
  } finally {
    rmSync(staging, { force: true });
  }
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      const current = readHolder(path);
      if (typeof current === 'object' && current.token === info.token) unlinkSync(path);
    },
  };
}

/**
 * A process killed between staging its lock and linking it leaves its staging file behind
 * (`<vault>.lock.<token>.tmp`). Whoever next takes the lock removes those whose writer, on this
 * machine, no longer runs; any other is left alone.
 */
function removeStrayStaging(path: string): void {
  const folder = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const staging = join(folder, name);
    const writer = readHolder(staging);
    if (typeof writer === 'object' && writer.pid > 0 && isStale(writer)) {
      rmSync(staging, { force: true });
    }
  }
}

function readHolder(path: string): LockInfo | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    return 'unreadable';
  }
  try {
    const parsed = lockInfoSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : emptyLock(path, text);
  } catch {
    return emptyLock(path, text);
  }
}

/**
 * Locks are no longer written in two steps, but an older Custodian's could be caught empty between
 * its create and its write: held for a moment, then (the writer died) stale.
 */
function emptyLock(path: string, text: string): LockInfo | 'unreadable' {
  if (text.length > 0) return 'unreadable';
  try {
    return Date.now() - statSync(path).mtimeMs < EMPTY_LOCK_GRACE_MS
      ? heldByUnknown()
      : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

const EMPTY_LOCK_GRACE_MS = 10_000;

function heldByUnknown(): LockInfo {
  return { pid: -1, host: '', since: new Date().toISOString(), token: '' };
}

/** A lock left by a process on this machine that no longer runs (a crash) can be taken over. */
function isStale(holder: LockInfo): boolean {
  if (holder.pid <= 0 || holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function removeIfUnchanged(path: string, seen: LockInfo | 'unreadable'): void {
  const now = readHolder(path);
  const same =
    seen === 'unreadable'
      ? now === 'unreadable'
      : typeof now === 'object' && now.token === seen.token;
  if (!same) return;
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function inUse(holder: LockInfo): VaultError {
  const who =
    holder.pid > 0 ? ` by process ${holder.pid} on ${holder.host} since ${holder.since}` : '';
  return new VaultError(
    ErrorCode.IN_USE,
    `The vault is in use${who}; nothing was changed. Close it there, or try again in a moment.`,
  );
}
