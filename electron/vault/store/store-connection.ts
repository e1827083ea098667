import type { Database as SqliteDatabase } from 'better-sqlite3';

/**
 * What the store runs its SQL on: one small interface that the SQLite file (better-sqlite3) and
 * the PostgreSQL server (store/postgres/) both implement, as the store uses it (issue 14). A
 * statement answers synchronously on both (ADR 0026), so the store and everything above it are
 * the same code whichever backend holds the vault. Parameters are `?` in order or `@name` from
 * one object, as better-sqlite3 takes them.
 */
export interface StoreStatement {
  run(...params: readonly unknown[]): { readonly changes: number };
  get(...params: readonly unknown[]): unknown;
  all(...params: readonly unknown[]): unknown[];
  /** One row at a time where the backend can; no other statement may run until it ends. */
  iterate(...params: readonly unknown[]): IterableIterator<unknown>;
  /** From now on, each row is its first column's value (the statement itself, changed). */
  pluck(toggle?: boolean): StoreStatement;
  /** From now on, each row is an array of its cells in column order (the statement itself). */
  raw(toggle?: boolean): StoreStatement;
}

/** Which SQL the connection speaks: the few fragments that differ live in store/dialect.ts. */
export type Dialect = 'sqlite' | 'postgres';

export interface StoreConnection {
  readonly dialect: Dialect;
  /** Where the vault is, fit to show: the file's path, or the server's URL without its password. */
  readonly location: string;
  prepare(sql: string): StoreStatement;
  /**
   * Run `change` in one write transaction: SQLite's IMMEDIATE (the file's write lock), or on the
   * server a transaction whose first statement locks the one log-head row (ADR 0014). Nested, a
   * savepoint of the outer one.
   */
  inWriteTransaction<T>(change: () => T): T;
  /** Run `read` in one read transaction: every statement in it sees one snapshot. */
  inReadTransaction<T>(read: () => T): T;
  /**
   * A number that changes whenever another connection commits (never for this connection's own
   * commits): SQLite's data_version, the server's count of commits by others.
   */
  dataVersion(): number;
  close(): void;
}

/**
 * Connection handles, branded by what their holder may do (Signal's ReadableDB / WritableDB).
 * Every store function that reads takes a `ReadableDb`; every one that writes takes a
 * `WritableDb`, and the only `WritableDb` there is is the one `auditedTransaction` (audit/log.ts)
 * hands to its change, inside the write transaction that also appends the change's audit
 * entries and signs their checkpoint. So a write outside it does not compile
 * (tests/unit/store/db-handles.test.ts). The brands exist only for the compiler.
 */
declare const readable: unique symbol;
declare const writable: unique symbol;
export type ReadableDb = StoreConnection & { readonly [readable]: true };
export type WritableDb = ReadableDb & { readonly [writable]: true };
/** What reads, and the store's own plumbing (statement cache, migrations), accept. */
export type Db = ReadableDb;

/** The vault file's connection: better-sqlite3's own statements, unwrapped. */
export class SqliteConnection implements StoreConnection {
  readonly dialect = 'sqlite';
  readonly file: SqliteDatabase;
  readonly location: string;

  constructor(file: SqliteDatabase, location: string = file.name) {
    this.file = file;
    this.location = location;
  }

  prepare(sql: string): StoreStatement {
    return this.file.prepare(sql);
  }

  inWriteTransaction<T>(change: () => T): T {
    return this.file.transaction(change).immediate();
  }

  inReadTransaction<T>(read: () => T): T {
    return this.file.transaction(read)();
  }

  dataVersion(): number {
    return this.file.pragma('data_version', { simple: true }) as number;
  }

  close(): void {
    this.file.close();
  }
}

/** A vault file's connection over a better-sqlite3 handle opened elsewhere (tests, benchmarks). */
export function sqliteConnection(file: SqliteDatabase): ReadableDb {
  return new SqliteConnection(file) as unknown as ReadableDb;
}

/**
 * The better-sqlite3 handle beneath a vault file's connection, for what only a file has (its
 * integrity check, backup, checkpointing the WAL); undefined for a server vault.
 */
export function sqliteFileOf(db: StoreConnection): SqliteDatabase | undefined {
  return db instanceof SqliteConnection ? db.file : undefined;
}
