import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { notFound, sqliteError, VaultError } from '../errors.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { assertNotNewer, assertSchemaIntact } from './migrate.ts';
import { assertIsVaultFile } from './vault-file-check.ts';
import {
  sqliteConnection,
  sqliteFileOf,
  type ReadableDb,
  type StoreConnection,
  type WritableDb,
} from './store-connection.ts';

export type {
  Db,
  Dialect,
  ReadableDb,
  StoreConnection,
  StoreStatement,
  WritableDb,
} from './store-connection.ts';
export { sqliteConnection, sqliteFileOf, SqliteConnection } from './store-connection.ts';

/**
 * Run `change` in one write transaction with a writable handle. For audit/log.ts's
 * `auditedTransaction` alone, which wraps it with the audit entries and the checkpoint
 * (tests/unit/structure/sql-in-the-store.test.ts holds that to one caller).
 */
export function writeTransaction<T>(db: ReadableDb, change: (db: WritableDb) => T): T {
  return db.inWriteTransaction(() => change(db as WritableDb));
}

/**
 * Run `read` in one read transaction: every statement in it sees the same snapshot of the vault,
 * whatever another process commits meanwhile (WAL; REPEATABLE READ on the server). For checks
 * that compare several tables.
 */
export function readTransaction<T>(db: ReadableDb, read: () => T): T {
  return db.inReadTransaction(read);
}

/**
 * Open a vault file. WAL with synchronous=FULL: a committed write survives a crash or power
 * loss, and a crash mid-write leaves the last committed state. Reads never change the file.
 */
export function openVaultFile(path: string, options: { create: boolean }): ReadableDb {
  if (options.create && existsSync(path)) {
    throw new VaultError(
      ErrorCode.INVALID_INPUT,
      `A file already exists at ${path}; nothing was changed. Choose a new path for the vault.`,
    );
  }
  if (!options.create && !existsSync(path)) {
    throw notFound(
      `No vault at ${path}. Check the path, or create a vault: "Create a vault" in the console, or \`custodian init\` on the command line.`,
    );
  }
  let db: SqliteDatabase | undefined;
  try {
    if (!options.create) assertIsVaultFile(path);
    db = new Database(path, { fileMustExist: !options.create });
    // A failed busy wait means another writer: the caller reports "in use" rather than hang.
    db.pragma('busy_timeout = 2000');
    if (options.create) db.pragma('journal_mode = WAL');
    else {
      // Touches the file header: a file that is not SQLite fails here, before anything else.
      const mode = db.pragma('journal_mode', { simple: true });
      if (mode !== 'wal') db.pragma('journal_mode = WAL');
    }
    db.pragma('synchronous = FULL');
    // Deleted content is overwritten with zeros, not left in free pages: a removed member's key
    // slot, or a row under an old K_vault, cannot be carved from the file (issue 13, attack 4).
    db.pragma('secure_delete = ON');
    db.pragma('foreign_keys = ON');
    db.pragma('trusted_schema = OFF');
    const connection = sqliteConnection(db);
    assertNotNewer(connection);
    if (!options.create) assertSchemaIntact(connection);
    return connection;
  } catch (error) {
    db?.close();
    throw asVaultError(error);
  }
}

/** Map SQLite's failures to errors people can act on; anything else passes through unchanged. */
export function asVaultError(error: unknown): unknown {
  if (error instanceof VaultError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  // A damaged file header (its schema format byte, found by the tamper sweep) is a generic
  // SQLITE_ERROR, not SQLITE_CORRUPT: by its message it is the same damage.
  if (code === 'SQLITE_ERROR' && error instanceof Error && DAMAGED.test(error.message)) {
    return sqliteError('SQLITE_CORRUPT');
  }
  return (typeof code === 'string' && sqliteError(code)) || error;
}

const DAMAGED = /^(unsupported file format|malformed database schema)/;

/**
 * SQLite's data_version: changes whenever another connection commits to the file (never for this
 * connection's own commits), so caches of opened records can tell when to read again.
 */
export function dataVersion(db: ReadableDb): number {
  return db.dataVersion();
}

/**
 * SQLite's integrity check (pages, freelist, indexes against tables): its complaints, or none.
 * A server vault has no pages of its own to check: the server keeps them (none).
 */
export function integrityProblems(db: StoreConnection | SqliteDatabase, limit = 20): string[] {
  const file = db instanceof Database ? db : sqliteFileOf(db);
  if (!file) return [];
  const rows = file.pragma(`integrity_check(${limit})`) as { integrity_check: string }[];
  return complaintsIn(rows.map((row) => row.integrity_check));
}

/** One complaint a line; SQLite heads its list with the database's name, which says nothing. */
function complaintsIn(lines: readonly string[]): string[] {
  return lines
    .flatMap((line) => line.split('\n'))
    .filter((text) => text !== 'ok' && text !== '*** in database main ***' && text !== '');
}

/**
 * integrityProblems of the vault file at `path`, run on a worker thread with its own read-only
 * connection (store/integrity-worker.mjs), so that `audit verify` reads its trail meanwhile
 * (issue 17). Never rejects: undefined if the worker could not give SQLite's answer (it could not
 * open the file, the check failed, the thread died), and the caller then runs integrityProblems
 * on its own connection, whose answer, or error, is the one it always gave.
 */
export function integrityProblemsAside(path: string, limit = 20): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(INTEGRITY_WORKER, {
        workerData: { integrityWorker: true, path, limit },
        // Not the parent's flags: a TypeScript loader there would cost the worker 90 MiB.
        execArgv: [],
      });
    } catch {
      resolve(undefined);
      return;
    }
    worker.once('message', (message: { lines?: string[] }) =>
      resolve(message.lines === undefined ? undefined : complaintsIn(message.lines)),
    );
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
}

/** Beside this module in the source tree and in every bundle (the builds copy it). */
const INTEGRITY_WORKER = new URL('./integrity-worker.mjs', import.meta.url);
