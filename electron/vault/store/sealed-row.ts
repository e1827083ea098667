import type { z } from 'zod';
import { canonicalJson } from '../canonical-json.ts';
import { open, OpenFailed, seal } from '../crypto/aead.ts';
import { fromUtf8, toHex, utf8 } from '../crypto/hash.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { integrityError } from '../errors.ts';

/** The clear columns of a row, bound into its sealed column so neither can change alone. */
export type ClearColumns = Record<string, string | number | Uint8Array | null>;

export interface RowAddress {
  readonly table: string;
  readonly id: string | number;
  readonly version: number;
  readonly clear: ClearColumns;
}

/**
 * Associated data for a sealed column: table, row id, row version and every clear column, in
 * RFC 8785 canonical JSON. A blob moved to another row, another table or another version, or a
 * clear column edited beside it, no longer opens.
 */
export function associatedData(row: RowAddress): Uint8Array {
  const clear: Record<string, string | number | null> = {};
  for (const [name, value] of Object.entries(row.clear)) {
    clear[name] = value instanceof Uint8Array ? toHex(value) : value;
  }
  return utf8(
    canonicalJson({
      custodian: 1,
      table: row.table,
      id: String(row.id),
      version: row.version,
      clear,
    }),
  );
}

export function sealRow(key: SecretBytes, row: RowAddress, value: unknown): Uint8Array {
  const plaintext = utf8(JSON.stringify(value));
  try {
    return seal(key, plaintext, associatedData(row));
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
  blob: Uint8Array,
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
