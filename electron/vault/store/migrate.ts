import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { ErrorCode } from '../../../shared/errors.ts';
import { VaultError } from '../errors.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * Numbers given to migrations on other branches that have not landed here yet (each task is given
 * its own number, so two branches never write the same one). The sequence check skips them; once
 * the branch holding one is merged, its file fills the gap and the number comes off this list.
 * 009: the work in progress beside issue 17's 010 (dashboard summary).
 */
export const RESERVED_ELSEWHERE: ReadonlySet<number> = new Set([9]);

/** Migrations are append-only files named NNN-title.sql; NNN is the `user_version` they leave. */
export function loadMigrations(dir = MIGRATIONS_DIR, reserved = RESERVED_ELSEWHERE): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => /^\d{3}-[a-z0-9-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file,
      sql: readFileSync(dir + file, 'utf8'),
    }));
  let expected = 1;
  for (const migration of migrations) {
    while (reserved.has(expected) && migration.version !== expected) expected += 1;
    if (migration.version !== expected) {
      throw new Error(`Migration ${migration.name} is out of sequence: expected ${expected}.`);
    }
    expected += 1;
  }
  return migrations;
}

/** The format the migrations leave: the last one's number. */
export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

export const MIGRATIONS = loadMigrations();
export const SCHEMA_VERSION = latestVersion(MIGRATIONS);

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuse a vault written by a newer Custodian before anything reads or writes it. */
export function assertNotNewer(db: Database, known = SCHEMA_VERSION): void {
  const version = schemaVersion(db);
  if (version > known) {
    throw new VaultError(
      ErrorCode.VAULT_TOO_NEW,
      `This vault was written by a newer version of Custodian (format ${version}; this app knows up to ${known}). Nothing was changed. Update Custodian to open it.`,
    );
  }
}

/** Run every pending migration in one transaction, so a vault is never left half-migrated. */
export function migrate(db: Database, migrations = MIGRATIONS): void {
  assertNotNewer(db, latestVersion(migrations));
  const pending = migrations.filter((migration) => migration.version > schemaVersion(db));
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const migration of pending) {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
}

/** The file's schema as SQLite keeps it: every table, index and trigger with its CREATE text. */
function schemaText(db: Database): string {
  return JSON.stringify(
    db
      .prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name')
      .raw()
      .all(),
  );
}

const expectedSchemas = new Map<number, string>();

/** The schema the migrations up to `version` make, built once in memory and remembered. */
function expectedSchema(version: number): string {
  let expected = expectedSchemas.get(version);
  if (expected === undefined) {
    const scratch = new BetterSqlite3(':memory:');
    try {
      migrate(
        scratch,
        MIGRATIONS.filter((migration) => migration.version <= version),
      );
      expected = schemaText(scratch);
    } finally {
      scratch.close();
    }
    expectedSchemas.set(version, expected);
  }
  return expected;
}

/**
 * Refuse a vault whose tables, indexes or triggers are not exactly the ones its migrations made.
 * Everything the core reads is found by name in that schema, so an edited CREATE text (a renamed
 * column, a dropped trigger) would otherwise turn into odd failures or silently different reads.
 */
export function assertSchemaIntact(db: Database): void {
  if (schemaText(db) === expectedSchema(schemaVersion(db))) return;
  throw new VaultError(
    ErrorCode.INTEGRITY,
    "The vault's structure has been altered (its tables are not the ones Custodian made); nothing was changed. Restore it from a backup.",
  );
}
