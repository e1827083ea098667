import { closeSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { invalidInput } from '../errors.ts';
import { SCHEMA_VERSION, schemaVersion } from './migrate.ts';
import { sqliteConnection } from './store-connection.ts';

/** The first 16 bytes of every SQLite database file (sqlite.org/fileformat.html, 1.3). */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** The table the first migration makes and every vault has: Custodian's mark on the file. */
const VAULT_MARKER_TABLE = 'vault_header';

const WHAT_TO_DO =
  'Check the path names your team\'s vault file (one made by `custodian init` or "Create a vault"); nothing was changed.';

/**
 * Refuse a file that is not a Custodian vault before SQLite opens it for writing. Opening an empty
 * or foreign file read-write lets SQLite turn it into a database (an empty file grew to 4096
 * bytes), so this looks first without writing: the header magic with plain reads, then the
 * schema through a read-only connection. A vault whose marker table is there but damaged passes
 * here and is refused later as altered (assertSchemaIntact), which is what it is.
 */
export function assertIsVaultFile(path: string): void {
  const stat = statSync(path);
  if (!stat.isFile())
    throw invalidInput(`${path} is not a file, so not a Custodian vault. ${WHAT_TO_DO}`);
  if (stat.size === 0) {
    throw invalidInput(`${path} is empty: it is not a Custodian vault. ${WHAT_TO_DO}`);
  }
  if (!startsWithSqliteMagic(path)) {
    throw invalidInput(
      `${path} is not a Custodian vault (it is not a database at all). ${WHAT_TO_DO}`,
    );
  }
  if (!hasVaultMarker(path)) {
    throw invalidInput(
      `${path} is not a Custodian vault: it is some other program's database (it has none of Custodian's tables). ${WHAT_TO_DO}`,
    );
  }
}

function startsWithSqliteMagic(path: string): boolean {
  const head = Buffer.alloc(SQLITE_MAGIC.length);
  const fd = openSync(path, 'r');
  try {
    const read = readSync(fd, head, 0, head.length, 0);
    return read === head.length && head.equals(SQLITE_MAGIC);
  } finally {
    closeSync(fd);
  }
}

function hasVaultMarker(path: string): boolean {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    // A vault from a newer Custodian is left for assertNotNewer to name as such.
    if (schemaVersion(sqliteConnection(db)) > SCHEMA_VERSION) return true;
    return (
      db
        .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")
        .get(VAULT_MARKER_TABLE) !== undefined
    );
  } catch (error) {
    // A file with the magic whose schema SQLite cannot read is corrupt: let the normal open
    // report it as such (INTEGRITY) rather than call it some other program's file.
    if ((error as { code?: unknown }).code === 'SQLITE_CORRUPT') return true;
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') return true;
    throw error;
  } finally {
    db?.close();
  }
}
