import type { AuditDetails } from '../../../shared/domain/audit.ts';
import type { Db, WritableDb } from './connection.ts';
import type { Sealed } from './sealed-row.ts';
import { statement } from './statements.ts';

export interface AuditEntryRow {
  seq: number;
  at: string;
  kind: string;
  actor_id: string;
  account_id: string | null;
  leaf_hash: Buffer;
  sealed: Sealed<AuditDetails>;
}

export interface CheckpointRow {
  size: number;
  root: Buffer;
  signer_id: string;
  signature: Buffer;
  /** The state commitment it signs (ADR 0020); null before format 7, absent in an older file. */
  state?: Buffer | null;
}

export interface FrontierRow {
  level: number;
  hash: Buffer;
}

/** Filters on an entry's clear columns, names already resolved to ids. Days are YYYY-MM-DD, UTC. */
export interface ClearColumnFilters {
  readonly from?: string;
  readonly to?: string;
  readonly accountId?: string;
  readonly actorId?: string;
  /** An event kind, or a family of them: "credential" matches "credential.revealed". */
  readonly kind?: string;
}

/** The WHERE clause for those filters: the same test as `matchesFilters`, on the clear columns. */
export function clearColumnWhere(f: ClearColumnFilters): {
  where: string;
  params: (string | number)[];
} {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  const test = (sql: string, value: string) => {
    parts.push(sql);
    params.push(value);
  };
  if (f.from) test('substr(at, 1, 10) >= ?', f.from);
  if (f.to) test('substr(at, 1, 10) <= ?', f.to);
  if (f.accountId) test('account_id = ?', f.accountId);
  if (f.actorId) test('actor_id = ?', f.actorId);
  if (f.kind) {
    parts.push('(kind = ? OR substr(kind, 1, ?) = ?)');
    params.push(f.kind, f.kind.length + 1, `${f.kind}.`);
  }
  return { where: parts.length > 0 ? parts.join(' AND ') : 'TRUE', params };
}

const LAST_SEQ = 'SELECT MAX(seq) AS seq FROM audit_entries';
const FRONTIER = 'SELECT level, hash FROM merkle_frontier ORDER BY level DESC';

/**
 * The trail's right edge, which every write reads first (audit/log.ts): on a server asked for
 * ahead with the write's BEGIN (ADR 0035), as the very statements `lastSeq` and `frontier` run,
 * so the answers kept for them are the ones those calls find.
 */
export const TRAIL_EDGE_READS: readonly { readonly sql: string }[] = [
  { sql: FRONTIER },
  { sql: LAST_SEQ },
];

export const auditStore = {
  lastSeq(db: Db): number {
    const row = statement(db, LAST_SEQ).get() as {
      seq: number | null;
    };
    return row.seq ?? 0;
  },
  insertEntry(db: WritableDb, row: AuditEntryRow): void {
    statement(
      db,
      `INSERT INTO audit_entries (seq, at, kind, actor_id, account_id, leaf_hash, sealed)
       VALUES (@seq, @at, @kind, @actor_id, @account_id, @leaf_hash, @sealed)`,
    ).run(row);
  },
  /**
   * Entries in sequence order, read a page at a time: a million-entry trail is never held in
   * memory at once, and pages of .all() cost far less per row than a row-by-row cursor.
   */
  *iterateEntries(db: Db, pageSize = 5000, from = 0): Generator<AuditEntryRow> {
    const page = statement(db, 'SELECT * FROM audit_entries WHERE seq > ? ORDER BY seq LIMIT ?');
    let after = from;
    for (;;) {
      const rows = page.all(after, pageSize) as AuditEntryRow[];
      yield* rows;
      if (rows.length < pageSize) return;
      after = rows.at(-1)!.seq;
    }
  },
  /**
   * The newest entry by one member about one account of one of `kinds`: walks that account's
   * entries backwards on its index, so it costs the account's share of the trail, not the trail.
   */
  latestByActorOn(
    db: Db,
    actorId: string,
    accountId: string,
    kinds: readonly string[],
  ): AuditEntryRow | undefined {
    const marks = kinds.map(() => '?').join(', ');
    return statement(
      db,
      `SELECT * FROM audit_entries WHERE account_id = ? AND actor_id = ? AND kind IN (${marks})
       ORDER BY seq DESC LIMIT 1`,
    ).get(accountId, actorId, ...kinds) as AuditEntryRow | undefined;
  },
  /**
   * Newest first, `limit` entries skipping the newest `offset`. Sequence numbers are dense from 1,
   * so this is a range on the primary key: as quick at the millionth entry as at the first.
   */
  entriesPage(db: Db, offset: number, limit: number): AuditEntryRow[] {
    const newest = auditStore.lastSeq(db) - offset;
    return statement(
      db,
      'SELECT * FROM audit_entries WHERE seq <= ? AND seq > ? ORDER BY seq DESC',
    ).all(newest, newest - limit) as AuditEntryRow[];
  },
  /**
   * Newest first, the entries that match `filters`, skipping `offset` of them, and how many match
   * in all. SQLite scans the clear columns (about a quarter of a second at a million entries);
   * nothing sealed is opened to filter.
   */
  filteredPage(
    db: Db,
    filters: ClearColumnFilters,
    offset: number,
    limit: number,
  ): { total: number; rows: AuditEntryRow[] } {
    const { where, params } = clearColumnWhere(filters);
    const count = statement(db, `SELECT COUNT(*) AS n FROM audit_entries WHERE ${where}`);
    const total = (count.get(...params) as { n: number }).n;
    const rows = statement(
      db,
      `SELECT * FROM audit_entries WHERE ${where} ORDER BY seq DESC LIMIT ? OFFSET ?`,
    ).all(...params, limit, offset) as AuditEntryRow[];
    return { total, rows };
  },
  /** Entries after < seq <= upTo, in order. */
  entriesBetween(db: Db, after: number, upTo: number): AuditEntryRow[] {
    return statement(db, 'SELECT * FROM audit_entries WHERE seq > ? AND seq <= ? ORDER BY seq').all(
      after,
      upTo,
    ) as AuditEntryRow[];
  },
  entry(db: Db, seq: number): AuditEntryRow | undefined {
    return statement(db, 'SELECT * FROM audit_entries WHERE seq = ?').get(seq) as
      AuditEntryRow | undefined;
  },
  /** The newest entry of a kind (the trail's record of the membership chain's head). */
  lastEntryOfKind(db: Db, kind: string): AuditEntryRow | undefined {
    return statement(
      db,
      'SELECT * FROM audit_entries WHERE kind = ? ORDER BY seq DESC LIMIT 1',
    ).get(kind) as AuditEntryRow | undefined;
  },
  /** The account's newest entry of any of these kinds (through the account index, newest first). */
  lastEntryOfKindsForAccount(
    db: Db,
    accountId: string,
    kinds: readonly string[],
  ): AuditEntryRow | undefined {
    return statement(
      db,
      `SELECT * FROM audit_entries WHERE account_id = ? AND kind IN (${kinds.map(() => '?').join(', ')})
       ORDER BY seq DESC LIMIT 1`,
    ).get(accountId, ...kinds) as AuditEntryRow | undefined;
  },
  /** The newest entries of any of these kinds, newest first: a conflict's search for who changed a record. */
  lastEntriesOfKinds(db: Db, kinds: readonly string[], limit: number): AuditEntryRow[] {
    return statement(
      db,
      `SELECT * FROM audit_entries WHERE kind IN (${kinds.map(() => '?').join(', ')})
       ORDER BY seq DESC LIMIT ?`,
    ).all(...kinds, limit) as AuditEntryRow[];
  },
  /**
   * Every entry that recorded an application added to an account (6.3), oldest first, through
   * its partial index (migration 011): `audit verify` checks each one's app is still registered.
   */
  appAdditions(db: Db): AuditEntryRow[] {
    return statement(
      db,
      "SELECT * FROM audit_entries WHERE kind = 'third-party-app.added' ORDER BY seq",
    ).all() as AuditEntryRow[];
  },
  /** Leaf hashes of entries 1..size in order: what an inclusion or consistency proof is built on. */
  leaves(db: Db, size: number): Uint8Array[] {
    const rows = statement(db, 'SELECT leaf_hash FROM audit_entries WHERE seq <= ? ORDER BY seq')
      .pluck()
      .all(size) as Buffer[];
    return rows.map((hash) => new Uint8Array(hash));
  },
  /** Leaf hashes of entries after..upTo in order: a proof from a kept frontier needs only these. */
  leavesAfter(db: Db, after: number, upTo: number): Uint8Array[] {
    const rows = statement(
      db,
      'SELECT leaf_hash FROM audit_entries WHERE seq > ? AND seq <= ? ORDER BY seq',
    )
      .pluck()
      .all(after, upTo) as Buffer[];
    return rows.map((hash) => new Uint8Array(hash));
  },
  entriesForAccount(db: Db, accountId: string): AuditEntryRow[] {
    return statement(db, 'SELECT * FROM audit_entries WHERE account_id = ? ORDER BY seq').all(
      accountId,
    ) as AuditEntryRow[];
  },
  countEntries(db: Db): number {
    return (statement(db, 'SELECT COUNT(*) AS n FROM audit_entries').get() as { n: number }).n;
  },
  frontier(db: Db): FrontierRow[] {
    return statement(db, FRONTIER).all() as FrontierRow[];
  },
  replaceFrontier(db: WritableDb, nodes: readonly { level: number; hash: Uint8Array }[]): void {
    statement(db, 'DELETE FROM merkle_frontier').run();
    const insert = statement(db, 'INSERT INTO merkle_frontier (level, hash) VALUES (?, ?)');
    for (const node of nodes) insert.run(node.level, node.hash);
  },
  insertCheckpoint(db: WritableDb, row: CheckpointRow): void {
    statement(
      db,
      'INSERT INTO audit_checkpoints (size, root, signer_id, signature, state) VALUES (@size, @root, @signer_id, @signature, @state)',
    ).run({ ...row, state: row.state ?? null });
  },
  checkpoints(db: Db): CheckpointRow[] {
    return statement(db, 'SELECT * FROM audit_checkpoints ORDER BY size').all() as CheckpointRow[];
  },
  /**
   * The same, one row at a time up to `size`, for an export that writes each as it reads it: a
   * trail in use has a checkpoint every few entries, 57,000 rows at a million (issue 17). No
   * other statement may run on `db` until the iteration ends.
   */
  iterateCheckpoints(db: Db, size: number): IterableIterator<CheckpointRow> {
    return statement(db, 'SELECT * FROM audit_checkpoints WHERE size <= ? ORDER BY size').iterate(
      size,
    ) as IterableIterator<CheckpointRow>;
  },
  /** The first checkpoint at or after entry `seq`: the one that added it to the signed tree. */
  checkpointCovering(db: Db, seq: number): CheckpointRow | undefined {
    return statement(
      db,
      'SELECT * FROM audit_checkpoints WHERE size >= ? ORDER BY size LIMIT 1',
    ).get(seq) as CheckpointRow | undefined;
  },
  latestCheckpoint(db: Db): CheckpointRow | undefined {
    return statement(db, 'SELECT * FROM audit_checkpoints ORDER BY size DESC LIMIT 1').get() as
      CheckpointRow | undefined;
  },
};
