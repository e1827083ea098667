import { sqliteFileOf, type Db } from './connection.ts';

/**
 * After an epoch change, nothing of the old keys' pages may stay in the file: the WAL is copied
 * back and truncated to nothing. `vacuum` also rebuilds the file, for a vault whose free pages
 * were written before `secure_delete` was on (the upgrade to key epochs). A server vault's old
 * row versions are the server's to reclaim (its VACUUM); nothing of them is readable without the
 * old keys, which no current member holds (ADR 0026).
 */
export function scrubFile(db: Db, options: { vacuum?: boolean } = {}): void {
  const file = sqliteFileOf(db);
  if (!file) return;
  try {
    if (options.vacuum) file.exec('VACUUM');
  } catch (error) {
    // Another process has the vault open and VACUUM needs it alone. The change is committed and
    // sealed; free pages written before secure_delete stay until the vault is next rebuilt.
    const code = (error as { code?: unknown }).code;
    if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') throw error;
  }
  // A reader elsewhere can hold back part of the WAL; it is truncated at the next checkpoint.
  file.pragma('wal_checkpoint(TRUNCATE)');
}
