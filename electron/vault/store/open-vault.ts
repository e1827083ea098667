import { ErrorCode } from '../../../shared/errors.ts';
import { notFound, VaultError } from '../errors.ts';
import { openVaultFile, type ReadableDb } from './connection.ts';
import { assertNotNewer, assertSchemaIntact } from './migrate.ts';
import { PostgresConnection } from './postgres/pg-connection.ts';
import { STATE_TABLES } from './state-digest.ts';
import { isServerUrl } from '../../../shared/vault-location.ts';

/**
 * Open the vault a location names (issue 14): a `postgresql://` (or `postgres://`) URL is a
 * server vault, anything else a vault file. Both give the same connection interface; the
 * checks on open are the same (not newer than this app, exactly the schema its migrations make).
 */
export function openVault(location: string, options: { create: boolean }): ReadableDb {
  return isServerUrl(location)
    ? openServerVault(location, options)
    : openVaultFile(location, options);
}

function openServerVault(url: string, options: { create: boolean }): ReadableDb {
  const connection = PostgresConnection.connect(url);
  // Every write holds off others' changes to what its checkpoint signs (ADR 0039).
  connection.lockEachWrite(STATE_TABLES);
  const db = connection as unknown as ReadableDb;
  try {
    const tables = db
      .prepare(
        'SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename',
      )
      .pluck()
      .all() as string[];
    if (options.create) {
      // `custodian init` makes the schema in an empty database, and only there: a database with
      // anything in it is someone's, and is left as it is.
      if (tables.length > 0) {
        throw new VaultError(
          ErrorCode.INVALID_INPUT,
          `The database at ${db.location} is not empty (it has ${tables.length} table${tables.length === 1 ? '' : 's'}${tables.includes('vault_header') ? ', a vault among them' : ''}); nothing was changed. Name an empty database for the new vault.`,
        );
      }
    } else {
      if (!tables.includes('schema_version')) {
        throw notFound(
          `No vault in the database at ${db.location}. Check the URL, or create a vault there: \`custodian init ${db.location} --as NAME\`.`,
        );
      }
      assertNotNewer(db);
      assertSchemaIntact(db);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
