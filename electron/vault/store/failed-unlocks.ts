import { appendFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import type { Db, WritableDb } from './store-connection.ts';
import { statement } from './statements.ts';

/**
 * Failed unlocks (DESIGN.md: audited) cannot be written into the vault: the attempt holds no key
 * to seal or sign with, and a wrong passphrase must leave the vault file byte for byte as it was.
 * So they go to a side file beside it, and the next successful unlock folds them into the signed
 * trail and removes the file. The file holds when and where; never what was typed, and from format 8
 * on no member either (a name-bound slot cannot say whose it would have been, ADR 0022; `member`
 * stays for lines written before). Deleting it hides attempts; that gap is written down in ADR 0003.
 */
const attemptSchema = z.object({
  at: z.string(),
  host: z.string(),
  pid: z.number().int(),
  member: z.string().nullable(),
});
export type FailedUnlock = z.infer<typeof attemptSchema>;

/** Beyond this the file is not grown further (a flood of guesses is itself visible by then). */
const MAX_BYTES = 256 * 1024;

export function failedUnlocksPathFor(vaultPath: string): string {
  return `${vaultPath}.failed-unlocks`;
}

/**
 * A server vault has no folder to put a side file in: its failed unlocks go to the server's
 * `failed_unlocks` table (migrations/postgres/001), as unauthenticated as the side file, and the
 * next unlock deletes the ones it folds into the trail in its own transaction.
 */
const onServer = (db: Db) => db.dialect === 'postgres';

export function recordFailedUnlock(
  db: Db,
  vaultPath: string,
  memberId: string | null,
  at: string,
): void {
  if (onServer(db)) {
    try {
      statement(db, 'INSERT INTO failed_unlocks (at, host, pid, member) VALUES (?, ?, ?, ?)').run(
        at,
        hostname(),
        process.pid,
        memberId,
      );
    } catch {
      // Best effort, as for the file: a server gone must not turn a wrong passphrase into a crash.
    }
    return;
  }
  const path = failedUnlocksPathFor(vaultPath);
  try {
    if ((statSync(path, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) return;
    const attempt: FailedUnlock = { at, host: hostname(), pid: process.pid, member: memberId };
    appendFileSync(path, `${JSON.stringify(attempt)}\n`, { mode: 0o600 });
  } catch {
    // Recording is best effort: a read-only folder must not turn a wrong passphrase into a crash.
  }
}

/** The recorded attempts, oldest first; lines that do not parse are reported as such, not dropped. */
/** Attempts folded in at one unlock, at most (a flood beyond is itself visible by then). */
const MAX_ATTEMPTS = 1000;

export function readFailedUnlocks(db: Db, vaultPath: string): (FailedUnlock | 'unreadable')[] {
  if (onServer(db)) {
    const rows = statement(
      db,
      `SELECT at, host, pid, member FROM failed_unlocks ORDER BY rowid LIMIT ${MAX_ATTEMPTS}`,
    ).all();
    return rows.map((row) => {
      const parsed = attemptSchema.safeParse(row);
      return parsed.success ? parsed.data : 'unreadable';
    });
  }
  let text: string;
  try {
    text = readFileSync(failedUnlocksPathFor(vaultPath), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        const parsed = attemptSchema.safeParse(JSON.parse(line));
        return parsed.success ? parsed.data : 'unreadable';
      } catch {
        return 'unreadable';
      }
    });
}

/**
 * On the server, inside the write that folds them into the trail: the `count` oldest attempts go
 * with the same commit, so none is lost or recorded twice by this unlock.
 */
export function clearServerFailedUnlocks(db: WritableDb, count: number): void {
  if (!onServer(db) || count === 0) return;
  statement(
    db,
    'DELETE FROM failed_unlocks WHERE rowid IN (SELECT rowid FROM failed_unlocks ORDER BY rowid LIMIT ?)',
  ).run(count);
}

/** The file's side file, once its attempts are in the signed trail (a server's go in that write). */
export function clearFailedUnlocks(db: Db, vaultPath: string): void {
  if (onServer(db)) return;
  rmSync(failedUnlocksPathFor(vaultPath), { force: true });
}
