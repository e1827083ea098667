import Database from 'better-sqlite3';
import { ErrorCode } from '../../../shared/errors.ts';
import { invalidInput, VaultError } from '../errors.ts';
import { existsSync } from 'node:fs';
import {
  integrityProblems,
  sqliteConnection,
  sqliteFileOf,
  type ReadableDb,
} from './connection.ts';
import { readHeader } from './header-store.ts';
import { assertSchemaIntact } from './migrate.ts';

/**
 * SQLite's online backup of `db` into a new file at `path`: one consistent state, started over
 * if another connection writes mid-copy, so the copy never mixes two transactions.
 */
export async function copyVaultFile(db: ReadableDb, path: string): Promise<void> {
  const file = sqliteFileOf(db);
  if (!file) {
    throw invalidInput(
      `${db.location} is a server vault: \`custodian backup\` copies vault files. Back the server up with its own tools; nothing was changed.`,
    );
  }
  await file.backup(path);
}

/** The copy as SQLite sees it: whole pages, sound indexes, exactly the schema Custodian made. */
export function checkCopy(path: string): void {
  const copy = new Database(path, { fileMustExist: true });
  try {
    // A copy stands alone: one file, no write-ahead log beside it.
    copy.pragma('journal_mode = DELETE');
    const problems = integrityProblems(copy);
    if (problems.length > 0) {
      throw new VaultError(
        ErrorCode.INTEGRITY,
        `The backup copy fails SQLite's integrity check (${problems[0]}); it was not kept. Run \`custodian audit verify\` on the vault.`,
      );
    }
    assertSchemaIntact(sqliteConnection(copy));
  } finally {
    copy.close();
  }
}

/** The vault id in a file's header, read without changing the file (read-only, no WAL switch). */
export function vaultIdOf(path: string): string {
  if (!existsSync(path)) throw invalidInput(`No file at ${path}; nothing was changed.`);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const id = readHeader(sqliteConnection(db))?.vault_id;
    if (id) return id;
  } catch (error) {
    if (error instanceof VaultError) throw error;
  } finally {
    db?.close();
  }
  throw invalidInput(`${path} is not a Custodian vault; nothing was changed.`);
}
