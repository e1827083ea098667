// The audit export's page reader (issue 5): SQLite's share of a million-entry export, run on a
// worker thread so that it overlaps the main thread's opening and writing (about a quarter of
// the time). It holds no key and opens nothing: it reads the clear columns and the sealed bytes
// (as hex) and hands back one string a page, an entry a line of six tab-separated fields:
//
//   seq, kind, the bundle line up to its details, the associated data the details were sealed
//   under, the leaf hash (hex), the sealed details (hex)
//
// The associated data is the same text as `auditEntryAssociatedText` (log.ts) makes: json_quote
// and JSON.stringify agree on the ids, ISO times and kinds written there, and if a clear column
// was altered the two may differ, but then the details no longer open, which is the point.
// entry-reader.test.ts holds the two side by side. Plain JavaScript, so a worker runs it without
// a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const TAB = 'char(9)';

/** The page query; `where` is a fixed fragment from audit-store's clearColumnWhere, with `?`s. */
export function pageSql(where) {
  const fields = [
    'seq',
    'kind',
    `'{"type":"entry","seq":' || seq || ',"at":' || json_quote(at) || ',"kind":' || json_quote(kind) || ',"actor":' || json_quote(actor_id) || ',"account":' || json_quote(account_id) || ',"details":'`,
    `'{"clear":{"account_id":' || json_quote(account_id) || ',"actor_id":' || json_quote(actor_id) || ',"at":' || json_quote(at) || ',"kind":' || json_quote(kind) || ',"leaf_hash":"' || lower(hex(leaf_hash)) || '"},"custodian":1,"id":"' || seq || '","table":"audit_entries","version":1}'`,
    'lower(hex(leaf_hash))',
    'hex(sealed)',
  ];
  return `SELECT group_concat(${fields.join(` || ${TAB} || `)}, char(10) ORDER BY seq)
    FROM audit_entries WHERE seq > ? AND seq <= ? AND (${where})`;
}

/** A read-only connection and its page query. */
export function openPageReader(path, where, params) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const query = db.prepare(pageSql(where)).pluck();
  return {
    /** The lines of entries after < seq <= upTo that match, or '' when none does. */
    page(after, upTo) {
      return query.get(after, upTo, ...params) ?? '';
    },
    close() {
      db.close();
    },
  };
}

// As a worker: answer { after, upTo } with { after, text }, or with { after, failure } naming
// SQLite's error code, so the main thread can say what went wrong (a damaged file is INTEGRITY).
if (parentPort && workerData?.entryReader) {
  const port = parentPort;
  let reader;
  try {
    reader = openPageReader(workerData.path, workerData.where, workerData.params);
  } catch (error) {
    port.postMessage({ after: -1, failure: { code: error?.code ?? '', message: String(error) } });
  }
  port.on('message', ({ after, upTo }) => {
    if (!reader) return;
    try {
      port.postMessage({ after, text: reader.page(after, upTo) });
    } catch (error) {
      port.postMessage({ after, failure: { code: error?.code ?? '', message: String(error) } });
    }
  });
}
