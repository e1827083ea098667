import Database from 'better-sqlite3';
import { sqliteConnection, type ReadableDb } from '../../electron/vault/store/connection.ts';
import { PostgresConnection } from '../../electron/vault/store/postgres/pg-connection.ts';
import { isServerUrl } from '../../shared/vault-location.ts';

/**
 * The insider's own connection to a vault: better-sqlite3 on a file, or psql's kind on a server's
 * URL (the database's credentials, no session, no key, no schema check). Free of the unit tests'
 * helpers, so the e2e tests' trail edits can use it too.
 */
export function insiderConnection(location: string): ReadableDb {
  return isServerUrl(location)
    ? (PostgresConnection.connect(location) as unknown as ReadableDb)
    : sqliteConnection(new Database(location));
}
