import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { notFound, sqliteError, VaultError } from '../errors.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { assertNotNewer, assertSchemaIntact } from './migrate.ts';
import { assertIsVaultFile } from './vault-file-check.ts';

/**
 * Connection handles, branded by what their holder may do (Signal's ReadableDB / WritableDB).
 * Every store function that reads takes a `ReadableDb`; every one that writes takes a
 * `WritableDb`, and the only `WritableDb` there is is the one `auditedTransaction` (audit/log.ts)
 * hands to its change, inside the IMMEDIATE transaction that also appends the change's audit
 * entries and signs their checkpoint. So a write outside it does not compile
 * (tests/unit/store/db-handles.test.ts). The brands exist only for the compiler.
 */
declare const readable: unique symbol;
declare const writable: unique symbol;
export type ReadableDb = SqliteDatabase & { readonly [readable]: true };
export type WritableDb = ReadableDb & { readonly [writable]: true };
/** What reads, and the store's own plumbing (statement cache, migrations), accept. */
export type Db = ReadableDb;

/**
 * Run `change` in one IMMEDIATE transaction with a writable handle. For audit/log.ts's
 * `auditedTransaction` alone, which wraps it with the audit entries and the checkpoint
 * (tests/unit/structure/sql-in-the-store.test.ts holds that to one caller).
 */
export function writeTransaction<T>(db: ReadableDb, change: (db: WritableDb) => T): T {
  return db.transaction(() => change(db as WritableDb)).immediate();
}

/**
 * Run `read` in one read transaction: every statement in it sees the same snapshot of the file,
 * whatever another process commits meanwhile (WAL). For checks that compare several tables.
 */
export function readTransaction<T>(db: ReadableDb, read: () => T): T {
  return db.transaction(read)();
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
  let db: ReadableDb | undefined;
  try {
    if (!options.create) assertIsVaultFile(path);
    db = new Database(path, { fileMustExist: !options.create }) as ReadableDb;
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
    assertNotNewer(db);
    if (!options.create) assertSchemaIntact(db);
    return db;
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
  return db.pragma('data_version', { simple: true }) as number;
}

/** SQLite's integrity check (pages, freelist, indexes against tables): its complaints, or none. */
export function integrityProblems(db: SqliteDatabase, limit = 20): string[] {
  const rows = db.pragma(`integrity_check(${limit})`) as { integrity_check: string }[];
  // One complaint a line; SQLite heads its list with the database's name, which says nothing.
  return rows
    .flatMap((row) => row.integrity_check.split('\n'))
    .filter((text) => text !== 'ok' && text !== '*** in database main ***' && text !== '');
}
