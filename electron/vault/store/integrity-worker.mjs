// SQLite's integrity check of a vault file on a worker thread of its own (issue 17): `audit
// verify` of a large trail runs it beside the trail's reading rather than before it, on its own
// read-only connection. It holds no key and reads nothing but SQLite's own answer, which it hands
// back as the check's lines; if SQLite fails (the file cannot be opened, the check cannot run),
// it says only that, and the verifier runs the check on its own connection, as it always did.
// Plain JavaScript, so a worker runs it without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

if (parentPort && workerData?.integrityWorker) {
  let lines;
  try {
    const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
    try {
      lines = db
        .pragma(`integrity_check(${Number(workerData.limit)})`)
        .map((row) => row.integrity_check);
    } finally {
      db.close();
    }
  } catch {
    lines = undefined;
  }
  parentPort.postMessage(lines === undefined ? { failed: true } : { lines });
}
