import type { Db } from './store-connection.ts';
import { statement } from './statements.ts';

/**
 * The few places where the file's SQL and the server's differ (issue 14), so that every other
 * statement in the store is one text for both backends. Everything else the store writes is the
 * SQL both speak: `?`/`@name` parameters (the server's connection numbers them), ON CONFLICT …
 * DO UPDATE, LIMIT/OFFSET, substr, COUNT/MIN/MAX.
 *
 * `rowid`: SQLite numbers every row in insertion order, and the store lists rows in that order
 * (`ORDER BY …, rowid`) and pages through tables by it. The server's tables carry the same number
 * as an explicit `rowid` column (an identity, migrations/postgres/001), so those statements are
 * unchanged; it is left out of what a row's cells are (`stateColumns`), so a row hashes and binds
 * to the same bytes on both. Tables keyed by an integer have no separate number on the server:
 * their key is their order (`rowKey`).
 */

/** Whether a table exists in the vault's schema (a vault from before a migration lacks it). */
export function tableExists(db: Db, table: string): boolean {
  const sql =
    db.dialect === 'postgres'
      ? 'SELECT COUNT(*) AS n FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?'
      : "SELECT COUNT(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = ?";
  return (statement(db, sql).get(table) as { n: number }).n === 1;
}

/**
 * A name as an identifier in SQL text, for both dialects (SQL's own rule, which SQLite and
 * PostgreSQL share, and node-postgres's escapeIdentifier applies): in double quotes, each double
 * quote inside doubled. For names the store did not write itself (read from the catalog), so a
 * name with a quote or a semicolon in it stays one name.
 */
export function quoteIdentifier(name: string): string {
  if (name.includes('\0')) throw new RangeError('An SQL identifier cannot contain a NUL.');
  return `"${name.replaceAll('"', '""')}"`;
}

/** Tables whose integer key is their rowid in SQLite (INTEGER PRIMARY KEY), and their order here. */
const INTEGER_KEYED: Readonly<Record<string, string>> = {
  vault_header: 'singleton',
  audit_entries: 'seq',
  audit_checkpoints: 'size',
  membership_chain: 'seq',
  merkle_frontier: 'level',
};

/** The column that numbers `table`'s rows in insertion order, to page through it by. */
export function rowKey(db: Db, table: string): string {
  return db.dialect === 'postgres' ? (INTEGER_KEYED[table] ?? 'rowid') : 'rowid';
}

const columnLists = new WeakMap<Db, Map<string, string>>();

/**
 * A row's cells as `SELECT *` gives them in SQLite: every column in table order, the server's
 * explicit `rowid` left out. What the state digest hashes and a re-seal binds, so both backends
 * agree to the byte (ADR 0026). Remembered per connection until a migration changes the tables.
 * The first ask reads every table's columns in one statement: an unlock's state check needs
 * all 25 state tables', and one statement a table was 25 round trips at every open.
 */
export function stateColumns(db: Db, table: string): string {
  if (db.dialect !== 'postgres') return '*';
  let lists = columnLists.get(db);
  if (!lists) columnLists.set(db, (lists = everyTablesColumns(db)));
  let list = lists.get(table);
  if (list === undefined) {
    // Not in the schema (yet): no columns, as the catalog says, until a migration makes it.
    list = '';
    lists.set(table, list);
  }
  return list;
}

/** Each table of the connection's schema and its columns, quoted and in table order. */
function everyTablesColumns(db: Db): Map<string, string> {
  const rows = statement(
    db,
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND column_name <> 'rowid'
     ORDER BY table_name, ordinal_position`,
  )
    .raw(true)
    .all() as [string, string][];
  const columns = new Map<string, string[]>();
  for (const [table, column] of rows) {
    let names = columns.get(table);
    if (!names) columns.set(table, (names = []));
    names.push(quoteIdentifier(column));
  }
  return new Map([...columns].map(([table, names]) => [table, names.join(', ')]));
}

/** After a migration: the tables' columns may have changed. */
export function forgetColumns(db: Db): void {
  columnLists.delete(db);
}
