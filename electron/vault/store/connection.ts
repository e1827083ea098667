import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { notFound, sqliteError, VaultError } from '../errors.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { assertNotNewer, assertSchemaIntact } from './migrate.ts';
import { assertIsVaultFile } from './vault-file-check.ts';

export type Db = SqliteDatabase;

/**
 * Open a vault file. WAL with synchronous=FULL: a committed write survives a crash or power
 * loss, and a crash mid-write leaves the last committed state. Reads never change the file.
 */
export function openVaultFile(path: string, options: { create: boolean }): Db {
  if (options.create && existsSync(path)) {
    throw new VaultError(
      ErrorCode.INVALID_INPUT,
      `A file already exists at ${path}; nothing was changed. Choose a new path for the vault.`,
    );
  }
  if (!options.create && !existsSync(path)) {
    throw notFound(`No vault at ${path}. Check the path, or create one with \`custodian init\`.`);
  }
  let db: Db | undefined;
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
  return (typeof code === 'string' && sqliteError(code)) || error;
}

/** SQLite's integrity check (pages, freelist, indexes against tables): its complaints, or none. */
export function integrityProblems(db: Db, limit = 20): string[] {
  const rows = db.pragma(`integrity_check(${limit})`) as { integrity_check: string }[];
  return rows.map((row) => row.integrity_check).filter((text) => text !== 'ok');
}
