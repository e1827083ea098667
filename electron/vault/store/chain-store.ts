import { z } from 'zod';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { fromHex, toHex } from '../crypto/hash.ts';
import type { ChainRow } from '../trust/chain.ts';
import type { Db, WritableDb } from './connection.ts';
import { schemaVersion } from './migrate.ts';
import { openRow, sealRow, type RowAddress, type Sealed } from './sealed-row.ts';
import { stateDigestStore } from './state-digest.ts';
import { statement } from './statements.ts';
import { tableExists } from './dialect.ts';

interface StoredChainRow {
  seq: number;
  legacy_statement: string | null;
  legacy_signature: Buffer | null;
  sealed: Buffer | null;
}

/** What a chain row seals under K_vault from format 9 (ADR 0028): the statement and its signature. */
const sealedStatementSchema = z.object({ statement: z.string(), signature: z.hex().length(128) });
type SealedStatement = z.infer<typeof sealedStatementSchema>;

/**
 * Statements are padded to a whole number of these, so a row's length tells neither its kind nor
 * the role it names; every kind fits in one.
 */
const STATEMENT_PAD_BYTES = 1024;

/** The format (migration 009) from which statements are sealed. */
const SEALED_CHAIN_FORMAT = 9;

/**
 * A sealed statement's address: the table, its number and the (empty) legacy columns beside it,
 * as every K_vault row is bound (reseal.ts re-seals it with the others at a key epoch).
 */
function addressOf(seq: number): RowAddress {
  return {
    table: 'membership_chain',
    id: seq,
    version: 1,
    clear: { legacy_statement: null, legacy_signature: null },
  };
}

function opened(vaultKey: SecretBytes, row: StoredChainRow): ChainRow {
  if (row.legacy_statement !== null && row.legacy_signature !== null) {
    return {
      seq: row.seq,
      statement: row.legacy_statement,
      signature: new Uint8Array(row.legacy_signature),
    };
  }
  const value = openRow(
    vaultKey,
    addressOf(row.seq),
    (row.sealed ?? Buffer.alloc(0)) as Sealed<SealedStatement>,
    sealedStatementSchema,
  );
  return { seq: row.seq, statement: value.statement, signature: fromHex(value.signature) };
}

function sealedOf(vaultKey: SecretBytes, row: ChainRow): Buffer {
  return sealRow(
    vaultKey,
    addressOf(row.seq),
    { statement: row.statement, signature: toHex(row.signature) },
    STATEMENT_PAD_BYTES,
  );
}

/** The rows as this format stores them: before format 9 the statement was in clear. */
function selectSql(db: Db, tail: string): string {
  return schemaVersion(db) >= SEALED_CHAIN_FORMAT
    ? `SELECT * FROM membership_chain ${tail}`
    : `SELECT seq, statement AS legacy_statement, signature AS legacy_signature, NULL AS sealed FROM membership_chain ${tail}`;
}

/**
 * The membership_chain table (migrations 005, 009). Validation is trust/chain.ts's; this only
 * reads, opens and appends. Opening a row proves only that a K_vault holder wrote it: what makes a
 * statement count is its signature, checked by the validation (ADR 0010).
 */
export const chainStore = {
  all(db: Db, vaultKey: SecretBytes): ChainRow[] {
    return (statement(db, selectSql(db, 'ORDER BY seq')).all() as StoredChainRow[]).map((row) =>
      opened(vaultKey, row),
    );
  },
  /** The statement at `seq` and every one after it. */
  from(db: Db, seq: number, vaultKey: SecretBytes): ChainRow[] {
    return (
      statement(db, selectSql(db, 'WHERE seq >= ? ORDER BY seq')).all(seq) as StoredChainRow[]
    ).map((row) => opened(vaultKey, row));
  },
  last(db: Db, vaultKey: SecretBytes): ChainRow | undefined {
    const row = statement(db, selectSql(db, 'ORDER BY seq DESC LIMIT 1')).get() as
      StoredChainRow | undefined;
    return row && opened(vaultKey, row);
  },
  /** Whether the last statement opens under this K_vault (after another session's key epoch, not). */
  lastOpensWith(db: Db, vaultKey: SecretBytes): boolean {
    try {
      chainStore.last(db, vaultKey);
      return true;
    } catch {
      return false;
    }
  },
  append(db: WritableDb, vaultKey: SecretBytes, row: ChainRow): void {
    stateDigestStore.tracked(db, 'membership_chain', 'seq = ?', [row.seq], () =>
      statement(
        db,
        'INSERT INTO membership_chain (seq, legacy_statement, legacy_signature, sealed) VALUES (?, NULL, NULL, ?)',
      ).run(row.seq, sealedOf(vaultKey, row)),
    );
  },
  /**
   * Seal every statement still in clear (a vault from before format 9), at its first unlock.
   * The text and signature are unchanged, so the chain validates as before.
   */
  /** Whether any statement is still in the clear columns (format 9 before its first unlock). */
  hasLegacy(db: Db): boolean {
    return (
      schemaVersion(db) < SEALED_CHAIN_FORMAT ||
      statement(
        db,
        'SELECT 1 FROM membership_chain WHERE legacy_statement IS NOT NULL LIMIT 1',
      ).get() !== undefined
    );
  },
  sealLegacy(db: WritableDb, vaultKey: SecretBytes): number {
    const rows = statement(
      db,
      'SELECT * FROM membership_chain WHERE legacy_statement IS NOT NULL ORDER BY seq',
    ).all() as StoredChainRow[];
    for (const row of rows) {
      const clear = opened(vaultKey, row);
      stateDigestStore.tracked(db, 'membership_chain', 'seq = ?', [row.seq], () =>
        statement(
          db,
          'UPDATE membership_chain SET legacy_statement = NULL, legacy_signature = NULL, sealed = ? WHERE seq = ?',
        ).run(sealedOf(vaultKey, clear), row.seq),
      );
    }
    return rows.length;
  },
  /** Whether the table exists yet (a format-4 vault before its migration has none). */
  exists(db: Db): boolean {
    return tableExists(db, 'membership_chain');
  },
};
