import Database from 'better-sqlite3';
import { sha256, toHex } from '../crypto/hash.ts';
import { rowKey } from './dialect.ts';
import { migrate } from './migrate.ts';
import { sqliteConnection, type Db, type StoreConnection } from './store-connection.ts';

/**
 * A vault's rows as they are stored, table by table, for `custodian vault copy` (issue 14, ADR
 * 0032): sealed blobs, ids, sequence numbers, signatures and hashes copied cell for cell, never
 * opened. The tables are the file migrations' (the server's twins have the same tables and
 * columns in the same order, ADR 0026), so one list serves both backends. Left out: the server's
 * own `log_head`, `schema_version` and `failed_unlocks` (made fresh by the destination's
 * migrations; unauthenticated attempts stay with the source, whose next unlock folds them in).
 */
export interface VaultTable {
  readonly name: string;
  /** The columns in the file's order, quoted: a row's cells exactly as the state digest takes them. */
  readonly columns: readonly string[];
}

let tablesInOrder: readonly VaultTable[] | undefined;

/**
 * Every table of the vault's schema, each after the tables its foreign keys name: the server
 * checks a reference as each row goes in, so a referenced row must already be there.
 */
export function vaultTables(): readonly VaultTable[] {
  if (tablesInOrder) return tablesInOrder;
  const schema = new Database(':memory:');
  try {
    migrate(sqliteConnection(schema));
    const names = schema
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    const references = new Map(
      names.map((name) => [
        name,
        (
          schema
            .prepare('SELECT "table" FROM pragma_foreign_key_list(?)')
            .pluck()
            .all(name) as string[]
        ).filter((other) => other !== name),
      ]),
    );
    const ordered: VaultTable[] = [];
    const placed = new Set<string>();
    const place = (name: string, path: readonly string[]) => {
      if (placed.has(name)) return;
      if (path.includes(name)) throw new Error(`Foreign keys form a cycle through ${name}.`);
      for (const other of references.get(name) ?? []) place(other, [...path, name]);
      placed.add(name);
      const columns = schema
        .prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid')
        .pluck()
        .all(name) as string[];
      ordered.push({ name, columns: columns.map((column) => `"${column}"`) });
    };
    for (const name of names) place(name, []);
    tablesInOrder = ordered;
    return ordered;
  } finally {
    schema.close();
  }
}

/** Rows read and written per statement: well inside both backends' limits on parameters. */
const MAX_CELLS_PER_STATEMENT = 20_000;
const MAX_ROWS_PER_PAGE = 500;

/** Rows per page for a table: the most that fit one statement's parameters. */
function pageRows(table: VaultTable): number {
  return Math.max(
    1,
    Math.min(MAX_ROWS_PER_PAGE, Math.floor(MAX_CELLS_PER_STATEMENT / table.columns.length)),
  );
}

/** Below every key a vault uses (merkle_frontier's levels start at 0, sequence numbers at 1). */
const BEFORE_FIRST_KEY = -Number.MAX_SAFE_INTEGER;

/**
 * The table's rows in the order the store lists them (SQLite's rowid, the server's identity or
 * integer key), a page at a time, each row its cells in column order. The caller holds one read
 * transaction around it, so the pages are one snapshot.
 */
export function* rowPages(db: Db, table: VaultTable): Generator<unknown[][]> {
  const key = rowKey(db, table.name);
  const page = db
    .prepare(
      `SELECT ${key}, ${table.columns.join(', ')} FROM ${table.name} WHERE ${key} > ? ORDER BY ${key} LIMIT ${pageRows(table)}`,
    )
    .raw();
  let after: number = BEFORE_FIRST_KEY;
  for (;;) {
    const rows = page.all(after) as unknown[][];
    if (rows.length === 0) return;
    after = rows.at(-1)![0] as number;
    yield rows.map((row) => row.slice(1));
    if (rows.length < pageRows(table)) return;
  }
}

/**
 * Insert rows as they were read: one statement per page (a round trip each on the server). The
 * server numbers them again in the same order (its `rowid` identity), the file likewise; no
 * statement depends on the numbers themselves, only on their order.
 */
export function insertRows(
  db: StoreConnection,
  table: VaultTable,
  rows: readonly unknown[][],
): void {
  if (rows.length === 0) return;
  const one = `(${table.columns.map(() => '?').join(', ')})`;
  db.prepare(
    `INSERT INTO ${table.name} (${table.columns.join(', ')}) VALUES ${rows.map(() => one).join(', ')}`,
  ).run(...rows.flat());
}

/**
 * A running SHA-256 of a table's rows, each cell tagged by type and length-prefixed, so that two
 * tables hash alike exactly when they hold the same cells in the same order: how the copy shows
 * that the destination holds, byte for byte, the rows it read from the verified source.
 */
export class RowDigest {
  #rows = 0;
  #digest: Uint8Array = new Uint8Array(32);

  add(rows: readonly unknown[][]): void {
    for (const row of rows) {
      this.#digest = sha256(this.#digest, ...row.map(encodeCell));
      this.#rows += 1;
    }
  }

  get rows(): number {
    return this.#rows;
  }

  get hex(): string {
    return toHex(this.#digest);
  }
}

const encoder = new TextEncoder();

function encodeCell(cell: unknown): Uint8Array {
  if (cell === null || cell === undefined) return Uint8Array.of(0);
  if (typeof cell === 'number') return tagged(1, encoder.encode(String(cell)));
  if (typeof cell === 'bigint') return tagged(1, encoder.encode(cell.toString()));
  if (typeof cell === 'string') return tagged(2, encoder.encode(cell));
  if (cell instanceof Uint8Array) return tagged(3, cell);
  throw new Error(`A vault cell of an unexpected type (${typeof cell}).`);
}

function tagged(tag: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + bytes.length);
  out[0] = tag;
  new DataView(out.buffer).setUint32(1, bytes.length);
  out.set(bytes, 5);
  return out;
}

/** The table's rows hashed as `RowDigest` does, read back (the destination, after the copy). */
export function digestOfTable(db: Db, table: VaultTable): RowDigest {
  const digest = new RowDigest();
  for (const rows of rowPages(db, table)) digest.add(rows);
  return digest;
}

/** Names of the tables a database holds in its schema (a destination must hold none). */
export function serverTableNames(db: Db): string[] {
  return db
    .prepare(
      'SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename',
    )
    .pluck()
    .all() as string[];
}

/** The server's unauthenticated failed-unlock rows not yet folded into the trail. */
export function pendingServerFailedUnlocks(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM failed_unlocks').get() as { n: number }).n;
}
