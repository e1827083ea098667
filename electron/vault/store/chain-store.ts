import type { ChainRow } from '../trust/chain.ts';
import type { Db, WritableDb } from './connection.ts';
import { stateDigestStore } from './state-digest.ts';
import { statement } from './statements.ts';
import { tableExists } from './dialect.ts';

interface StoredChainRow {
  seq: number;
  statement: string;
  signature: Buffer;
}

const toRow = (row: StoredChainRow): ChainRow => ({
  seq: row.seq,
  statement: row.statement,
  signature: new Uint8Array(row.signature),
});

/** The membership_chain table (migration 005). Validation is trust/chain.ts's; this only reads and appends. */
export const chainStore = {
  all(db: Db): ChainRow[] {
    return (
      statement(db, 'SELECT * FROM membership_chain ORDER BY seq').all() as StoredChainRow[]
    ).map(toRow);
  },
  /** The statement at `seq` and every one after it. */
  from(db: Db, seq: number): ChainRow[] {
    return (
      statement(db, 'SELECT * FROM membership_chain WHERE seq >= ? ORDER BY seq').all(
        seq,
      ) as StoredChainRow[]
    ).map(toRow);
  },
  last(db: Db): ChainRow | undefined {
    const row = statement(db, 'SELECT * FROM membership_chain ORDER BY seq DESC LIMIT 1').get() as
      StoredChainRow | undefined;
    return row && toRow(row);
  },
  append(db: WritableDb, row: ChainRow): void {
    stateDigestStore.tracked(db, 'membership_chain', 'seq = ?', [row.seq], () =>
      statement(
        db,
        'INSERT INTO membership_chain (seq, statement, signature) VALUES (?, ?, ?)',
      ).run(row.seq, row.statement, Buffer.from(row.signature)),
    );
  },
  /** Whether the table exists yet (a format-4 vault before its migration has none). */
  exists(db: Db): boolean {
    return tableExists(db, 'membership_chain');
  },
};
