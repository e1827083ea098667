import type { z } from 'zod';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import type { Db, WritableDb } from './connection.ts';
import { stateDigestStore, type StateTable } from './state-digest.ts';
import { statement } from './statements.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { staleRow, VaultError } from '../errors.ts';
import { describeRow, openRow, sealRow, type ClearColumns, type Sealed } from './sealed-row.ts';

/**
 * A registry row as opened: its id, version and clear columns, and the value its sealed column
 * held (Bitwarden's CipherView to the stored row's Cipher). It never holds the sealed bytes, so
 * it cannot be written back as a row; `SealedTable.update` seals a new version from it.
 */
export interface OpenedRecord<C extends ClearColumns, T> {
  readonly id: string;
  readonly version: number;
  readonly clear: C;
  readonly value: T;
}

type Row<T> = Record<string, string | number | Buffer | null> & {
  id: string;
  version: number;
  sealed: Sealed<T>;
};

/**
 * A table of the shape the registry uses: `id`, some clear columns (foreign keys, dates),
 * `version` and one `sealed` column under K_vault. The table's codec and its SQL in one: typed
 * insert, update and reads, with every clear column bound into the sealed column's associated data.
 */
export class SealedTable<C extends ClearColumns, T> {
  readonly #table: StateTable;
  readonly #columns: readonly (keyof C & string)[];
  readonly #schema: z.ZodType<T>;

  constructor(table: StateTable, columns: readonly (keyof C & string)[], schema: z.ZodType<T>) {
    this.#table = table;
    this.#columns = columns;
    this.#schema = schema;
  }

  get table(): string {
    return this.#table;
  }

  insert(db: WritableDb, key: SecretBytes, id: string, clear: C, value: T): OpenedRecord<C, T> {
    const version = 1;
    const sealed = sealRow(key, this.#address(id, version, clear), value);
    const names = ['id', ...this.#columns, 'version', 'sealed'];
    stateDigestStore.tracked(db, this.#table, 'id = ?', [id], () =>
      statement(
        db,
        `INSERT INTO ${this.#table} (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`,
      ).run({ id, ...clear, version, sealed }),
    );
    return { id, version, clear, value };
  }

  /**
   * Rewrite a record: a new version, so the old sealed blob can never be put back unnoticed in its
   * place. Only over the version `record` was read at (issue 14, ADR 0023): if the row holds
   * another version, or is gone, someone else changed it since, and the write is refused as a
   * conflict instead of overwriting their change.
   */
  update(
    db: WritableDb,
    key: SecretBytes,
    record: OpenedRecord<C, T>,
    clear: C,
    value: T,
  ): OpenedRecord<C, T> {
    const version = record.version + 1;
    const sealed = sealRow(key, this.#address(record.id, version, clear), value);
    const sets = [...this.#columns, 'version', 'sealed'].map((n) => `${n} = @${n}`).join(', ');
    stateDigestStore.tracked(db, this.#table, 'id = ?', [record.id], () => {
      const { changes } = statement(
        db,
        `UPDATE ${this.#table} SET ${sets} WHERE id = @id AND version = @expected`,
      ).run({ id: record.id, ...clear, version, sealed, expected: record.version });
      if (changes !== 1) throw staleRow(this.#table, record.id);
    });
    return { id: record.id, version, clear, value };
  }

  get(db: Db, key: SecretBytes, id: string): OpenedRecord<C, T> | undefined {
    const row = statement(db, `SELECT * FROM ${this.#table} WHERE id = ?`).get(id) as
      Row<T> | undefined;
    return row ? this.#open(key, row) : undefined;
  }

  /**
   * Every record, or those whose clear column equals a value (`is` also matches null: the open
   * incidents, the quiet periods not ended); in insertion order.
   */
  all(
    db: Db,
    key: SecretBytes,
    where?: { column: keyof C & string; equals: string } | { column: keyof C & string; is: null },
  ): OpenedRecord<C, T>[] {
    // `= ?` or `IS NULL`, never `IS ?`: the server does not take a parameter after IS.
    const rows = !where
      ? (statement(db, `SELECT * FROM ${this.#table} ORDER BY rowid`).all() as Row<T>[])
      : 'equals' in where
        ? (statement(
            db,
            `SELECT * FROM ${this.#table} WHERE ${where.column} = ? ORDER BY rowid`,
          ).all(where.equals) as Row<T>[])
        : (statement(
            db,
            `SELECT * FROM ${this.#table} WHERE ${where.column} IS NULL ORDER BY rowid`,
          ).all() as Row<T>[]);
    return rows.map((row) => this.#open(key, row));
  }

  /** The last `count` records written, in insertion order (the dashboard's recent days). */
  last(db: Db, key: SecretBytes, count: number): OpenedRecord<C, T>[] {
    const rows = statement(db, `SELECT * FROM ${this.#table} ORDER BY rowid DESC LIMIT ?`).all(
      count,
    ) as Row<T>[];
    return rows.reverse().map((row) => this.#open(key, row));
  }

  /** For `audit verify`: the first row whose sealed column does not open, or undefined. */
  firstBadRow(db: Db, key: SecretBytes): string | undefined {
    for (const row of statement(
      db,
      `SELECT * FROM ${this.#table} ORDER BY rowid`,
    ).iterate() as IterableIterator<Row<T>>) {
      try {
        this.#open(key, row);
      } catch (error) {
        if (error instanceof VaultError && error.code === ErrorCode.INTEGRITY)
          return describeRow({ table: this.#table, id: row.id });
        throw error;
      }
    }
    return undefined;
  }

  #open(key: SecretBytes, row: Row<T>): OpenedRecord<C, T> {
    const clear = Object.fromEntries(this.#columns.map((n) => [n, row[n] ?? null])) as C;
    const value = openRow(key, this.#address(row.id, row.version, clear), row.sealed, this.#schema);
    return { id: row.id, version: row.version, clear, value };
  }

  #address(id: string, version: number, clear: C) {
    return { table: this.#table, id, version, clear };
  }
}
