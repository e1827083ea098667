import { open, seal } from '../crypto/aead.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { sodium } from '../crypto/sodium.ts';
import { MultisetHash, rowElement, type Cell } from '../crypto/multiset-hash.ts';
import type { Db } from './connection.ts';
import { associatedData, type ClearColumns } from './sealed-row.ts';
import { rowKey, stateColumns } from './dialect.ts';
import { STATE_TABLES, stateDigestStore, type StateTable } from './state-digest.ts';

/**
 * Every table whose sealed column is under K_vault, with the column that keys its rows. Each
 * binds its sealed column to (table, row id, version, every other column) — the codecs in
 * domain/ and store/ build exactly that — so one routine can re-seal them all without knowing
 * what they hold. The credentials table is not here: it is under account keys, which do not
 * change with an epoch (a new credential write always gets a fresh one).
 */
export const VAULT_KEY_TABLES: readonly { readonly table: string; readonly id: string }[] = [
  { table: 'members', id: 'id' },
  { table: 'membership_chain', id: 'seq' },
  { table: 'accounts', id: 'id' },
  { table: 'rotations', id: 'id' },
  { table: 'rotation_due', id: 'id' },
  { table: 'audit_entries', id: 'seq' },
  { table: 'people', id: 'id' },
  { table: 'team_memberships', id: 'id' },
  { table: 'devices', id: 'id' },
  { table: 'incidents', id: 'id' },
  { table: 'quiet_periods', id: 'id' },
  { table: 'account_changes', id: 'id' },
  { table: 'settings', id: 'id' },
  { table: 'health_summaries', id: 'id' },
  { table: 'complaints', id: 'id' },
  { table: 'channel_trials', id: 'id' },
  { table: 'third_party_apps', id: 'id' },
  { table: 'dashboard_summary', id: 'id' },
];

export type Row = Record<string, string | number | Buffer | null> & {
  _rowid: number;
  sealed: Buffer;
};

/**
 * A clear column whose value is keyed by K_vault (the accounts' lookup tag): given the row's
 * opened plaintext, its value under the new key. Re-keyed with the row, so the old key does not
 * test a guessed handle against the new file.
 */
export interface KeyedColumn {
  readonly table: string;
  readonly column: string;
  /** The column's value for the row, given its opened plaintext and the new key (null stays null). */
  readonly value: (plaintext: Uint8Array, key: SecretBytes, row: Readonly<Row>) => Buffer | null;
}

const PAGE = 2000;

/**
 * Re-seal every K_vault row from one key to the other, inside the caller's transaction (ADR 0019).
 * A row that does not open under the old key is damage, and fails the whole epoch change with an
 * integrity error naming it, like any read would. Returns how many rows were re-sealed.
 */
export function resealVaultRows(
  db: Db,
  from: SecretBytes,
  to: SecretBytes,
  keyed: readonly KeyedColumn[],
  describe: (table: string, id: string) => Error,
): number {
  let count = 0;
  const tracking = stateDigestStore.exists(db);
  for (const { table, id } of VAULT_KEY_TABLES) {
    const rekey = keyed.find((column) => column.table === table);
    // Re-sealed rows have new blobs: the state digest moves with them, in one write per table.
    const state =
      tracking && isStateTable(table) ? { table, delta: new MultisetHash() } : undefined;
    const key = rowKey(db, table);
    const read = db.prepare(
      `SELECT ${key} AS _rowid, ${stateColumns(db, table)} FROM ${table} WHERE ${key} > ? ORDER BY ${key} LIMIT ${PAGE}`,
    );
    const write = db.prepare(
      rekey
        ? `UPDATE ${table} SET sealed = ?, ${rekey.column} = ? WHERE ${key} = ?`
        : `UPDATE ${table} SET sealed = ? WHERE ${key} = ?`,
    );
    let after = 0;
    for (;;) {
      const rows = read.all(after) as Row[];
      if (rows.length === 0) break;
      for (const row of rows) {
        after = row._rowid;
        const address = addressOf(table, id, row);
        let plaintext: Uint8Array;
        try {
          plaintext = open(from, row.sealed, associatedData(address));
        } catch {
          throw describe(table, String(row[id]));
        }
        try {
          let changed: Partial<Row>;
          if (rekey) {
            const value = rekey.value(plaintext, to, row);
            const next = { ...address, clear: { ...address.clear, [rekey.column]: value } };
            const sealed = Buffer.from(seal(to, plaintext, associatedData(next)));
            write.run(sealed, value, row._rowid);
            changed = { sealed, [rekey.column]: value };
          } else {
            const sealed = Buffer.from(seal(to, plaintext, associatedData(address)));
            write.run(sealed, row._rowid);
            changed = { sealed };
          }
          if (state) {
            state.delta.remove(rowElement(table, cellsOf(row)));
            state.delta.add(rowElement(table, cellsOf({ ...row, ...changed } as Row)));
          }
        } finally {
          sodium.memzero(plaintext);
        }
        count += 1;
      }
    }
    if (state) stateDigestStore.applyDelta(db, state.table, state.delta, 0);
  }
  return count;
}

function isStateTable(table: string): table is StateTable {
  return (STATE_TABLES as readonly string[]).includes(table);
}

/** A row's cells in column order, as the state digest hashes them (without the rowid read beside). */
function cellsOf(row: Row): Cell[] {
  const cells: Cell[] = [];
  for (const [name, value] of Object.entries(row)) if (name !== '_rowid') cells.push(value);
  return cells;
}

function addressOf(table: string, id: string, row: Row) {
  const clear: ClearColumns = {};
  for (const [name, value] of Object.entries(row)) {
    if (name === '_rowid' || name === id || name === 'version' || name === 'sealed') continue;
    clear[name] = value;
  }
  return {
    table,
    id: row[id] as string | number,
    version: typeof row.version === 'number' ? row.version : 1,
    clear,
  };
}
