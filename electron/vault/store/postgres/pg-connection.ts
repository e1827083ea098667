import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { ErrorCode } from '../../../../shared/errors.ts';
import { VaultError } from '../../errors.ts';
import type { StoreConnection, StoreStatement } from '../store-connection.ts';
import { redactServerUrl } from '../../../../shared/vault-location.ts';
import { CHANGES_CHANNEL } from './changes-channel.ts';

/**
 * The PostgreSQL store's connection (issue 14, ADR 0026): the same synchronous interface as the
 * vault file's, answered by node-postgres on a worker thread (pg-worker.mjs) while this thread
 * waits. Every wait is bounded: the connection, each statement and each wait for the log head
 * have timeouts on the server and on the client, so a server that goes away gives a clear error
 * within them, never a hang.
 */

/** How long each wait may last (ms). The defaults suit a team server on a local network. */
export interface ServerTimeouts {
  readonly connectMs: number;
  /** One statement, on the server (statement_timeout) and, a little later, on this side. */
  readonly statementMs: number;
  /** Waiting for the log head while another workstation writes (lock_timeout). */
  readonly lockMs: number;
  /** A transaction left open by a client that stopped (its log head lock is freed then). */
  readonly idleInTransactionMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  connectMs: 10_000,
  statementMs: 30_000,
  lockMs: 15_000,
  idleInTransactionMs: 30_000,
};

interface Failure {
  readonly code: string;
  readonly message: string;
}
type Answer<T> = { readonly ok: T } | { readonly failure: Failure };
interface QueryAnswer {
  readonly rows: unknown[];
  readonly changes: number;
}
/** A held statement as the worker takes it: its text, and its parameters if it has any. */
interface HeldRequest {
  readonly sql: string;
  readonly params?: unknown[] | undefined;
}
type Request =
  | { op: 'connect'; url: string; timeouts: ServerTimeouts }
  | {
      op: 'query';
      connection: number;
      sql: string;
      params: unknown[];
      rowMode?: 'array';
      held?: HeldRequest[];
      name?: string;
    }
  | { op: 'script'; connection: number; sql: string; held?: HeldRequest[] }
  | { op: 'batch'; connection: number; steps: BatchStep[]; held?: HeldRequest[] }
  | { op: 'reconnect'; connection: number }
  | { op: 'close'; connection: number };

/** One step of a batch (ADR 0035): a statement with its parameters, or a parameterless script. */
type BatchStep =
  { sql: string; params: unknown[]; rowMode?: 'array'; name?: string } | { script: string };
type StepAnswer =
  { readonly rows: unknown[]; readonly changes: number } | { readonly failure: Failure };

/**
 * A read asked for ahead (ADR 0035): sent with the next request of the same transaction, its
 * answer kept for the transaction's statement that asks it. `mode` 'array' for the store's
 * `raw`/`pluck` statements; `planned` as `query`'s.
 */
export interface Prefetch {
  readonly sql: string;
  readonly params?: readonly unknown[];
  readonly mode?: 'object' | 'array';
  readonly planned?: boolean;
}

/**
 * A read whose answer may be kept for the rest of its transaction (ADR 0035): a SELECT (or a
 * WITH that only reads) with nothing in it that answers differently each time it runs or that
 * locks or writes, and naming no table written outside the log head's turns (`failed_unlocks`,
 * which an unlock refused writes without it). Inside a read transaction every read sees one
 * snapshot anyway; inside a write, no other writer can commit before this one does (the log
 * head, ADR 0014), and what this write itself changes drops what it kept of that table.
 */
const READ_ONLY = /^\s*(SELECT|WITH)\b/i;
const NOT_KEPT =
  /\b(INSERT|UPDATE|DELETE|MERGE|FOR\s+(UPDATE|SHARE|NO\s+KEY|KEY)|nextval|setval|pg_notify|pg_terminate_backend|pg_xact_status|pg_current_xact_id|pg_backend_pid|pg_stat_activity|now|random|clock_timestamp|statement_timestamp|failed_unlocks)\b/i;
function keepable(sql: string): boolean {
  return READ_ONLY.test(sql) && !NOT_KEPT.test(sql);
}

/** The tables a statement writes (INSERT INTO, UPDATE, DELETE FROM), or null if it cannot say. */
const WRITES = /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([A-Za-z_][A-Za-z0-9_]*)/gi;
const CONTROL = /^\s*(BEGIN|SAVEPOINT|RELEASE|LOCK|SET|SHOW)\b/i;
function writtenBy(sql: string): string[] | null {
  const tables = [...sql.matchAll(WRITES)].map((match) => match[1]!.toLowerCase());
  if (tables.length > 0) return tables;
  if (READ_ONLY.test(sql) || CONTROL.test(sql) || sql.trim() === '') return [];
  return null;
}

/** A planned statement's name on the server: the same text, the same name. */
function plannedName(sql: string): string {
  return `custodian_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
}

function aheadKey(read: Prefetch): string | undefined {
  return keyOf(read.sql, read.params ?? [], read.mode === 'array');
}

function keyOf(sql: string, params: readonly unknown[], array: boolean): string | undefined {
  for (const value of params) {
    if (value !== null && typeof value !== 'string' && typeof value !== 'number') return undefined;
  }
  return `${array ? 'a' : 'o'}\u0000${sql}\u0000${JSON.stringify(params)}`;
}

const WORKER = new URL('./pg-worker.mjs', import.meta.url);

let worker: ((request: Request) => Answer<unknown>) | undefined;
/** Beyond every server-side and client-side timeout: only a wedged worker thread reaches it. */
const WORKER_GUARD_MS = 5 * 60_000;

/**
 * The round trips to the worker (and so to the server) this process has made, how long this
 * thread waited on them, and an optional listener told of each one's statement: what
 * tests/integration/postgres/round-trips.test.ts pins and `npm run bench -- shared` reports.
 */
export const roundTrips = {
  count: 0,
  waitedMs: 0,
  /** Reads answered from what their transaction kept, with no round trip (ADR 0035). */
  kept: 0,
  onEach: undefined as ((sql: string) => void) | undefined,
};

/**
 * synckit, required when this process first asks the server, not when the vault code loads: a
 * command on a vault file never does, and synckit's own imports (a module resolver, node:assert,
 * node:module) were part of every CLI start before (issue 17, tests/integration/cli-bundle.test.ts).
 * `ask` is synchronous, so this is a require, not an import(); it resolves synckit from
 * node_modules as the bundle does its native modules (scripts/build-cli.js).
 */
function loadSynckit(): typeof import('synckit') {
  return createRequire(import.meta.url)('synckit') as typeof import('synckit');
}

function ask<T>(request: Request): Answer<T> {
  roundTrips.count += 1;
  // A batch's statements are each told (one round trip, several statements: ADR 0035).
  if (request.op === 'batch') {
    for (const step of request.steps)
      roundTrips.onEach?.('script' in step ? step.script : step.sql);
  } else roundTrips.onEach?.('sql' in request ? request.sql : request.op);
  worker ??= loadSynckit().createSyncFn(WORKER.href, {
    timeout: WORKER_GUARD_MS,
    // Not the parent's flags: the worker is plain JavaScript and needs no TypeScript loader.
    execArgv: [],
  }) as (request: Request) => Answer<unknown>;
  const started = performance.now();
  const answer = worker(request) as Answer<T>;
  roundTrips.waitedMs += performance.now() - started;
  return answer;
}

/** A statement's text with `?` and `@name` numbered as the server takes them ($1, $2, ...). */
interface Translated {
  readonly text: string;
  /** The names of `@name` parameters by number, or null for `?` parameters. */
  readonly names: readonly string[] | null;
}

/** Number the parameters outside quoted text and identifiers, as better-sqlite3 reads them. */
export function translateParameters(sql: string): Translated {
  let text = '';
  let count = 0;
  const names: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      const end = closingQuote(sql, i, ch);
      text += sql.slice(i, end);
      i = end;
    } else if (ch === '?') {
      text += `$${++count}`;
      i += 1;
    } else if (ch === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))![0];
      let index = names.indexOf(name);
      if (index < 0) index = names.push(name) - 1;
      text += `$${index + 1}`;
      i += 1 + name.length;
    } else {
      text += ch;
      i += 1;
    }
  }
  if (count > 0 && names.length > 0) throw new Error('A statement mixes ? and @name parameters.');
  return { text, names: names.length > 0 ? names : null };
}

function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i += 1;
  }
  return i;
}

/** Bytes come back from the worker as Uint8Array views; the store reads them as Buffers. */
function asBuffers(value: unknown): unknown {
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return value;
}

function rowOf(row: unknown, mode: RowMode): unknown {
  if (mode === 'pluck') return asBuffers((row as unknown[])[0]);
  if (mode === 'raw') return (row as unknown[]).map(asBuffers);
  const record = row as Record<string, unknown>;
  for (const key of Object.keys(record)) record[key] = asBuffers(record[key]);
  return record;
}

type RowMode = 'object' | 'pluck' | 'raw';

class PostgresStatement implements StoreStatement {
  readonly #connection: PostgresConnection;
  readonly #sql: Translated;
  #mode: RowMode = 'object';

  constructor(connection: PostgresConnection, sql: string) {
    this.#connection = connection;
    this.#sql = translateParameters(sql);
  }

  run(...params: readonly unknown[]): { readonly changes: number } {
    return this.#connection.run(this.#sql.text, this.#values(params));
  }

  get(...params: readonly unknown[]): unknown {
    const [row] = this.#query(params).rows;
    return row === undefined ? undefined : rowOf(row, this.#mode);
  }

  all(...params: readonly unknown[]): unknown[] {
    return this.#query(params).rows.map((row) => rowOf(row, this.#mode));
  }

  /** The rows are read whole and handed out one by one (no server-side cursor yet). */
  iterate(...params: readonly unknown[]): IterableIterator<unknown> {
    return this.all(...params)[Symbol.iterator]();
  }

  pluck(toggle = true): StoreStatement {
    this.#mode = toggle ? 'pluck' : 'object';
    return this;
  }

  raw(toggle = true): StoreStatement {
    this.#mode = toggle ? 'raw' : 'object';
    return this;
  }

  #query(params: readonly unknown[]): QueryAnswer {
    return this.#connection.query(this.#sql.text, this.#values(params), this.#mode);
  }

  #values(params: readonly unknown[]): unknown[] {
    const names = this.#sql.names;
    if (!names) return params.map((value) => value ?? null);
    const named = (params[0] ?? {}) as Record<string, unknown>;
    return names.map((name) => {
      if (!(name in named)) throw new RangeError(`Missing named parameter "${name}"`);
      return named[name] ?? null;
    });
  }
}

/** SQLSTATE classes and socket codes that mean the server is gone or refused to talk. */
const UNREACHABLE =
  /^(08|57P0[1-3]|E(CONNREFUSED|CONNRESET|NOENT|HOSTUNREACH|NETUNREACH|TIMEDOUT|PIPE)|ENOTFOUND|EAI_AGAIN|CLOSED$)/;

/**
 * The server's failure as an error a person can act on: never the URL's password (the location
 * is the redacted URL), never a statement's parameters. What is not a known condition stays a
 * plain error carrying the SQLSTATE, which the router reports as internal, as for SQLite.
 */
export function serverError(failure: Failure, location: string, timeouts: ServerTimeouts): Error {
  const { code, message } = failure;
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  if (
    UNREACHABLE.test(code) ||
    /timeout expired|Connection terminated|Query read timeout|connection is closed/i.test(message)
  ) {
    return new VaultError(
      ErrorCode.STORAGE,
      `The vault server ${location} cannot be reached (${reasonOf(failure)}); nothing was changed. Check that the server is running and that the URL names it, then try again.`,
    );
  }
  if (code === '28P01' || code === '28000') {
    return new VaultError(
      ErrorCode.INVALID_INPUT,
      `The server ${location} refused the database login; nothing was changed. Check the user and its password (in the URL, PGPASSWORD or ~/.pgpass).`,
    );
  }
  if (code === '3D000') {
    return new VaultError(
      ErrorCode.NOT_FOUND,
      `The server has no database named in ${location}; nothing was changed. Check the URL, or ask the database administrator to create the database.`,
    );
  }
  if (code === '57014') {
    return new VaultError(
      ErrorCode.STORAGE,
      `The vault server ${location} did not answer within ${seconds(timeouts.statementMs)}; nothing was changed. Try again, or ask the database administrator to look at the server.`,
    );
  }
  if (code === '55P03' || code === '40001' || code === '40P01') {
    return new VaultError(
      ErrorCode.IN_USE,
      `Another workstation has been writing to the vault for more than ${seconds(timeouts.lockMs)}; nothing was changed. Try again in a moment.`,
    );
  }
  if (code === '42501') {
    return new VaultError(
      ErrorCode.STORAGE,
      `The database user may not do what the vault needs at ${location}; nothing was changed. Check its grants (docs/adr/0026).`,
    );
  }
  if (code === '53100') {
    return new VaultError(
      ErrorCode.STORAGE,
      `The vault server ${location} has no room to save (its disk is full); nothing was saved. Ask the database administrator to free space.`,
    );
  }
  // Not shown to anyone (the router reports an internal error); the server's words say what broke.
  return Object.assign(new Error(`PostgreSQL error ${code || 'without a code'}: ${message}`), {
    code: `PG_${code}`,
  });
}

/** A short reason for "cannot be reached": the socket's error code, or the client's words. */
function reasonOf(failure: Failure): string {
  if (/^E[A-Z]+$/.test(failure.code)) return failure.code;
  if (/timeout/i.test(failure.message)) return 'no answer in time';
  if (/terminat|closed/i.test(failure.message)) return 'the connection was closed';
  return failure.code ? `SQLSTATE ${failure.code}` : 'no connection';
}

/**
 * The head stamp's parts: the commit count, the latest checkpoint's size and, as `root`, a hash
 * of its root, state, signer and signature (LATEST_SIGNED).
 */
interface StampRow {
  readonly commits: number;
  readonly size: number | null;
  readonly root: string | null;
}

function stampOf(row: StampRow): string {
  return `${row.commits}:${row.size ?? ''}:${row.root ?? ''}`;
}

/** The connection was lost (not a refusal by the server): the outcome of a COMMIT is unknown. */
function isConnectionLoss(failure: Failure): boolean {
  return (
    UNREACHABLE.test(failure.code) ||
    /Connection terminated|connection is closed|Query read timeout/i.test(failure.message)
  );
}

/** Wait on this thread (it waits on the worker anyway): between attempts to reach the server. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The latest checkpoint as the stamp sees it: its size, and a hash of everything its signature
 * covers or names (root, state commitment, signer, signature). Not only the size and root: a
 * member can sign a new state at the same size and root (checkpointBody signs the state, not the
 * checkpoint before it), re-sign the latest checkpoint in place and put the commit count back,
 * and a stamp of size and root alone would not move, so an open console would run neither the
 * head check nor the dashboard summary's check (tests/attacks/false-dashboard-summary-re-signed-
 * in-place-while-a-console-is-open). Fixed-length fields first, the signer's id last.
 */
const LATEST_SIGNED = `(SELECT size FROM audit_checkpoints ORDER BY size DESC LIMIT 1) AS size,
  (SELECT encode(sha256(root || coalesce(state, ''::bytea) || signature || convert_to(signer_id, 'UTF8')), 'hex')
    FROM audit_checkpoints ORDER BY size DESC LIMIT 1) AS root`;

/** The one row every write transaction locks first (ADR 0014), so the trail stays linear. */
const LOCK_LOG_HEAD = 'SELECT commits FROM log_head WHERE singleton = 1 FOR UPDATE';
const LOCK_STATE_DIGESTS = 'LOCK TABLE state_digests IN EXCLUSIVE MODE';
/**
 * Counts the commit, answers the transaction's id and the head it leaves (the stamp below) in one
 * round trip (the id is what is asked after a COMMIT whose answer was lost, ADR 0031), and tells
 * listening workstations (ADR 0033): the notification is sent by the server when, and only if,
 * the transaction commits. It carries the vault's id and the new commit count, nothing else (no
 * name, nothing sealed); anyone who can connect can send one too, so a listener takes it only as
 * a hint to look again (live/change-signals.ts).
 */
const COUNT_COMMIT = `WITH counted AS (
    UPDATE log_head SET commits = commits + 1 WHERE singleton = 1
    RETURNING pg_current_xact_id()::text AS xid, commits,
    ${LATEST_SIGNED}
  )
  SELECT xid, commits, size, root, pg_notify('${CHANGES_CHANNEL}', json_build_object(
    'vault', (SELECT vault_id FROM vault_header WHERE singleton = 1),
    'head', commits
  )::text) AS notified FROM counted`;
/**
 * What says another connection has written: the commit count and the signed head (the latest
 * checkpoint's size, and its root, state, signer and signature, LATEST_SIGNED). The count alone is a plain column the server's operator can leave
 * as it was while editing rows (review finding): the head cannot be moved without a signature, so
 * a head that changed under a standing count is still seen, and the session checks it again
 * against what this workstation kept. Rows edited under both are caught by the state check the
 * session runs on every catch-up on a server (ADR 0031), never by this number.
 */
const HEAD_STAMP = `SELECT commits,
  ${LATEST_SIGNED}
  FROM log_head WHERE singleton = 1`;

/** A statement held back to go with the next request (ADR 0034); `settle` takes its count. */
interface HeldStatement {
  readonly sql: string;
  readonly params?: unknown[];
  readonly settle?: (changes: number) => void;
}

/** At most this many held writes before they are sent: a bulk write is sent in batches. */
const MAX_HELD = 200;

/** The server process that served a lost connection: its pid and start (µs since 1970). */
interface LostBackend {
  readonly pid: number;
  readonly startedUs: number;
}

/**
 * Ends the server process that served a lost connection, if it is still that process and still
 * runs the transaction whose COMMIT was lost; any other process (the pid reused) is left alone.
 */
export const TERMINATE_LOST_BACKEND = `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
  WHERE pid = $1 AND (extract(epoch FROM backend_start) * 1000000)::bigint = $2
    AND backend_xid = $3::xid8::xid`;

export class PostgresConnection implements StoreConnection {
  readonly dialect = 'postgres';
  readonly location: string;
  readonly timeouts: ServerTimeouts;
  readonly #id: number;
  #closed = false;
  /** 0 outside a transaction; inside, how deep (1, then one more per savepoint). */
  #depth = 0;
  #writing = false;
  /** The head stamp last seen, and how many times it has moved other than by this connection. */
  #seenStamp: string | undefined;
  #othersMoves = 0;

  private constructor(id: number, location: string, timeouts: ServerTimeouts) {
    this.#id = id;
    this.location = location;
    this.timeouts = timeouts;
  }

  /** Connect to the server the URL names (its credentials from the URL, PGPASSWORD or ~/.pgpass). */
  static connect(url: string, timeouts: ServerTimeouts = DEFAULT_TIMEOUTS): PostgresConnection {
    const location = redactServerUrl(url);
    const answer = ask<{ connection: number }>({ op: 'connect', url, timeouts });
    if ('failure' in answer) throw serverError(answer.failure, location, timeouts);
    return new PostgresConnection(answer.ok.connection, location, timeouts);
  }

  prepare(sql: string): StoreStatement {
    return new PostgresStatement(this, sql);
  }

  /**
   * Statements held back until the next request, which carries them in its own round trip to the
   * worker (ADR 0034): a transaction's BEGIN, a SAVEPOINT and its RELEASE, and a write's
   * statements whose count of changed rows nobody has asked for yet. The server runs them in
   * order before the request's own statement and stops at the first that fails, so the write
   * fails there as it would have, one statement later on this side; a transaction that ends
   * before any statement was sent sends neither its BEGIN nor its end.
   */
  #held: HeldStatement[] = [];

  /**
   * What this transaction has read and may keep (ADR 0035), by statement, parameters and row
   * mode: each answer as the server gave it (a failure too: a prefetched statement the server
   * refused is refused again when its code runs it). Dropped when the transaction ends, when a
   * savepoint inside it rolls back, on a script (a migration's text), and, table by table, when
   * this transaction writes the table. Only while `#keeping`: a read or write transaction's.
   */
  #kept = new Map<string, StepAnswer>();
  #keeping = false;
  /** Reads asked for ahead, sent with the next request (ADR 0035). */
  #ahead: Prefetch[] = [];
  /** Tables this connection has written since `takeWrittenTables` last asked. */
  #written = new Set<string>();

  /** Forget every read this transaction kept, and every read asked for ahead. */
  #forgetKept(): void {
    this.#kept.clear();
    this.#ahead = [];
  }

  /** A statement that writes: drop what was kept of the tables it writes (all, if it cannot say). */
  #wrote(sql: string): void {
    const tables = writtenBy(sql);
    if (tables === null) {
      this.#kept.clear();
      return;
    }
    for (const table of tables) {
      this.#written.add(table);
      const named = new RegExp(`\\b${table}\\b`, 'i');
      for (const key of this.#kept.keys()) if (named.test(key)) this.#kept.delete(key);
    }
    // Reads asked for ahead stay: they are sent after every statement held or sent before them,
    // so they answer as of after this write (what `tracked` asks them for).
  }

  /** The tables written by this connection since this was last asked (ADR 0035). */
  takeWrittenTables(): ReadonlySet<string> {
    const written = this.#written;
    this.#written = new Set();
    return written;
  }

  /**
   * Ask for reads ahead, inside a transaction (ADR 0035): they go with this transaction's next
   * request, in one round trip, and their answers are kept for the statements that ask them.
   * Outside a transaction, or for a read not `keepable`, nothing is done.
   */
  prefetch(
    reads: readonly Prefetch[],
    { afterWrites = false }: { afterWrites?: boolean } = {},
  ): void {
    if (!this.#keeping) return;
    for (const asked of reads) {
      const { text, names } = translateParameters(asked.sql);
      if (names !== null || !keepable(text)) continue;
      const read = { ...asked, sql: text };
      const key = keyOf(read.sql, read.params ?? [], read.mode === 'array');
      // Kept already: asked again only to answer after the writes to come (`afterWrites`).
      if (key === undefined || (!afterWrites && this.#kept.has(key))) continue;
      if (this.#ahead.some((other) => aheadKey(other) === key)) continue;
      this.#ahead.push(read);
    }
  }

  /** A kept answer as a fresh copy (the store's callers may change the rows they are given). */
  #fromKept(kept: StepAnswer): QueryAnswer {
    if ('failure' in kept) throw serverError(kept.failure, this.location, this.timeouts);
    return { rows: structuredClone(kept.rows), changes: kept.changes };
  }

  #stepOf(read: Prefetch): BatchStep {
    return {
      sql: read.sql,
      params: [...(read.params ?? [])],
      ...(read.mode === 'array' ? { rowMode: 'array' as const } : {}),
      ...(read.planned ? { name: plannedName(read.sql) } : {}),
    };
  }

  /**
   * Send `own` with what is held and the reads asked for ahead, in one round trip; keep the
   * answers of those reads. Answers `own`'s.
   */
  #batch(
    own: BatchStep,
    held: HeldStatement[] | undefined,
  ): StepAnswer & { heldChanges?: number[] | undefined } {
    const ahead = this.#ahead;
    this.#ahead = [];
    const answer = ask<{ results: StepAnswer[]; heldChanges?: number[] }>({
      op: 'batch',
      connection: this.#id,
      steps: [own, ...ahead.map((read) => this.#stepOf(read))],
      ...(held ? { held: held.map(({ sql, params }) => ({ sql, params })) } : {}),
    });
    if ('failure' in answer) return answer;
    const [first, ...rest] = answer.ok.results;
    rest.forEach((result, i) => {
      const read = ahead[i]!;
      const key = keyOf(read.sql, read.params ?? [], read.mode === 'array');
      if (key !== undefined) this.#kept.set(key, result);
    });
    return { ...first!, heldChanges: answer.ok.heldChanges };
  }

  #takeHeld(): HeldStatement[] | undefined {
    if (this.#held.length === 0) return undefined;
    const held = this.#held;
    this.#held = [];
    return held;
  }

  /** Each held statement's count of changed rows, now that the server has run them. */
  #settle(
    held: readonly HeldStatement[] | undefined,
    changes: readonly number[] | undefined,
  ): void {
    held?.forEach((statement, i) => statement.settle?.(changes?.[i] ?? 0));
  }

  /**
   * Run one statement (the store's statements come through `prepare`). `planned`: as a named
   * statement, parsed and planned by the server once per session (ADR 0034). Only for statements
   * whose result columns no migration or ALTER can change (the server refuses to run a plan whose
   * result type changed), such as the state check's fingerprints.
   */
  query(
    sql: string,
    params: unknown[],
    mode: RowMode = 'object',
    { planned = false }: { planned?: boolean } = {},
  ): QueryAnswer {
    this.#assertOpen();
    const array = mode !== 'object';
    const key = this.#keeping && keepable(sql) ? keyOf(sql, params, array) : undefined;
    if (key !== undefined) {
      const kept = this.#kept.get(key);
      if (kept) {
        roundTrips.kept += 1;
        return this.#fromKept(kept);
      }
    } else this.#wrote(sql);
    const held = this.#takeHeld();
    // Asked for ahead too: it is this statement, answered now.
    if (key !== undefined) this.#ahead = this.#ahead.filter((read) => aheadKey(read) !== key);
    if (this.#ahead.length > 0) {
      const answer = this.#batch(
        {
          sql,
          params,
          ...(array ? { rowMode: 'array' as const } : {}),
          ...(planned ? { name: plannedName(sql) } : {}),
        },
        held,
      );
      if ('failure' in answer) throw serverError(answer.failure, this.location, this.timeouts);
      this.#settle(held, answer.heldChanges);
      if (key !== undefined)
        this.#kept.set(key, { rows: structuredClone(answer.rows), changes: answer.changes });
      return { rows: answer.rows, changes: answer.changes };
    }
    const answer = ask<QueryAnswer & { heldChanges?: number[] }>({
      op: 'query',
      connection: this.#id,
      sql,
      params,
      ...(array ? { rowMode: 'array' } : {}),
      ...(planned ? { name: plannedName(sql) } : {}),
      ...(held ? { held: held.map(({ sql, params }) => ({ sql, params })) } : {}),
    });
    if ('failure' in answer) throw serverError(answer.failure, this.location, this.timeouts);
    this.#settle(held, answer.ok.heldChanges);
    if (key !== undefined) {
      this.#kept.set(key, { rows: structuredClone(answer.ok.rows), changes: answer.ok.changes });
    }
    return answer.ok;
  }

  /**
   * A write's statement inside a write transaction, held back and sent with the next request
   * (ADR 0034); its count of changed rows, when asked for, sends it at once. Outside a write, at
   * once.
   */
  run(sql: string, params: unknown[]): { readonly changes: number } {
    if (this.#depth === 0 || !this.#writing) return { changes: this.query(sql, params).changes };
    this.#wrote(sql);
    let changes: number | undefined;
    this.#held.push({ sql, params, settle: (count) => (changes = count) });
    // A bulk write (an import, a copy) is sent in batches, not held whole in memory.
    if (this.#held.length >= MAX_HELD) this.#flush();
    const flush = () => this.#flush();
    return {
      get changes(): number {
        if (changes === undefined) flush();
        if (changes === undefined) throw new Error('A held statement was not run.');
        return changes;
      },
    };
  }

  /** Send what is held now (an empty script: the server runs the held statements alone). */
  #flush(): void {
    if (this.#held.length === 0) return;
    if (this.#ahead.length === 0) {
      this.script('');
      return;
    }
    // The reads asked for ahead go with the held writes, after them (ADR 0035).
    const held = this.#takeHeld();
    const answer = this.#batch({ script: '' }, held);
    if ('failure' in answer) throw serverError(answer.failure, this.location, this.timeouts);
    this.#settle(held, answer.heldChanges);
  }

  /**
   * Several statements without parameters in one round trip, on to the server too (its simple
   * query protocol, which stops at the first that fails): a migration's text, a write's first
   * statements. Answers the rows of each statement that returned rows, in order.
   */
  script(sql: string): unknown[][] {
    this.#assertOpen();
    // A migration's text, a rollback to a savepoint: nothing kept stands after it.
    if (!/^\s*(RELEASE SAVEPOINT \w+)?\s*$/.test(sql)) this.#kept.clear();
    const held = this.#takeHeld();
    const answer = ask<{ rows: unknown[][]; heldChanges?: number[] }>({
      op: 'script',
      connection: this.#id,
      sql,
      ...(held ? { held: held.map(({ sql, params }) => ({ sql, params })) } : {}),
    });
    if ('failure' in answer) throw serverError(answer.failure, this.location, this.timeouts);
    this.#settle(held, answer.ok.heldChanges);
    return answer.ok.rows;
  }

  /**
   * A write transaction: READ COMMITTED, and its first statement locks the log head, so writers
   * from every workstation take turns and each statement after the lock sees every commit before
   * it (the trail's right edge included). It counts itself on the head as it commits.
   */
  inWriteTransaction<T>(change: () => T): T {
    if (this.#depth > 0) {
      if (!this.#writing) throw new Error('A write inside a read transaction.');
      return this.#savepoint(change);
    }
    const locks = this.#writeLocks();
    this.#depth = 1;
    this.#writing = true;
    this.#keeping = true;
    this.#forgetKept();
    try {
      // The write's first statements, in one round trip (ADR 0034), in this order, stopping at the
      // first that fails: BEGIN; the log head's lock, which every writer takes first; the stored
      // digests' lock: they are what this write's checkpoint signs (audit/log.ts), so nobody may
      // move them between this write's state check and its COMMIT, or the operator's digest
      // update, committed mid-write beside an edited row, would be signed by this member (review
      // finding, ADR 0031; readers are not held up, EXCLUSIVE lets SELECT through); and the head
      // stamp, so a move of the head by another connection before this write is counted now and
      // this write's own move of it (read just before COMMIT, below) cannot hide it. With the
      // digests' lock, the state tables' (`#writeLocks`): no one else inserts, changes or deletes a
      // row of them until this write commits, so what its reads after its changes find is its own
      // doing, never an operator's row signed into the state.
      // The reads every write makes first go with them (ADR 0035), after the locks.
      const begin = [
        'BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE',
        LOCK_LOG_HEAD,
        ...locks,
        HEAD_STAMP,
      ].join('; ');
      this.prefetch(this.#warm?.() ?? []);
      const [locked, stamp] = this.#ahead.length > 0 ? this.#begin(begin) : this.script(begin);
      // The head as the locks left it: no other writer can move it before this one commits.
      if (stamp)
        this.#kept.set(keyOf(HEAD_STAMP, [], false)!, { rows: stamp, changes: stamp.length });
      if (locked?.length !== 1) {
        throw new VaultError(
          ErrorCode.INTEGRITY,
          "The vault's log head row is missing on the server; nothing was changed. Restore the database from a backup.",
        );
      }
      this.#noteStamp(stamp?.[0] as StampRow | undefined);
      const result = change();
      const counted = this.query(COUNT_COMMIT, []).rows[0] as StampRow & { xid: string };
      this.#commitWrite(counted.xid);
      this.#seenStamp = stampOf(counted);
      return result;
    } catch (error) {
      if (this.#depth > 0) this.#end('ROLLBACK');
      throw error;
    }
  }

  /** A write's first statements as a script, with the reads asked for ahead, in one round trip. */
  #begin(sql: string): unknown[][] {
    const held = this.#takeHeld();
    const answer = this.#batch({ script: sql }, held);
    if ('failure' in answer) throw serverError(answer.failure, this.location, this.timeouts);
    this.#settle(held, answer.heldChanges);
    return answer.rows as unknown[][];
  }

  /**
   * Reads every write on this connection makes at its start (ADR 0035), asked for with its BEGIN:
   * the state check's (the header, the chain's last statement, the latest checkpoint, the stored
   * digests, the fingerprints) and the trail's right edge. Set by the session that checks the
   * state; evaluated at each write, so it names what that write will read.
   */
  #warm: (() => readonly Prefetch[]) | undefined;
  warmEachWrite(reads: () => readonly Prefetch[]): void {
    this.#warm = reads;
  }

  /**
   * The tables whose rows a write's checkpoint commits to (the store's state tables), named by
   * the store when it opens the vault (open-vault.ts): each write locks them after the log head.
   */
  #stateTables: readonly string[] = [];
  lockEachWrite(tables: readonly string[]): void {
    this.#stateTables = tables;
    this.#locks = undefined;
  }

  /**
   * A write's locks after the log head's: the stored digests in EXCLUSIVE mode (ADR 0031), and
   * every state table there is in SHARE ROW EXCLUSIVE mode, which lets readers through and holds
   * off every insert, update and delete by anyone else until this write commits (ADR 0039). An
   * operator's row inserted under a write had been read by the write's `tracked` read after its
   * change, and signed (tests/attacks/server-operator-inserts-a-row-under-a-write-held-up-by-its-
   * own-lock). Other writers lose nothing: they wait for the log head first anyway. Kept once
   * every table exists (only a migration adds one); asked again at each write before that.
   */
  #locks: readonly string[] | undefined;
  #writeLocks(): readonly string[] {
    if (this.#locks) return this.#locks;
    const row = this.query(
      `SELECT to_regclass('state_digests') IS NOT NULL AS digests,
         ARRAY(SELECT t FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n)
               WHERE to_regclass(t) IS NOT NULL ORDER BY n) AS tables`,
      [[...this.#stateTables]],
    ).rows[0] as { digests: boolean; tables: string[] };
    const locks = [
      ...(row.digests ? [LOCK_STATE_DIGESTS] : []),
      ...(row.tables.length > 0
        ? [
            `LOCK TABLE ${row.tables.map((table) => `"${table}"`).join(', ')} IN SHARE ROW EXCLUSIVE MODE`,
          ]
        : []),
    ];
    if (row.digests && row.tables.length === this.#stateTables.length) this.#locks = locks;
    return locks;
  }

  /** A read transaction: one snapshot for all its statements (REPEATABLE READ READ ONLY). */
  inReadTransaction<T>(read: () => T): T {
    if (this.#depth > 0) return read();
    // Sent with the transaction's first statement (the snapshot is taken then anyway).
    this.#held.push({ sql: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' });
    this.#depth = 1;
    this.#writing = false;
    this.#keeping = true;
    this.#forgetKept();
    try {
      const result = read();
      this.#end('COMMIT');
      return result;
    } catch (error) {
      if (this.#depth > 0) this.#end('ROLLBACK');
      throw error;
    }
  }

  /** A transaction for the schema alone (a migration, the schema check): no log head yet. */
  inSchemaTransaction<T>(work: () => T, options: { rollback?: boolean } = {}): T {
    if (this.#depth > 0) throw new Error('A schema change inside a transaction.');
    this.script('BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE');
    this.#depth = 1;
    this.#writing = true;
    try {
      const result = work();
      this.#end(options.rollback ? 'ROLLBACK' : 'COMMIT');
      return result;
    } catch (error) {
      if (this.#depth > 0) this.#end('ROLLBACK');
      throw error;
    }
  }

  /** Moves when another connection commits (never for this one's own), as SQLite's data_version. */
  dataVersion(): number {
    this.#noteStamp(this.query(HEAD_STAMP, []).rows[0] as StampRow | undefined);
    return this.#othersMoves;
  }

  /** The head as just read: a stamp other than the one last seen is another connection's move. */
  #noteStamp(row: StampRow | undefined): void {
    const stamp = row ? stampOf(row) : 'no log head';
    if (stamp !== this.#seenStamp) {
      if (this.#seenStamp !== undefined) this.#othersMoves += 1;
      this.#seenStamp = stamp;
    }
  }

  /**
   * COMMIT a write. If the connection is lost on the way (the answer never comes), the write may
   * or may not have been saved: the server is asked on a new connection what became of the
   * transaction (`pg_xact_status` of the id it had before COMMIT), so the person is told
   * "saved" or "not saved", never "unknown" (ADR 0031). Saved, the write returns as any other,
   * on the new connection; not saved, the error says so and the session undoes its side.
   */
  #commitWrite(xid: string): void {
    this.#depth = 0;
    this.#writing = false;
    this.#keeping = false;
    this.#forgetKept();
    this.#held = [];
    const answer = ask<QueryAnswer>({ op: 'script', connection: this.#id, sql: 'COMMIT' });
    if (!('failure' in answer)) return;
    if (!isConnectionLoss(answer.failure)) {
      throw serverError(answer.failure, this.location, this.timeouts);
    }
    if (this.#askWhatBecameOf(xid) === 'committed') return;
    throw new VaultError(
      ErrorCode.STORAGE,
      `The connection to the vault server ${this.location} was lost while saving, and the server confirms the change was not saved: nothing was changed. Try again.`,
    );
  }

  /** Reconnect (within the connection timeout) and ask the server how the transaction ended. */
  #askWhatBecameOf(xid: string): 'committed' | 'aborted' {
    const deadline = Date.now() + this.timeouts.connectMs;
    let lingering: LostBackend | undefined;
    for (;;) {
      const reconnected = ask<{ previousBackend: LostBackend }>({
        op: 'reconnect',
        connection: this.#id,
      });
      if ('failure' in reconnected) {
        if (Date.now() < deadline) {
          pause(250);
          continue;
        }
        throw new VaultError(
          ErrorCode.STORAGE,
          `The connection to the vault server ${this.location} was lost while saving, and the server cannot be reached to ask whether the change was saved. Once it is back, open the vault again: the audit trail shows whether it was (\`custodian audit log\`); nothing else was changed.`,
        );
      }
      lingering ??= reconnected.ok.previousBackend;
      for (;;) {
        const { rows } = this.query('SELECT pg_xact_status($1::xid8) AS status', [xid]);
        const status = (rows[0] as { status: string | null }).status;
        if (status === 'committed' || status === 'aborted') return status;
        if (status !== 'in progress' || Date.now() >= deadline) {
          throw new VaultError(
            ErrorCode.STORAGE,
            `The connection to the vault server ${this.location} was lost while saving, and the server no longer knows whether the change was saved. Open the vault again: the audit trail shows whether it was (\`custodian audit log\`).`,
          );
        }
        // The server process that held the transaction has not yet noticed its client is gone:
        // it is this connection's own, so it is ended, and its transaction rolls back. Only that
        // process: its pid, its start and the transaction it still runs must all be the lost
        // connection's, since once it has gone the server may give its pid to another session.
        this.query(TERMINATE_LOST_BACKEND, [lingering.pid, lingering.startedUs, xid]);
        pause(100);
      }
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    ask({ op: 'close', connection: this.#id });
  }

  /**
   * A write inside a write. The SAVEPOINT goes with the next statement, and so does its RELEASE
   * when nothing inside it is still held (the outer write always sends one more: its commit
   * count); writes held inside it are sent with the RELEASE, so a failure among them fails this
   * savepoint, as it would have. One that ran no statement sends neither.
   */
  #savepoint<T>(change: () => T): T {
    const name = `custodian_${this.#depth}`;
    const savepoint: HeldStatement = { sql: `SAVEPOINT ${name}` };
    this.#held.push(savepoint);
    this.#depth += 1;
    try {
      const result = change();
      if (this.#held.at(-1) === savepoint) this.#held.pop();
      else if (this.#held.length === 0) this.#held.push({ sql: `RELEASE SAVEPOINT ${name}` });
      else this.script(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      // What was read inside it may have been its own changes, now undone.
      this.#forgetKept();
      const unsent = this.#held.indexOf(savepoint);
      // Not sent yet: it goes, with everything held after it (all of it inside it).
      if (unsent >= 0) this.#held.length = unsent;
      else {
        // Sent: whatever is still held was inside it.
        this.#held = [];
        try {
          this.script(`ROLLBACK TO SAVEPOINT ${name}`);
        } catch {
          // The outer transaction's own rollback undoes it all.
        }
      }
      throw error;
    } finally {
      // Once, whichever way it ended: a RELEASE that failed (a held statement inside it, sent
      // with the RELEASE, refused) used to be counted off here and again in the catch, so the
      // outer write saw no transaction open and never rolled back, and the server kept the
      // transaction, with the log head's and the digests' locks, for the next write to commit.
      this.#depth -= 1;
    }
  }

  /**
   * End the transaction; a failed ROLLBACK (the server gone) leaves nothing to undo here. One
   * whose BEGIN was never sent (no statement ran) has nothing to end on the server.
   */
  #end(how: 'COMMIT' | 'ROLLBACK'): void {
    this.#depth = 0;
    this.#writing = false;
    this.#keeping = false;
    this.#forgetKept();
    if (this.#held[0]?.sql.startsWith('BEGIN')) {
      this.#held = [];
      return;
    }
    if (how === 'COMMIT') {
      this.script('COMMIT');
      return;
    }
    this.#held = [];
    try {
      this.script('ROLLBACK');
    } catch {
      // The server rolls back a transaction whose connection it lost.
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('The vault connection is closed.');
  }
}
