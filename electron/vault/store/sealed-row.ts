import type { z } from 'zod';
import { open, OpenFailed, seal } from '../crypto/aead.ts';
import { fromUtf8, toHex, utf8 } from '../crypto/hash.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { findIllFormedText } from '../../../shared/domain/text.ts';
import { integrityError, invalidInput } from '../errors.ts';

/**
 * A sealed column holding a `T`: bytes only a key opens, typed by what they hold so that a sealed
 * row and an opened record are never mistaken for one another (Bitwarden's Cipher and CipherView),
 * and one table's blob is not handed to another table's codec. Made only by `sealRow`, or read
 * back from the store; opened only by `openRow`, which checks the shape as it opens.
 */
declare const sealedOf: unique symbol;
export type Sealed<T> = Buffer & { readonly [sealedOf]: T };

/** The clear columns of a row, bound into its sealed column so neither can change alone. */
export type ClearColumns = Record<string, string | number | Uint8Array | null>;

export interface RowAddress {
  readonly table: string;
  readonly id: string | number;
  readonly version: number;
  readonly clear: ClearColumns;
  /** The same bytes associatedData() would build, precomputed by a hot path (the audit trail). */
  readonly encoded?: Uint8Array;
}

/**
 * Associated data for a sealed column: table, row id, row version and every clear column. A blob
 * moved to another row, another table or another version, or a clear column edited beside it, no
 * longer opens. The encoding is JSON with a fixed key order: deterministic and unambiguous, built
 * directly because it runs for every row the vault reads or writes.
 */
export function associatedData(row: RowAddress): Uint8Array {
  if (row.encoded) return row.encoded;
  let clear = '';
  for (const name of Object.keys(row.clear).sort()) {
    const value = row.clear[name];
    const encoded =
      value instanceof Uint8Array ? JSON.stringify(toHex(value)) : JSON.stringify(value ?? null);
    clear += `${clear ? ',' : ''}${JSON.stringify(name)}:${encoded}`;
  }
  return utf8(
    `{"clear":{${clear}},"custodian":1,"id":${JSON.stringify(String(row.id))},"table":${JSON.stringify(row.table)},"version":${row.version}}`,
  );
}

/**
 * Trailing spaces (which JSON ignores) to a multiple of `block` bytes, so that what the clear
 * length of a blob tells is only which block it falls in. Rows that name a role are padded so
 * that "security" and "lead" seal to the same length (issue 13, attack 14; ADR 0028).
 */
function padded(text: string, block: number): string {
  if (block <= 1) return text;
  const length = Buffer.byteLength(text, 'utf8');
  const target = Math.max(block, Math.ceil(length / block) * block);
  return text + ' '.repeat(target - length);
}

export function sealRow<T>(key: SecretBytes, row: RowAddress, value: T, padTo = 1): Sealed<T> {
  // Every record the core writes passes here: text that is not well-formed Unicode is refused
  // whichever service it came through (shared/domain/text.ts).
  const broken = findIllFormedText(value);
  if (broken) {
    const where = broken.path.length > 0 ? `${broken.path.join('.')} ` : 'The text ';
    throw invalidInput(`${where}${broken.message}. Nothing was saved.`);
  }
  const plaintext = utf8(padded(JSON.stringify(value), padTo));
  try {
    const blob = seal(key, plaintext, associatedData(row));
    // A view of the sealed bytes, not a copy: every row the vault writes passes here.
    return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength) as Sealed<T>;
  } finally {
    plaintext.fill(0);
  }
}

/**
 * Open a sealed column and check its shape. Failure names the row and nothing of its contents:
 * a tampered row, a swapped blob and a wrong key all read as "this row does not match".
 */
export function openRow<T>(
  key: SecretBytes,
  row: RowAddress,
  blob: Sealed<T>,
  schema: z.ZodType<T>,
): T {
  let plaintext: Uint8Array;
  try {
    plaintext = open(key, blob, associatedData(row));
  } catch (error) {
    if (error instanceof OpenFailed) throw integrityError(describeRow(row));
    throw error;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(fromUtf8(plaintext)));
    if (!parsed.success) throw integrityError(describeRow(row), 'has an unexpected shape');
    return parsed.data;
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof TypeError) {
      throw integrityError(describeRow(row), 'is not readable');
    }
    throw error;
  } finally {
    plaintext.fill(0);
  }
}

export function describeRow(row: Pick<RowAddress, 'table' | 'id'>): string {
  return `${row.table} row ${String(row.id)}`;
}

/** What a sealed row holds in its sealed column. */
export type SealedValue<Row> = Row extends { readonly sealed: Sealed<infer T> } ? T : never;

/**
 * A table's codec: the one place its rows are sealed and opened. `seal` turns the clear part of a
 * row and the value into the row to store; `open` gives back the value, shape checked. The row
 * and the opened value are different types, so neither can stand in for the other.
 */
export interface RowCodec<Row, T> {
  readonly table: string;
  seal(key: SecretBytes, row: Omit<Row, 'sealed'>, value: T): Row;
  open(key: SecretBytes, row: Row): T;
}

/**
 * A codec for rows of shape `Row` (a `version` and a `sealed` column), given the table, the
 * shape of what is sealed and which of the row's columns are its id and its clear columns.
 * Called as `rowCodec<Row>()(table, schema, addressOf)` so that the value type comes from `Row`.
 */
export function rowCodec<
  Row extends { readonly version: number; readonly sealed: Sealed<unknown> },
>() {
  return (
    table: string,
    schema: z.ZodType<SealedValue<Row>>,
    addressOf: (row: Omit<Row, 'sealed'>) => { id: string | number; clear: ClearColumns },
    /** Pad the sealed text to a multiple of this many bytes (sealRow). */
    padTo = 1,
  ): RowCodec<Row, SealedValue<Row>> => {
    const address = (row: Omit<Row, 'sealed'>): RowAddress => {
      const { id, clear } = addressOf(row);
      return { table, id, version: row.version, clear };
    };
    return {
      table,
      seal: (key, row, value) =>
        ({ ...row, sealed: sealRow(key, address(row), value, padTo) }) as Row,
      open: (key, row) =>
        openRow(key, address(row), row.sealed as Sealed<SealedValue<Row>>, schema),
    };
  };
}
