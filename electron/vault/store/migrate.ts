import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { ErrorCode } from '../../../shared/errors.ts';
import { VaultError } from '../errors.ts';
import { sqliteConnection, sqliteFileOf, type Db } from './store-connection.ts';
import { forgetColumns } from './dialect.ts';
import type { PostgresConnection } from './postgres/pg-connection.ts';
import {
  migratePostgres,
  postgresSchemaText,
  postgresSchemaVersion,
} from './postgres/pg-schema.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * Migrations are append-only files named NNN-title.sql; NNN is the `user_version` they leave.
 * Numbers rise strictly. A number may be missing while its migration is on another branch (each
 * branch is given the numbers it may use); merged, the files run 001 upwards without a gap.
 */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => /^\d{3}-[a-z0-9-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file,
      sql: readFileSync(dir + file, 'utf8'),
    }));
  migrations.forEach((migration, index) => {
    const previous = index === 0 ? 0 : migrations[index - 1]!.version;
    if (index === 0 ? migration.version !== 1 : migration.version <= previous) {
      throw new Error(
        `Migration ${migration.name} is out of sequence: expected a number above ${previous}.`,
      );
    }
  });
  return migrations;
}

/** The format the migrations leave: the last one's number. */
export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

export const MIGRATIONS = loadMigrations();
/** The format the latest migration leaves: its number (numbers may be skipped). */
export const SCHEMA_VERSION = latestVersion(MIGRATIONS);

/**
 * The server's twins of the file's migrations, one for one and numbered alike (migrations/
 * postgres/): format N is the same tables on either backend, so a row's cells, its sealed
 * column's associated data and the state digest are the same bytes on both
 * (tests/unit/structure/postgres-migrations.test.ts holds every file migration to a twin).
 */
export const POSTGRES_MIGRATIONS = loadMigrations(`${MIGRATIONS_DIR}postgres/`);

/** The migrations that make the schema of `db`'s backend. */
export function migrationsFor(db: Db): Migration[] {
  return db.dialect === 'postgres' ? POSTGRES_MIGRATIONS : MIGRATIONS;
}

const server = (db: Db) => db as unknown as PostgresConnection;
export function schemaVersion(db: Db): number {
  if (db.dialect === 'postgres') return postgresSchemaVersion(server(db));
  return sqliteFileOf(db)!.pragma('user_version', { simple: true }) as number;
}

/** Refuse a vault written by a newer Custodian before anything reads or writes it. */
export function assertNotNewer(db: Db, known = SCHEMA_VERSION): void {
  const version = schemaVersion(db);
  if (version > known) {
    throw new VaultError(
      ErrorCode.VAULT_TOO_NEW,
      `This vault was written by a newer version of Custodian (format ${version}; this app knows up to ${known}). Nothing was changed. Update Custodian to open it.`,
    );
  }
}

/** Run every pending migration in one transaction, so a vault is never left half-migrated. */
export function migrate(db: Db, migrations = migrationsFor(db)): void {
  assertNotNewer(db, latestVersion(migrations));
  if (db.dialect === 'postgres') {
    migratePostgres(server(db), migrations);
    forgetColumns(db);
    return;
  }
  const file = sqliteFileOf(db)!;
  const pending = migrations.filter((migration) => migration.version > schemaVersion(db));
  if (pending.length === 0) return;
  // A migration that rebuilds a table others refer to (009: members) needs foreign keys off, as
  // SQLite's own procedure says; the pragma cannot change inside a transaction, so it is set
  // around it, and every reference is checked before the transaction commits.
  const enforced = file.pragma('foreign_keys', { simple: true }) === 1;
  if (enforced) file.pragma('foreign_keys = OFF');
  try {
    file
      .transaction(() => {
        for (const migration of pending) {
          file.exec(migration.sql);
          file.pragma(`user_version = ${migration.version}`);
        }
        if ((file.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new VaultError(
            ErrorCode.INTEGRITY,
            "The vault's rows refer to rows that do not exist, so it cannot be upgraded; nothing was changed. Restore it from a backup.",
          );
        }
      })
      .immediate();
  } finally {
    if (enforced) file.pragma('foreign_keys = ON');
  }
  forgetColumns(db);
}

/** The vault's schema as its backend keeps it: every table, index and trigger with its definition. */
function schemaText(db: Db): string {
  if (db.dialect === 'postgres') return postgresSchemaText(server(db));
  return JSON.stringify(
    sqliteFileOf(db)!
      .prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name')
      .raw()
      .all(),
  );
}

const expectedSchemas = new Map<string, string>();

/**
 * The schema the migrations up to `version` make, built once and remembered: in memory for the
 * file; for the server, in the connection's own temporary schema inside a transaction that is
 * rolled back (postgres/pg-schema.ts), so the check needs no right to create anything.
 */
function expectedSchema(db: Db, version: number): string {
  const key = `${db.dialect}:${version}`;
  let expected = expectedSchemas.get(key);
  if (expected !== undefined) return expected;
  if (db.dialect === 'postgres') {
    expected = postgresSchemaText(server(db), POSTGRES_MIGRATIONS.slice(0, version));
  } else {
    const scratch = sqliteConnection(new BetterSqlite3(':memory:'));
    try {
      migrate(
        scratch,
        MIGRATIONS.filter((migration) => migration.version <= version),
      );
      expected = schemaText(scratch);
    } finally {
      scratch.close();
    }
  }
  expectedSchemas.set(key, expected);
  return expected;
}

/**
 * Refuse a vault whose tables, indexes or triggers are not exactly the ones its migrations made.
 * Everything the core reads is found by name in that schema, so an edited CREATE text (a renamed
 * column, a dropped trigger) would otherwise turn into odd failures or silently different reads.
 */
export function assertSchemaIntact(db: Db): void {
  if (schemaText(db) === expectedSchema(db, schemaVersion(db))) return;
  throw new VaultError(
    ErrorCode.INTEGRITY,
    "The vault's structure has been altered (its tables are not the ones Custodian made); nothing was changed. Restore it from a backup.",
  );
}
