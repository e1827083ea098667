import type { Db } from './connection.ts';

export interface AuditEntryRow {
  seq: number;
  at: string;
  kind: string;
  actor_id: string;
  account_id: string | null;
  leaf_hash: Buffer;
  sealed: Buffer;
}

export interface CheckpointRow {
  size: number;
  root: Buffer;
  signer_id: string;
  signature: Buffer;
}

export interface FrontierRow {
  level: number;
  hash: Buffer;
}

export const auditStore = {
  lastSeq(db: Db): number {
    const row = db.prepare('SELECT MAX(seq) AS seq FROM audit_entries').get() as {
      seq: number | null;
    };
    return row.seq ?? 0;
  },
  insertEntry(db: Db, row: AuditEntryRow): void {
    db.prepare(
      `INSERT INTO audit_entries (seq, at, kind, actor_id, account_id, leaf_hash, sealed)
       VALUES (@seq, @at, @kind, @actor_id, @account_id, @leaf_hash, @sealed)`,
    ).run(row);
  },
  /** Entries in sequence order, streamed: a million-entry trail is never held in memory at once. */
  iterateEntries(db: Db): IterableIterator<AuditEntryRow> {
    return db
      .prepare('SELECT * FROM audit_entries ORDER BY seq')
      .iterate() as IterableIterator<AuditEntryRow>;
  },
  entriesForAccount(db: Db, accountId: string): AuditEntryRow[] {
    return db
      .prepare('SELECT * FROM audit_entries WHERE account_id = ? ORDER BY seq')
      .all(accountId) as AuditEntryRow[];
  },
  countEntries(db: Db): number {
    return (db.prepare('SELECT COUNT(*) AS n FROM audit_entries').get() as { n: number }).n;
  },
  frontier(db: Db): FrontierRow[] {
    return db
      .prepare('SELECT level, hash FROM merkle_frontier ORDER BY level DESC')
      .all() as FrontierRow[];
  },
  replaceFrontier(db: Db, nodes: readonly { level: number; hash: Uint8Array }[]): void {
    db.prepare('DELETE FROM merkle_frontier').run();
    const insert = db.prepare('INSERT INTO merkle_frontier (level, hash) VALUES (?, ?)');
    for (const node of nodes) insert.run(node.level, node.hash);
  },
  insertCheckpoint(db: Db, row: CheckpointRow): void {
    db.prepare(
      'INSERT INTO audit_checkpoints (size, root, signer_id, signature) VALUES (@size, @root, @signer_id, @signature)',
    ).run(row);
  },
  checkpoints(db: Db): CheckpointRow[] {
    return db.prepare('SELECT * FROM audit_checkpoints ORDER BY size').all() as CheckpointRow[];
  },
  latestCheckpoint(db: Db): CheckpointRow | undefined {
    return db.prepare('SELECT * FROM audit_checkpoints ORDER BY size DESC LIMIT 1').get() as
      CheckpointRow | undefined;
  },
};
