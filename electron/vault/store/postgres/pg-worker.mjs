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

/** @type {Map<number, { client: pg.Client, broken: Error | null, url: string, timeouts: object, backendPid: number }>} */
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

/** Connect, and learn the server process serving this connection (to end it if it lingers). */
async function open(url, timeouts) {
  const client = newClient(url, timeouts);
  const entry = { client, broken: null, url, timeouts, backendPid: 0 };
  // A connection the server drops is reported on the next request, never as an uncaught error.
  client.on('error', (error) => {
    entry.broken = error;
  });
  await client.connect();
  const { rows } = await client.query(
    'SELECT current_setting($1) AS version, pg_backend_pid() AS pid',
    ['server_version_num'],
  );
  entry.backendPid = rows[0].pid;
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
 * process that served the lost one, which may still hold its transaction open.
 */
async function reconnect({ connection }) {
  const old = connections.get(connection);
  if (!old) throw Object.assign(new Error('the connection is closed'), { code: 'CLOSED' });
  const { entry } = await open(old.url, old.timeouts);
  connections.set(connection, entry);
  old.client.end().catch(() => undefined);
  return { previousBackendPid: old.backendPid };
}

async function query({ connection, sql, params, rowMode }) {
  const entry = connections.get(connection);
  if (!entry) throw Object.assign(new Error('the connection is closed'), { code: 'CLOSED' });
  if (entry.broken) throw entry.broken;
  try {
    const result = await entry.client.query({
      text: sql,
      values: params.map(asParameter),
      ...(rowMode === 'array' ? { rowMode: 'array' } : {}),
    });
    return { rows: result.rows, changes: result.rowCount ?? 0 };
  } catch (error) {
    // A query that timed out on this side leaves the connection mid-conversation: it is not
    // used again (the main thread reports the failure and the session ends).
    if (/timeout/i.test(String(error?.message)) && !error?.code) entry.broken = error;
    throw error;
  }
}

/** Several statements in one round trip with no parameters (BEGIN, COMMIT, a migration's text). */
async function script({ connection, sql }) {
  const entry = connections.get(connection);
  if (!entry) throw Object.assign(new Error('the connection is closed'), { code: 'CLOSED' });
  if (entry.broken) throw entry.broken;
  await entry.client.query(sql);
  return { changes: 0, rows: [] };
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

const operations = { connect, reconnect, query, script, close };

runAsWorker(async (request) => {
  try {
    return { ok: await operations[request.op](request) };
  } catch (error) {
    return failure(error);
  }
});
