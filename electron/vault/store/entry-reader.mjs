// The audit export's page reader (issue 5): SQLite's share of a million-entry export, run on a
// worker thread so that it overlaps the main thread's opening and writing (about a quarter of
// the time). It holds no key and opens nothing: it runs the page query entry-page-reader.ts
// builds (the clear columns and the sealed bytes as text) and hands back one string a page.
// Plain JavaScript, so a worker runs it without a TypeScript loader; the query itself is written
// in TypeScript beside the audit entry's codec, and arrives here with the worker's data.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** A read-only connection and its page query (`sql` takes after, upTo, then `params`). */
export function openPageReader(path, sql, params) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const query = db.prepare(sql).pluck();
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
    reader = openPageReader(workerData.path, workerData.sql, workerData.params);
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
