import { sha256, utf8 } from '../crypto/hash.ts';
import { MultisetHash, rowElement, type Cell } from '../crypto/multiset-hash.ts';
import type { Db, StoreStatement } from './connection.ts';
import { statement } from './statements.ts';
import { rowKey, stateColumns, tableExists } from './dialect.ts';
import type { PostgresConnection } from './postgres/pg-connection.ts';

/**
 * The security-relevant state a signed checkpoint commits to (ADR 0020): every table whose rows
 * decide what the vault says or who reads what, by the whole of each row (ids, version, clear
 * columns and sealed blob). Deleting, inserting, restoring or rolling back any of their rows
 * changes its table's digest, which the latest checkpoint signs. The audit trail is not here: its
 * entries are the Merkle tree's leaves, and the checkpoint signs that root beside this digest.
 */
export const STATE_TABLES = [
  'vault_header',
  'members',
  'key_slots',
  'team_key_grants',
  'vault_key_grants',
  'membership_chain',
  'accounts',
  'credentials',
  'account_key_wraps',
  'rotations',
  'rotation_due',
  'people',
  'team_memberships',
  'devices',
  'incidents',
  'quiet_periods',
  'account_changes',
  'settings',
  'health_summaries',
  // Migration 011 (issue 15): the policy records of 6.4, 3.4 and 6.3.
  'complaints',
  'channel_trials',
  'third_party_apps',
  // Migration 010 (issue 17): the first screen's summary (ADR 0027).
  'dashboard_summary',
] as const;
export type StateTable = (typeof STATE_TABLES)[number];

/**
 * State tables added after format 7. A vault's checkpoints signed before such a table existed
 * commit to a state without it, so while it is empty (or not yet made, before the migration runs
 * at unlock) it is left out of the commitment: an upgraded vault still matches its last signed
 * checkpoint. Once it holds a row it is committed like any other; emptying it again changes the
 * commitment, so a deletion of its rows is still caught.
 */
const ADDED_AFTER_FORMAT_7: ReadonlySet<StateTable> = new Set([
  'complaints',
  'channel_trials',
  'third_party_apps',
  // Migration 010 (issue 17): the dashboard summary.
  'dashboard_summary',
]);

/** Whether `table` came after format 7, so a vault not yet migrated may lack it. */
export function addedAfterFormat7(table: StateTable): boolean {
  return ADDED_AFTER_FORMAT_7.has(table);
}

/**
 * The state tables the first screen and the unlock's own write read (ADR 0027): small, whatever
 * the size of the registry. A console unlock checks these against the signed state at once and
 * the registry's large tables (the rest) before it serves anything else (vault.ts, router.ts).
 */
export const FIRST_SCREEN_TABLES: readonly StateTable[] = [
  'vault_header',
  'members',
  'key_slots',
  'team_key_grants',
  'vault_key_grants',
  'membership_chain',
  'settings',
  'health_summaries',
  'dashboard_summary',
];
export const REGISTRY_STATE_TABLES: readonly StateTable[] = STATE_TABLES.filter(
  (table) => !FIRST_SCREEN_TABLES.includes(table),
);

/** One table's part of the state: how many rows it has and the multiset hash of them. */
export interface TableDigest {
  readonly table: StateTable;
  readonly rows: number;
  readonly digest: Uint8Array;
}

interface StoredDigestRow {
  table_name: string;
  row_count: number;
  digest: Buffer;
}

/** Statements that return rows as arrays in column order (what a row's element hashes). */
const rawStatements = new WeakMap<Db, Map<string, StoreStatement>>();
function raw(db: Db, sql: string): StoreStatement {
  let cache = rawStatements.get(db);
  if (!cache) rawStatements.set(db, (cache = new Map<string, StoreStatement>()));
  let prepared = cache.get(sql);
  if (!prepared) cache.set(sql, (prepared = db.prepare(sql).raw(true)));
  return prepared;
}

/**
 * The state tables each connection's open write transactions have changed, innermost last (a
 * write inside a write is a savepoint: its changes join the outer one's when it ends).
 */
const changedIn = new WeakMap<Db, Set<StateTable>[]>();
const present = new WeakSet<Db>();
/**
 * The stored digests as a write transaction has them, read once when it first asks and kept up
 * to date by its own writes (ADR 0034: a server answers each read in a round trip, and a write
 * reads a table's digest for each change and all of them for its checkpoint). Sound because no
 * one else can change them meanwhile: the file's write lock, and on a server the write's own
 * `LOCK TABLE state_digests IN EXCLUSIVE MODE` (ADR 0031), hold every other writer off until
 * COMMIT. Dropped when the transaction ends, and when a savepoint inside it rolls back.
 */
const heldIn = new WeakMap<Db, Map<StateTable, TableDigest>>();

function heldDigests(db: Db): Map<StateTable, TableDigest> | undefined {
  if ((changedIn.get(db)?.length ?? 0) === 0) return undefined;
  let held = heldIn.get(db);
  if (!held) {
    heldIn.set(db, (held = new Map<StateTable, TableDigest>()));
    for (const digest of stateDigestStore.storedNow(db)) held.set(digest.table, digest);
  }
  return held;
}

const PAGE = 2000;

/** Every stored digest in one statement (what the server's state check asks for ahead, too). */
export const STORED_DIGESTS = 'SELECT * FROM state_digests';

export const stateDigestStore = {
  /** Whether the vault has the state digest yet (migration 007). */
  exists(db: Db): boolean {
    if (present.has(db)) return true;
    const found = tableExists(db, 'state_digests');
    if (found) present.add(db);
    return found;
  },

  /**
   * Run `write` on the rows of `table` that `where` picks (before and after), and move the
   * table's digest from their old contents to their new ones, in the caller's transaction. Every
   * store function that writes a state table goes through here, so the digest cannot fall behind.
   */
  tracked<T>(
    db: Db,
    table: StateTable,
    where: string,
    params: readonly unknown[],
    write: () => T,
  ): T {
    if (!stateDigestStore.exists(db)) return write();
    const sql = `SELECT ${stateColumns(db, table)} FROM ${table} WHERE ${where}`;
    const select = raw(db, sql);
    // The rows as they are now, and held so until this transaction ends. On a server a write runs
    // at READ COMMITTED and its operator is not held off by the log head: read unlocked (or answered
    // from what the transaction kept, ADR 0035), a row the operator changed in a column the write
    // does not set, between this read and the write, moved the digest to the operator's row and
    // this write's checkpoint signed it (review of ADR 0035). FOR UPDATE reads the latest row and
    // makes every other change to it wait for this COMMIT, after which the state check sees it.
    // A file's write transaction holds the whole file already.
    const before = (db.dialect === 'postgres' ? raw(db, `${sql} FOR UPDATE`) : select).all(
      ...params,
    ) as Cell[][];
    // On a server, the rows after the write are asked for now, to go with the write's own round
    // trip (its version check asks for its count at once, ADR 0023), not one after it (ADR 0035).
    if (db.dialect === 'postgres') {
      (db as unknown as PostgresConnection).prefetch([{ sql, params, mode: 'array' }], {
        afterWrites: true,
      });
    }
    const result = write();
    const after = select.all(...params) as Cell[][];
    stateDigestStore.applyRows(db, table, before, after);
    return result;
  },

  /** Move `table`'s digest: `removed` rows out, `added` rows in (cells in column order). */
  applyRows(
    db: Db,
    table: StateTable,
    removed: readonly (readonly Cell[])[],
    added: readonly (readonly Cell[])[],
  ): void {
    if (removed.length === 0 && added.length === 0) return;
    const stored = stateDigestStore.table(db, table);
    const sum = new MultisetHash(stored.digest);
    for (const cells of removed) sum.remove(rowElement(table, cells));
    for (const cells of added) sum.add(rowElement(table, cells));
    stateDigestStore.write(db, {
      table,
      rows: stored.rows - removed.length + added.length,
      digest: sum.bytes(),
    });
  },

  /** Add a sum of row elements already taken (a re-seal's old rows out, new rows in). */
  applyDelta(db: Db, table: StateTable, delta: MultisetHash, rowsDelta: number): void {
    const stored = stateDigestStore.table(db, table);
    const sum = new MultisetHash(stored.digest);
    sum.addAll(delta);
    stateDigestStore.write(db, { table, rows: stored.rows + rowsDelta, digest: sum.bytes() });
  },

  /** One table's stored digest (zero rows and a zero sum if it has none yet). */
  table(db: Db, table: StateTable): TableDigest {
    const held = heldDigests(db);
    if (held) return held.get(table)!;
    const row = statement(db, 'SELECT * FROM state_digests WHERE table_name = ?').get(table) as
      StoredDigestRow | undefined;
    return row
      ? { table, rows: row.row_count, digest: new Uint8Array(row.digest) }
      : { table, rows: 0, digest: new MultisetHash().bytes() };
  },

  write(db: Db, digest: TableDigest): void {
    statement(
      db,
      `INSERT INTO state_digests (table_name, row_count, digest) VALUES (?, ?, ?)
       ON CONFLICT (table_name) DO UPDATE SET row_count = excluded.row_count, digest = excluded.digest`,
    ).run(digest.table, digest.rows, digest.digest);
    changedIn.get(db)?.at(-1)?.add(digest.table);
    heldIn.get(db)?.set(digest.table, digest);
  },

  /** Every state table's stored digest, in STATE_TABLES order (a write's own, if inside one). */
  stored(db: Db): TableDigest[] {
    const held = heldDigests(db);
    if (held) return STATE_TABLES.map((table) => held.get(table)!);
    return stateDigestStore.storedNow(db);
  },

  /**
   * Every state table's stored digest as the table holds it now: one statement for them all (a
   * server answers each statement in a round trip, ADR 0034). A table without a row has zero
   * rows and a zero sum, as `table` gives it.
   */
  storedNow(db: Db): TableDigest[] {
    const rows = statement(db, STORED_DIGESTS).all() as StoredDigestRow[];
    const byTable = new Map(rows.map((row) => [row.table_name, row]));
    return STATE_TABLES.map((table) => {
      const row = byTable.get(table);
      return row
        ? { table, rows: row.row_count, digest: new Uint8Array(row.digest) }
        : { table, rows: 0, digest: new MultisetHash().bytes() };
    });
  },

  /** Every state table's digest (or those of `tables`) recomputed from its rows: one pass each. */
  recompute(db: Db, tables: readonly StateTable[] = STATE_TABLES): TableDigest[] {
    return tables.map((table) => {
      // Read before migrating (unlock checks the state first): a later table may not exist yet.
      if (ADDED_AFTER_FORMAT_7.has(table) && !tableExists(db, table))
        return { table, rows: 0, digest: new MultisetHash().bytes() };
      const key = rowKey(db, table);
      const page = raw(
        db,
        `SELECT ${key}, ${stateColumns(db, table)} FROM ${table} WHERE ${key} > ? ORDER BY ${key} LIMIT ${PAGE}`,
      );
      const sum = new MultisetHash();
      let rows = 0;
      let after = 0;
      for (;;) {
        const cells = page.all(after) as Cell[][];
        for (const row of cells) {
          sum.add(rowElement(table, row.slice(1)));
          after = row[0] as number;
        }
        rows += cells.length;
        if (cells.length < PAGE) break;
      }
      return { table, rows, digest: sum.bytes() };
    });
  },

  /** Replace every stored digest (the first commitment of a vault upgraded to format 7). */
  replaceAll(db: Db, digests: readonly TableDigest[]): void {
    for (const digest of digests) stateDigestStore.write(db, digest);
  },

  /** At the start of a write transaction (or a savepoint inside one): track what it changes. */
  beginTracking(db: Db): void {
    let stack = changedIn.get(db);
    if (!stack) changedIn.set(db, (stack = []));
    stack.push(new Set());
  },

  /**
   * At its end: a savepoint that was released hands what it changed to the transaction around it;
   * one rolled back (`kept` false) hands nothing on, since its changes are gone; nor does one that
   * signed its own checkpoint (`audited`), since its entries already account for its changes: an
   * outer write around audited inner writes is then no change without its entry.
   */
  endTracking(db: Db, kept: boolean, audited = false): void {
    const stack = changedIn.get(db);
    // A savepoint rolled back took its digest writes with it: read them again if asked.
    if (!kept || (stack?.length ?? 0) <= 1) heldIn.delete(db);
    const inner = stack?.pop();
    if (kept && !audited && inner) for (const table of inner) stack?.at(-1)?.add(table);
  },

  /** Whether this connection changed the state since `beginTracking`. */
  changedSinceBegin(db: Db): boolean {
    return (changedIn.get(db)?.at(-1)?.size ?? 0) > 0;
  },

  /** The state tables changed since `beginTracking`. */
  changedTables(db: Db): ReadonlySet<StateTable> {
    return changedIn.get(db)?.at(-1) ?? new Set();
  },
};

/**
 * The 32 bytes a checkpoint signs for the state: SHA-256, under a label, of every state table's
 * name, row count and digest in a fixed order. A table that is missing counts as empty.
 */
export function stateCommitment(digests: readonly TableDigest[]): Uint8Array {
  const parts: Uint8Array[] = [utf8('custodian/state/v1\n')];
  for (const { table, rows, digest } of digests) {
    if (rows === 0 && ADDED_AFTER_FORMAT_7.has(table)) continue;
    parts.push(utf8(`${table}\n${rows}\n`), digest);
  }
  return sha256(...parts);
}
