import { createHash } from 'node:crypto';
import { MultisetHash, rowElement, type Cell } from '../../crypto/multiset-hash.ts';
import { integrityError } from '../../errors.ts';
import type { Db } from '../connection.ts';
import { rowKey, stateColumns } from '../dialect.ts';
import { statement } from '../statements.ts';
import type { PostgresConnection, Prefetch } from './pg-connection.ts';
import {
  addedAfterFormat7,
  STORED_DIGESTS,
  stateDigestStore,
  type StateTable,
  type TableDigest,
} from '../state-digest.ts';

/**
 * The server's state check without reading every row every time (issue 14, ADR 0034).
 *
 * ADR 0031 has a server session recompute every state table's digest from its rows on every
 * catch-up, since nothing the operator cannot hold still tells it that rows changed: every row of
 * 23 tables over the wire, in some fifty round trips, twice a rotation. Here the server is asked,
 * in one statement, for each table's fingerprint: its shape (the relation's oid and kind, and
 * each column's number, name and type) and the SHA-256 of each row's binary form (`record_send`,
 * every column), those hashes chained in key order under SHA-256 again. A table is read again,
 * row by row, only when its fingerprint is not the one this connection recorded when it last read
 * the table's rows; then its digest is recomputed on this side exactly as before, and recorded
 * with the fingerprint of the very rows it came from (each row's hash comes back beside its cells
 * in the same statement, and the shape is read before the rows), so a recorded fingerprint never
 * stands for another state of the table than the digest recorded with it.
 *
 * What the operator can do with psql, an edit of any row or of a table's columns, changes a row's
 * bytes or the shape, so the table is read again and held to the signed digest. Every function
 * and operator here is named in pg_catalog: a function, operator or cast of the operator's making
 * (a search_path set for the app's role) is never called in place of the server's. What this
 * leans on is the server answering the fingerprint from the rows it serves every other statement,
 * the same trust the full recompute put in its answer to the rows' SELECT (ADR 0031: a server that
 * lies about its rows is beyond what a workstation can catch).
 *
 * The first check on a connection reads every row (nothing is recorded yet), and every unlock
 * opens a new connection: each unlock recomputes the whole state from its rows, as before.
 */

/** What this connection last read of a table: its fingerprint and the digest its rows gave. */
interface Recorded {
  readonly shape: string;
  readonly rows: string | null;
  readonly digest: TableDigest;
}

const recorded = new WeakMap<Db, Map<StateTable, Recorded>>();

const PAGE = 2000;

/** One row's hash as the server computes it: SHA-256 of the row's binary form. */
const ROW_HASH = 'pg_catalog.sha256(pg_catalog.record_send(t))';

/**
 * Each table's shape: the relation its name resolves to (as every other statement resolves it),
 * its kind, and its columns' numbers, names, types and modifiers; null for a table not there.
 * One join over the catalog for every table named in `tables` (a CTE the statement below uses).
 */
function shapesSql(tables: readonly StateTable[]): string {
  const relations = tables.map((table) => `pg_catalog.to_regclass('${table}')`).join(', ');
  return `shapes AS (
    SELECT c.oid, pg_catalog.format('%s %s %s', c.oid, c.relkind, pg_catalog.string_agg(pg_catalog.format('%s:%s:%s:%s', a.attnum, a.attname, a.atttypid, a.atttypmod), ',' ORDER BY a.attnum)) AS shape
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a
      ON a.attrelid OPERATOR(pg_catalog.=) c.oid AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
    WHERE c.oid OPERATOR(pg_catalog.=) ANY (ARRAY[${relations}]::pg_catalog.oid[])
    GROUP BY c.oid, c.relkind)`;
}

/** The rows' fingerprint as the server computes it (null for an empty table). */
function rowsSql(db: Db, table: StateTable): string {
  return `(SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.string_agg(${ROW_HASH}, ''::bytea ORDER BY t.${rowKey(db, table)})), 'hex') FROM ${table} t)`;
}

/** The same fingerprint on this side, from the row hashes in key order. */
function rowsFingerprint(rowHashes: readonly Uint8Array[]): string | null {
  if (rowHashes.length === 0) return null;
  const hash = createHash('sha256');
  for (const rowHash of rowHashes) hash.update(rowHash);
  return hash.digest('hex');
}

/** A page of a table's rows with each row's hash, after a key. */
function pageSql(db: Db, table: StateTable): string {
  const key = rowKey(db, table);
  return `SELECT t.${key}, ${ROW_HASH}, ${stateColumns(db, table)} FROM ${table} t
     WHERE t.${key} OPERATOR(pg_catalog.>) ? ORDER BY t.${key} LIMIT ${PAGE}`;
}

/** A table's digest from its rows, and the fingerprint of exactly those rows. */
function readTable(db: Db, table: StateTable, shape: string): Recorded {
  const page = statement(db, pageSql(db, table)).raw(true);
  const sum = new MultisetHash();
  const rowHashes: Uint8Array[] = [];
  let after = 0;
  for (;;) {
    const rows = page.all(after) as Cell[][];
    for (const row of rows) {
      rowHashes.push(row[1] as Uint8Array);
      sum.add(rowElement(table, row.slice(2)));
      after = row[0] as number;
    }
    if (rows.length < PAGE) break;
  }
  return {
    shape,
    rows: rowsFingerprint(rowHashes),
    digest: { table, rows: rowHashes.length, digest: sum.bytes() },
  };
}

interface FingerprintRow {
  readonly name: StateTable;
  readonly shape: string | null;
  readonly rows: string | null;
}

/**
 * Every one of `tables`' digests from its rows, as `stateDigestStore.recompute` gives them; on a
 * server, reading again only the tables whose fingerprint moved since this connection last read
 * them: one statement for the fingerprints, then the rows of each table that moved. On a file,
 * the full recompute (the file's data_version already says when to look again).
 */
function knownOf(db: Db): Map<StateTable, Recorded> {
  let known = recorded.get(db);
  if (!known) recorded.set(db, (known = new Map<StateTable, Recorded>()));
  return known;
}

/** The one statement that asks the server for every one of `tables`' shape and fingerprint. */
function fingerprintSql(db: Db, tables: readonly StateTable[]): string {
  const known = knownOf(db);
  const values = tables
    .map(
      (table) =>
        `('${table}', pg_catalog.to_regclass('${table}'), ${known.has(table) ? rowsSql(db, table) : 'NULL'})`,
    )
    .join(',\n    ');
  return `WITH ${shapesSql(tables)}
    SELECT n.name, s.shape, n.rows FROM (VALUES ${values}) AS n(name, relation, rows)
    LEFT JOIN shapes s ON s.oid OPERATOR(pg_catalog.=) n.relation::pg_catalog.oid`;
}

/** The header, the chain's last statement, the latest checkpoint, the format (ADR 0035). */
const CHECK_READS: readonly Prefetch[] = [
  { sql: 'SELECT version FROM schema_version WHERE singleton = 1' },
  { sql: 'SELECT * FROM membership_chain ORDER BY seq DESC LIMIT 1' },
  { sql: 'SELECT * FROM vault_header WHERE singleton = 1' },
  { sql: 'SELECT * FROM audit_checkpoints ORDER BY size DESC LIMIT 1' },
  { sql: STORED_DIGESTS },
];

/**
 * What a state check of `tables` on a server reads, to be asked for ahead in one round trip
 * (ADR 0035): the statements every check makes (the format, the chain's last statement, the
 * header, the latest checkpoint, the stored digests, the fingerprints), and the first page of
 * every table this connection has read before and written since, whose fingerprint has surely
 * moved. Nothing here is trusted for being asked ahead: each answer is the one the check's own
 * statement would have had in the same transaction, and the check judges it as before.
 */
export function stateCheckReads(db: Db, tables: readonly StateTable[]): Prefetch[] {
  if (db.dialect !== 'postgres') return [];
  const connection = db as unknown as PostgresConnection;
  const known = knownOf(db);
  const written = connection.takeWrittenTables();
  return [
    ...CHECK_READS,
    { sql: fingerprintSql(db, tables), planned: true },
    ...tables
      .filter((table) => known.has(table) && written.has(table))
      .map((table) => ({ sql: pageSql(db, table), params: [0], mode: 'array' as const })),
  ];
}

export function recomputeWhatMoved(db: Db, tables: readonly StateTable[]): TableDigest[] {
  if (db.dialect !== 'postgres') return stateDigestStore.recompute(db, tables);
  const known = knownOf(db);
  const sql = fingerprintSql(db, tables);
  // Planned once per session (a named statement): the same text each check, and its result is
  // three text columns whatever a migration or an ALTER does to the tables.
  const { rows } = asIntegrity(db, tables, () =>
    (db as unknown as PostgresConnection).query(sql, [], 'object', { planned: true }),
  );
  const now = new Map((rows as FingerprintRow[]).map((row) => [row.name, row] as const));
  // The first page of every table that moved, asked for together: one round trip, not one each.
  (db as unknown as PostgresConnection).prefetch(
    tables
      .filter((table) => {
        const row = now.get(table);
        const last = known.get(table);
        return row?.shape && !(last && row.shape === last.shape && row.rows === last.rows);
      })
      .map((table) => ({ sql: pageSql(db, table), params: [0], mode: 'array' as const })),
  );
  return tables.map((table) => {
    const { shape, rows } = now.get(table)!;
    const last = known.get(table);
    if (last && shape === last.shape && rows === last.rows) return last.digest;
    if (shape === null) {
      // A table a later migration adds may not exist yet (a vault checked before it migrates):
      // the full recompute counts it as empty. One this connection has read, or one every vault
      // has, was dropped by someone with access to the database: no migration drops a table.
      if (!addedAfterFormat7(table) || last) {
        forgetRecordedState(db);
        throw integrityError(table, 'is missing from the server (dropped outside the app)');
      }
      return { table, rows: 0, digest: new MultisetHash().bytes() };
    }
    const read = asIntegrity(db, [table], () => readTable(db, table, shape));
    known.set(table, read);
    return read.digest;
  });
}

/**
 * Run one of the check's statements; the server's refusal of it is an integrity failure, never
 * its own error text. The check names only tables and columns the app's migrations made, so a
 * statement the server refuses as naming what is not there (a relation or column "does not
 * exist", a type that no longer orders: SQLSTATE class 42) means someone with access to the
 * database dropped or changed a state table mid-session: the vault has been altered (ADR 0034).
 * The server's words are not shown (the operator chooses them); only names from the app's own
 * list of state tables are. A server that cannot be reached, does not answer in time or is busy
 * is already its own clear error (a VaultError), and is passed on.
 */
function asIntegrity<T>(db: Db, tables: readonly StateTable[], read: () => T): T {
  try {
    return read();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // Class 42 only: what a relation, column, type or function gone or changed gives. Another
    // failure (a write held back and sent with this statement breaking a constraint) is not this.
    if (typeof code !== 'string' || !code.startsWith('PG_42')) throw error;
    forgetRecordedState(db);
    const message = error instanceof Error ? error.message : '';
    const named = tables.filter((table) => message.includes(`"${table}"`));
    throw integrityError(
      named.length > 0 ? named.join(', ') : tables.length === 1 ? tables[0]! : 'the state tables',
      'cannot be read from the server (a state table or its columns were dropped or changed outside the app)',
    );
  }
}

/** Forget what this connection recorded: its next check reads every row again. */
export function forgetRecordedState(db: Db): void {
  recorded.delete(db);
}
