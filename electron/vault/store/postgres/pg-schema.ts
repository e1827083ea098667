import { ErrorCode } from '../../../../shared/errors.ts';
import { VaultError } from '../../errors.ts';
import type { PostgresConnection } from './pg-connection.ts';
import { quoteIdentifier } from '../dialect.ts';

/** A numbered migration (store/migrate.ts loads them; the server's are in migrations/postgres/). */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Whether the connection's schema holds a table of that name. */
function hasTable(db: PostgresConnection, table: string): boolean {
  const { rows } = db.query(
    'SELECT COUNT(*) AS n FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1',
    [table],
  );
  return (rows[0] as { n: number }).n === 1;
}

/** Connections whose schema has shown its format table: it stays (nothing drops it but `init`). */
const hasFormatTable = new WeakSet<PostgresConnection>();

/** The server's format number (SQLite's user_version); 0 for a database with no vault in it. */
export function postgresSchemaVersion(db: PostgresConnection): number {
  if (!hasFormatTable.has(db)) {
    if (!hasTable(db, 'schema_version')) return 0;
    hasFormatTable.add(db);
  }
  const { rows } = db.query('SELECT version FROM schema_version WHERE singleton = 1', []);
  const row = rows[0] as { version: number } | undefined;
  if (!row) {
    throw new VaultError(
      ErrorCode.INTEGRITY,
      "The vault's format row is missing on the server; nothing was changed. Restore the database from a backup.",
    );
  }
  return row.version;
}

/**
 * Any number for the advisory lock that serialises migrations of one database: two workstations
 * upgrading at once take turns, and the second finds nothing left to do.
 */
const MIGRATION_LOCK = 0x637573746f64;

/** Run every pending migration in one transaction: a vault is never left half-migrated. */
export function migratePostgres(db: PostgresConnection, migrations: readonly Migration[]): void {
  if (postgresSchemaVersion(db) >= (migrations.at(-1)?.version ?? 0)) return;
  db.inSchemaTransaction(() => applyPostgresMigrations(db, migrations));
}

/**
 * The pending migrations, inside a transaction the caller holds: `migratePostgres`'s own, or a
 * copy's that also fills the new tables (`custodian vault copy`, ADR 0032), so a database is
 * either left as it was or holds the whole vault.
 */
export function applyPostgresMigrations(
  db: PostgresConnection,
  migrations: readonly Migration[],
): void {
  db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  const from = postgresSchemaVersion(db);
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    db.script(migration.sql);
    db.query('UPDATE schema_version SET version = $1 WHERE singleton = 1', [migration.version]);
  }
}

/**
 * The schema's tables, columns, constraints, indexes and triggers, each as the server describes
 * it, with the schema's own name left out: what the migrations made, to compare with what they
 * should have made (store/migrate.ts assertSchemaIntact).
 */
const DESCRIBE = `
  WITH rel AS (SELECT oid, relname, relkind FROM pg_catalog.pg_class WHERE relnamespace = $1::regnamespace)
  SELECT kind, name, detail FROM (
    SELECT 'relation' AS kind, relname AS name, relkind::text AS detail FROM rel
    UNION ALL
    SELECT 'column', rel.relname, a.attnum::text || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
      || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
      || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
      || CASE WHEN a.atthasdef THEN ' default' ELSE '' END
    FROM pg_catalog.pg_attribute a JOIN rel ON rel.oid = a.attrelid
    WHERE rel.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'constraint', rel.relname, c.conname || ' ' || pg_catalog.pg_get_constraintdef(c.oid)
    FROM pg_catalog.pg_constraint c JOIN rel ON rel.oid = c.conrelid
    UNION ALL
    SELECT 'index', rel.relname, regexp_replace(pg_catalog.pg_get_indexdef(i.indexrelid), ' ON \\S+ USING ', ' USING ')
    FROM pg_catalog.pg_index i JOIN rel ON rel.oid = i.indrelid
    UNION ALL
    SELECT 'trigger', rel.relname, t.tgname || ' ' || t.tgenabled::text || ' ' || t.tgfoid::regproc::text
    FROM pg_catalog.pg_trigger t JOIN rel ON rel.oid = t.tgrelid WHERE NOT t.tgisinternal
    UNION ALL
    SELECT 'rule', rel.relname, r.rulename FROM pg_catalog.pg_rewrite r JOIN rel ON rel.oid = r.ev_class
    UNION ALL
    SELECT 'policy', rel.relname, p.polname FROM pg_catalog.pg_policy p JOIN rel ON rel.oid = p.polrelid
  ) described
  WHERE name <> 'custodian_expected_probe'
  ORDER BY kind, name, detail`;

function describe(db: PostgresConnection, schema: string): string {
  const { rows } = db.query(DESCRIBE, [schema], 'raw');
  return JSON.stringify(rows);
}

/**
 * The vault's schema as the server describes it; given `migrations`, the schema they make
 * instead, built in this connection's own temporary schema inside a transaction that is rolled
 * back, so the check needs no right to create anything and leaves nothing behind.
 */
export function postgresSchemaText(
  db: PostgresConnection,
  migrations?: readonly Migration[],
): string {
  if (!migrations) {
    const { rows } = db.query('SELECT current_schema() AS name', []);
    return describe(db, (rows[0] as { name: string }).name);
  }
  return db.inSchemaTransaction(
    () => {
      // The session's temporary schema exists once it holds a table; the migrations then make
      // theirs there, where the vault's own tables cannot be touched.
      db.script(
        'CREATE TEMP TABLE custodian_expected_probe (x integer); SET LOCAL search_path = pg_temp',
      );
      for (const migration of migrations) db.script(migration.sql);
      const { rows } = db.query(
        'SELECT nspname FROM pg_catalog.pg_namespace WHERE oid = pg_my_temp_schema()',
        [],
      );
      return describe(db, (rows[0] as { nspname: string }).nspname);
    },
    { rollback: true },
  );
}

/**
 * The tables Custodian's migrations make (each `CREATE TABLE name` in them): its own objects, and
 * the only ones it may ever drop. Everything else in the schema (another application's tables,
 * a view the database administrator made) is someone else's.
 */
export function tablesMadeBy(migrations: readonly Migration[]): string[] {
  const names = new Set<string>();
  for (const migration of migrations) {
    for (const match of migration.sql.matchAll(
      /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)\b/gim,
    )) {
      names.add(match[1]!.toLowerCase());
    }
  }
  return [...names].sort();
}

/**
 * Undo a creation that failed: drop the tables Custodian's migrations made, and nothing else,
 * unless the vault in them is another's (two workstations running `custodian init` on one
 * database at once: the one that lost leaves the other's vault alone). Indexes, constraints and
 * identity sequences go with their tables; anything of someone else's that depends on them (a
 * view, a foreign key) makes the drop fail, and then everything stays. Best effort: a server
 * gone meanwhile keeps them, and the next `init` on that database is refused as not empty.
 */
export function removeServerVault(
  db: { readonly dialect: string },
  vaultId: string,
  migrations: readonly Migration[],
): void {
  const server = db as unknown as PostgresConnection;
  try {
    server.inSchemaTransaction(() => {
      // Not while another workstation migrates the same database.
      server.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const present = server
        .query(
          'SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ANY($1::text[]) ORDER BY tablename',
          [tablesMadeBy(migrations)],
          'pluck',
        )
        .rows.map((row) => String((row as unknown[])[0]));
      if (present.length === 0) return;
      if (present.includes('vault_header')) {
        const { rows } = server.query('SELECT vault_id FROM vault_header', []);
        if (rows.some((row) => (row as { vault_id: string }).vault_id !== vaultId)) return;
      }
      server.script(`DROP TABLE IF EXISTS ${present.map(quoteIdentifier).join(', ')}`);
    });
  } catch {
    // Left for the person to see: the next init says the database is not empty.
  }
}
