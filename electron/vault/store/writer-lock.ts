import {
  linkSync,
  renameSync,
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
import { forbidden, VaultError } from '../errors.ts';

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
  /** The holder's member id (opaque; the name stays sealed in the vault). Absent before issue 14. */
  member: z.string().optional(),
  /** The holder's last sign of life, rewritten every HEARTBEAT_MS. Absent before issue 14. */
  heartbeat: z.string().optional(),
});
export type LockInfo = z.infer<typeof lockInfoSchema>;

/**
 * Issue 14 (ADR 0025): a lock held from another host cannot be judged by its pid, so its holder
 * writes a heartbeat into it every HEARTBEAT_MS. Silent for longer than STALE_AFTER_MS, it may be
 * taken over, by a lead only, once the taker has watched it stay silent for TAKEOVER_WATCH_MS
 * (two heartbeats and a second): a live holder rewrites it within that, so a heartbeat forged
 * into a live lock to make it look old does not get it taken over.
 */
export const HEARTBEAT_MS = 5_000;
export const STALE_AFTER_MS = 2 * 60_000;
export const TAKEOVER_WATCH_MS = 2 * HEARTBEAT_MS + 1_000;

export interface WriterLock {
  readonly path: string;
  /** Whose stale lock this one replaced (a lead's take-over): the caller records it in the trail. */
  readonly tookOverFrom?: LockInfo;
  /**
   * False once another holder's lock stands in its place (a lead took it over, ADR 0025): this
   * session must write no more. A lock file that is gone or unreadable is not another holder.
   */
  stillHeld(): boolean;
  release(): void;
}

export interface AcquireOptions {
  /** How long to wait for a live holder to let go before reporting "in use". */
  readonly waitMs?: number;
  /** The acting member's id, recorded in the lock so the next one to find it is told who holds it. */
  readonly member?: string;
  /** A member's name for their id, for messages (the lock file holds only the id). */
  readonly nameOf?: (memberId: string) => string;
  /**
   * Take over a stale lock from another host. `byLead` says whether the acting member is a lead
   * (from the signed chain); anyone else is refused, and the lock is left as it was.
   */
  readonly takeOver?: { readonly byLead: boolean };
  /** For tests only: how long the taker watches a silent lock before taking it over. */
  readonly watchMs?: number;
}

/**
 * A reader's session holds no writer lock (issue 14, ADR 0025): a member who changes nothing but
 * the trail (security) opens the vault beside another member's open session, as SQLite's WAL lets
 * a reader run beside a writer. Its few writes (its own audit entries) are transactions SQLite
 * serialises with the holder's; the lock file, which is about telling a second writer who holds
 * the vault, has nothing to say about them.
 */
export function noWriterLock(vaultPath: string): WriterLock {
  return { path: lockPathFor(vaultPath), stillHeld: () => true, release: () => undefined };
}

export function lockPathFor(vaultPath: string): string {
  return `${vaultPath}.lock`;
}

export async function acquireWriterLock(
  vaultPath: string,
  options: AcquireOptions = {},
): Promise<WriterLock> {
  const path = lockPathFor(vaultPath);
  const deadline = Date.now() + (options.waitMs ?? 0);
  if (options.takeOver && !options.takeOver.byLead) {
    throw forbidden(
      "taking over another workstation's vault lock is for a lead only (it can interrupt a colleague's session); nothing was changed. Ask a lead, or wait for the other session to close",
    );
  }
  let tookOverFrom: LockInfo | undefined;
  for (;;) {
    const lock = tryCreate(path, options.member, tookOverFrom);
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
    if (options.takeOver && silentOnAnotherHost(holder)) {
      if (await staysSilent(path, holder, options.watchMs ?? TAKEOVER_WATCH_MS)) {
        tookOverFrom = holder;
        removeIfUnchanged(path, holder);
        continue;
      }
      throw inUse(holder, options.nameOf, 'it wrote a heartbeat while being watched: it is alive');
    }
    if (Date.now() >= deadline) throw inUse(holder, options.nameOf);
    await sleep(25);
  }
}

/**
 * How long ago the holder last showed a sign of life (its heartbeat, or its start before issue
 * 14). A heartbeat dated further ahead than clocks between workstations drift (STALE_AFTER_MS) is
 * no sign of life: without this, one line written into the lock file would keep a dead lock
 * "alive" for ever. Infinity when there is no telling.
 */
export function heartbeatAgeMs(holder: LockInfo, now = Date.now()): number {
  const at = Date.parse(holder.heartbeat ?? holder.since);
  if (Number.isNaN(at) || at - now > STALE_AFTER_MS) return Number.POSITIVE_INFINITY;
  return Math.max(0, now - at);
}

/** Held from another host, and silent past the stated timeout: a crashed or switched-off workstation. */
function silentOnAnotherHost(holder: LockInfo): boolean {
  return holder.pid > 0 && holder.host !== hostname() && heartbeatAgeMs(holder) > STALE_AFTER_MS;
}

/**
 * Watch a silent lock for two heartbeats: a live holder rewrites it meanwhile (a new heartbeat),
 * a dead one does not. The holder's own rewrite is what defeats a forged old heartbeat.
 */
async function staysSilent(path: string, seen: LockInfo, watchMs: number): Promise<boolean> {
  await sleep(watchMs);
  const now = readHolder(path);
  return typeof now === 'object' && now.token === seen.token && now.heartbeat === seen.heartbeat;
}

function tryCreate(
  path: string,
  member: string | undefined,
  tookOverFrom: LockInfo | undefined,
): WriterLock | undefined {
  const since = new Date().toISOString();
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    since,
    token: randomId(),
    ...(member === undefined ? {} : { member }),
    heartbeat: since,
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
  // The heartbeat: unref'd, so it never keeps a finished CLI command alive.
  const beating = setInterval(() => beat(path, info), HEARTBEAT_MS);
  beating.unref();
  return {
    path,
    ...(tookOverFrom ? { tookOverFrom } : {}),
    stillHeld() {
      const current = readHolder(path);
      return typeof current !== 'object' || current.token === info.token;
    },
    release() {
      if (released) return;
      released = true;
      clearInterval(beating);
      const current = readHolder(path);
      if (typeof current === 'object' && current.token === info.token) unlinkSync(path);
    },
  };
}

/**
 * Rewrite the lock with a new heartbeat, whole (a staging file renamed over it), if it is still
 * this holder's. A lock taken over meanwhile is left to its new holder.
 */
function beat(path: string, info: LockInfo): void {
  const current = readHolder(path);
  if (typeof current !== 'object' || current.token !== info.token) return;
  const staging = `${path}.${info.token}.beat.tmp`;
  try {
    writeFileSync(staging, JSON.stringify({ ...info, heartbeat: new Date().toISOString() }), {
      mode: 0o600,
    });
    renameSync(staging, path);
  } catch {
    // A missed heartbeat (a full disk, a moment's network loss) only brings a take-over nearer;
    // the next beat tries again.
    rmSync(staging, { force: true });
  }
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

function inUse(
  holder: LockInfo,
  nameOf?: (memberId: string) => string,
  watched?: string,
): VaultError {
  if (holder.pid <= 0) {
    return new VaultError(
      ErrorCode.IN_USE,
      'The vault is in use; nothing was changed. Close it there, or try again in a moment.',
    );
  }
  const member = holder.member && nameOf ? `${nameOf(holder.member)}, ` : '';
  const who = ` by ${member}process ${holder.pid} on ${holder.host} since ${holder.since}`;
  if (watched) {
    return new VaultError(
      ErrorCode.IN_USE,
      `The vault is in use${who}; it was not taken over: ${watched}. Nothing was changed.`,
    );
  }
  if (holder.host !== hostname() && heartbeatAgeMs(holder) > STALE_AFTER_MS) {
    const age = heartbeatAgeMs(holder);
    const minutes = Number.isFinite(age)
      ? `for ${Math.floor(age / 60_000)} minutes`
      : 'for an unknown time (its heartbeat is unreadable or dated ahead)';
    return new VaultError(
      ErrorCode.IN_USE,
      `The vault is in use${who}, but that session has given no sign of life ${minutes}: the workstation may have crashed or been switched off. Nothing was changed. Check with whoever uses ${holder.host}; if it is not using the vault, a lead can take the lock over ("Take over its lock" when unlocking, or \`custodian take-over-lock VAULT\`), which is recorded in the audit trail.`,
    );
  }
  return new VaultError(
    ErrorCode.IN_USE,
    `The vault is in use${who}; nothing was changed. Close it there, or try again in a moment.`,
  );
}
