// The PostgreSQL store's worker thread (ADR 0026): node-postgres is asynchronous, the store is
// not, so the main thread hands each request here and blocks on the answer (synckit: a shared
// buffer and Atomics.wait). One worker per process holds every server connection of that process,
// by number. It holds no key and opens nothing: it moves clear columns and sealed bytes.
// Plain JavaScript, so a worker runs it without a TypeScript loader.
import { runAsWorker } from 'synckit';
import pg from 'pg';

/** int8 (COUNT, MAX, every INTEGER column) as a number, as SQLite gives it; never rounded. */
function parseInt8(text) {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new Error(`the server returned an integer beyond 2^53 (${text.length} digits)`);
  }
  return value;
}

const INT8 = 20;
const types = {
  getTypeParser(oid, format) {
    if (oid === INT8 && format !== 'binary') return parseInt8;
    return pg.types.getTypeParser(oid, format);
  },
};

/** @type {Map<number, { client: pg.Client, broken: Error | null, url: string, timeouts: object, backend: { pid: number, startedUs: number } }>} */
const connections = new Map();
let nextConnection = 1;

/** What the main thread is told of a failure: the SQLSTATE or socket code and the server's words. */
function failure(error) {
  return {
    failure: {
      code: typeof error?.code === 'string' ? error.code : '',
      message: error instanceof Error ? error.message : String(error),
    },
  };
}

/** Structured cloning makes a Buffer a plain Uint8Array: node-postgres sends bytea from a Buffer. */
function asParameter(value) {
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return value;
}

function newClient(url, timeouts) {
  return new pg.Client({
    connectionString: url,
    types,
    application_name: 'custodian',
    connectionTimeoutMillis: timeouts.connectMs,
    // Client side: a server that stops answering (gone, or the network with it) fails the query.
    query_timeout: timeouts.statementMs,
    // Server side: a statement, a wait for the log head, an abandoned transaction.
    statement_timeout: timeouts.statementMs,
    lock_timeout: timeouts.lockMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    keepAlive: true,
  });
}

/**
 * Connect, and learn the server process serving this connection (to end it if it lingers): its
 * pid and when it started (microseconds since 1970), which together name that one process, since
 * the server can give a pid to another process once this one has gone.
 */
async function open(url, timeouts) {
  const client = newClient(url, timeouts);
  const entry = { client, broken: null, url, timeouts, backend: { pid: 0, startedUs: 0 } };
  // A connection the server drops is reported on the next request, never as an uncaught error.
  client.on('error', (error) => {
    entry.broken = error;
  });
  await client.connect();
  const { rows } = await client.query(
    `SELECT current_setting($1) AS version, pid,
       (extract(epoch FROM backend_start) * 1000000)::bigint AS started_us
     FROM pg_stat_activity WHERE pid = pg_backend_pid()`,
    ['server_version_num'],
  );
  entry.backend = { pid: rows[0].pid, startedUs: rows[0].started_us };
  return { entry, serverVersion: Number(rows[0].version) };
}

async function connect({ url, timeouts }) {
  const { entry, serverVersion } = await open(url, timeouts);
  const id = nextConnection++;
  connections.set(id, entry);
  return { connection: id, serverVersion };
}

/**
 * A new connection in place of a lost one, under the same number (the URL stays here, in the
 * worker): to ask the server what became of a COMMIT whose answer never came. Answers the server
 * process that served the lost one (its pid and start), which may still hold its transaction.
 */
async function reconnect({ connection }) {
  const old = connections.get(connection);
  if (!old) throw Object.assign(new Error('the connection is closed'), { code: 'CLOSED' });
  const { entry } = await open(old.url, old.timeouts);
  connections.set(connection, entry);
  old.client.end().catch(() => undefined);
  return { previousBackend: old.backend };
}

/**
 * The statements the main thread held back (ADR 0034), in order, before the request's own: a
 * transaction's BEGIN, a SAVEPOINT, writes whose answer nobody has asked for yet. Stops at the
 * first that fails, which fails the request: nothing after it is run. Answers each one's count of
 * rows changed.
 */
async function runHeld(entry, held = []) {
  const changes = [];
  for (const step of held) {
    const result = step.params
      ? await entry.client.query({ text: step.sql, values: step.params.map(asParameter) })
      : await entry.client.query(step.sql);
    changes.push(Array.isArray(result) ? 0 : (result.rowCount ?? 0));
  }
  return changes;
}

function entryOf(connection) {
  const entry = connections.get(connection);
  if (!entry) throw Object.assign(new Error('the connection is closed'), { code: 'CLOSED' });
  if (entry.broken) throw entry.broken;
  return entry;
}

/** A query that timed out on this side leaves the connection mid-conversation: never used again. */
function markIfTimedOut(entry, error) {
  if (/timeout/i.test(String(error?.message)) && !error?.code) entry.broken = error;
}

/** One statement with parameters, after the held ones, all in one round trip from the main thread. */
async function query({ connection, sql, params, rowMode, held, name }) {
  const entry = entryOf(connection);
  try {
    const heldChanges = await runHeld(entry, held);
    const result = await entry.client.query({
      text: sql,
      values: params.map(asParameter),
      ...(rowMode === 'array' ? { rowMode: 'array' } : {}),
      // A named statement is parsed and planned once per server session (node-postgres prepares
      // it on first use on each connection, a new one after a reconnect included).
      ...(name ? { name } : {}),
    });
    return { rows: result.rows, changes: result.rowCount ?? 0, heldChanges };
  } catch (error) {
    // The main thread reports the failure and the session ends.
    markIfTimedOut(entry, error);
    throw error;
  }
}

/**
 * Several statements with no parameters in one round trip, to the server too (its simple query
 * protocol runs them in order and stops at the first that fails), after the held ones: BEGIN,
 * COMMIT, a migration's text, a write's first statements. Answers the rows of each of its
 * statements that returns any, in order.
 */
async function script({ connection, sql, held }) {
  const entry = entryOf(connection);
  try {
    const heldChanges = await runHeld(entry, held);
    const answer = await entry.client.query(sql);
    const results = Array.isArray(answer) ? answer : [answer];
    return {
      changes: 0,
      rows: results.filter((result) => result.command === 'SELECT').map((result) => result.rows),
      heldChanges,
    };
  } catch (error) {
    markIfTimedOut(entry, error);
    throw error;
  }
}

/**
 * Several statements in one round trip from the main thread (ADR 0035), after the held ones: the
 * request's own first, then reads the main thread asked ahead for (a prefetch), each with its own
 * parameters, row mode and name, or a `script` run by the simple query protocol. The first
 * step's failure fails the request; a later step's failure is answered in its place and stops the
 * batch (the transaction is then aborted on the server, and the main thread raises that failure
 * when its code reaches that statement).
 */
async function batch({ connection, held, steps }) {
  const entry = entryOf(connection);
  const heldChanges = await runHeld(entry, held).catch((error) => {
    markIfTimedOut(entry, error);
    throw error;
  });
  const results = [];
  for (const [i, step] of steps.entries()) {
    try {
      if (step.script !== undefined) {
        const answer = await entry.client.query(step.script);
        const all = Array.isArray(answer) ? answer : [answer];
        results.push({
          rows: all.filter((result) => result.command === 'SELECT').map((result) => result.rows),
          changes: 0,
        });
      } else {
        const result = await entry.client.query({
          text: step.sql,
          values: (step.params ?? []).map(asParameter),
          ...(step.rowMode === 'array' ? { rowMode: 'array' } : {}),
          ...(step.name ? { name: step.name } : {}),
        });
        results.push({ rows: result.rows, changes: result.rowCount ?? 0 });
      }
    } catch (error) {
      markIfTimedOut(entry, error);
      if (i === 0) throw error;
      results.push(failure(error));
      break;
    }
  }
  return { results, heldChanges };
}

async function close({ connection }) {
  const entry = connections.get(connection);
  connections.delete(connection);
  if (!entry) return {};
  try {
    await entry.client.end();
  } catch {
    // Already gone: nothing to close.
  }
  return {};
}

const operations = { connect, reconnect, query, script, batch, close };

runAsWorker(async (request) => {
  try {
    return { ok: await operations[request.op](request) };
  } catch (error) {
    return failure(error);
  }
});
