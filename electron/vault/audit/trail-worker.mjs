// `audit verify`'s pass over a vault file's trail on worker threads (issue 17): each worker reads
// pages of audit entries on its own read-only connection, opens their sealed details with K_vault
// and recomputes each leaf, while the verifier's thread assembles the tree and checks checkpoints.
// Nothing here decides that anything is wrong: a row that does not open, or whose leaf is not
// the one stored, or whose columns are not of the types the app writes, goes back as its sequence
// number alone, and the verifier reads and checks that row the one way it checks every row, in
// order, so the first bad entry is still the one named and with the same words.
//
// The key: sent once, its buffer transferred (no copy left behind), copied into libsodium's heap
// and the message's copy zeroed; on "close" the heap copy and the scratch region are zeroed and
// freed before the worker answers and is stopped. It is never logged nor put in a message.
// Plain JavaScript, so a worker runs it without a TypeScript loader (the build copies it and the
// two modules it imports beside the bundle). The page query comes from store/trail-page-sql.ts.
// libsodium is called here rather than through crypto/ (STYLE.md 5) because a worker runs no
// TypeScript: the call is crypto/batch-open.ts's, libsodium's own XChaCha20-Poly1305 decrypt.
import { hash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import sodium from 'libsodium-wrappers-sumo';
import { canonicalEntryTextIfWellFormed, isAuditDetails } from './entry-leaf.mjs';

const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const CAPACITY = 64 * 1024;

/** K_vault and a scratch region in libsodium's heap: key | nonce | associated data | c | m. */
class Opener {
  constructor(wasm, key) {
    this.wasm = wasm;
    this.base = wasm._malloc(KEY_BYTES + NONCE_BYTES + 3 * CAPACITY);
    if (this.base === 0) throw new Error('libsodium could not allocate the opener.');
    wasm.HEAPU8.set(key, this.base);
  }

  heap() {
    const bytes = this.wasm.HEAPU8;
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * The details' UTF-8 text, or undefined if they do not open (or are too large for here): the
   * sealed blob is `length` bytes of `bytes` from `start`, copied into the heap as they are.
   */
  openText(heap, bytes, start, length, associatedData) {
    if (length < NONCE_BYTES + TAG_BYTES) return undefined;
    const ciphertextLength = length - NONCE_BYTES;
    if (ciphertextLength > CAPACITY) return undefined;
    const noncePtr = this.base + KEY_BYTES;
    const adPtr = noncePtr + NONCE_BYTES;
    const cPtr = adPtr + CAPACITY;
    const mPtr = cPtr + CAPACITY;
    // Written whole or not used: a text within a character's bytes of the region is left to the
    // verifier's own reading, since write() stops short of a character that does not fit.
    const adLength = heap.write(associatedData, adPtr, CAPACITY, 'utf8');
    if (adLength > CAPACITY - 4) return undefined;
    bytes.copy(heap, noncePtr, start, start + NONCE_BYTES);
    bytes.copy(heap, cPtr, start + NONCE_BYTES, start + length);
    const status = this.wasm._crypto_aead_xchacha20poly1305_ietf_decrypt(
      mPtr,
      0,
      null,
      cPtr,
      ciphertextLength,
      0,
      adPtr,
      adLength,
      0,
      noncePtr,
      this.base,
    );
    if (status !== 0) return undefined;
    const end = mPtr + ciphertextLength - TAG_BYTES;
    try {
      return isUtf8(heap.subarray(mPtr, end)) ? heap.toString('utf8', mPtr, end) : undefined;
    } finally {
      heap.fill(0, mPtr, end);
    }
  }

  close() {
    this.heap().fill(0, this.base, this.base + KEY_BYTES + NONCE_BYTES + 3 * CAPACITY);
    this.wasm._free(this.base);
  }
}

let scratch = Buffer.alloc(64 * 1024);

/** SHA-256 of 0x00 ‖ UTF-8(text) in hex: RFC 6962's leaf hash, as merkle.ts's leafHashOfText. */
function leafHexOf(text) {
  if (scratch.length < 1 + text.length * 3) scratch = Buffer.alloc(1 + text.length * 3);
  scratch[0] = 0x00;
  const input = scratch.subarray(0, 1 + scratch.write(text, 1, 'utf8'));
  const digest = hash('sha256', input, 'hex');
  input.fill(0);
  return digest;
}

/**
 * One page's rows (trail-page-sql.ts: its text, eight tab-separated fields a row, and its bytes,
 * each row's leaf hash and sealed details), checked. Rows come back as columns: sequence number,
 * whether it passed, actor, leaf, and a chain statement's details. A page whose text cannot be
 * split into rows, or whose rows' lengths are not its bytes, comes back as `unread`: the verifier
 * reads it.
 */
export function checkPage(text, bytes, opener, kinds) {
  const lines = text === '' ? [] : text.split('\n');
  const seqs = new Float64Array(lines.length);
  const passed = new Uint8Array(lines.length);
  const actors = [];
  const statements = [];
  const leaves = Buffer.alloc(lines.length * 32);
  const heap = opener.heap();
  const rows = [];
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const fields = lines[i].split('\t');
    const seq = Number(fields[0]);
    const leafLength = Number(fields[6]);
    const sealedLength = Number(fields[7]);
    if (
      fields.length !== 8 ||
      !Number.isSafeInteger(seq) ||
      !Number.isSafeInteger(leafLength) ||
      !Number.isSafeInteger(sealedLength) ||
      leafLength < 0 ||
      sealedLength < 0
    ) {
      return { unread: true };
    }
    rows.push(fields, offset);
    offset += leafLength + sealedLength;
  }
  if (offset !== bytes.length) return { unread: true };
  for (let i = 0; i < lines.length; i++) {
    const fields = rows[2 * i];
    const at = rows[2 * i + 1];
    const seq = Number(fields[0]);
    seqs[i] = seq;
    actors.push('');
    if (fields[1] !== '1') continue; // not of the app's types: the verifier reads it
    const checked = checkedRow(fields, seq, bytes, at, heap, opener, kinds);
    if (checked === undefined) continue;
    passed[i] = 1;
    actors[i] = checked.actor;
    bytes.copy(leaves, i * 32, at, at + 32);
    if (checked.kind === 'chain.statement') statements.push({ seq, details: checked.details });
  }
  return { seqs, passed, actors, statements, leaves };
}

/**
 * The associated data an entry's details were sealed under, from the page's fields and its leaf
 * hash in hex: the layout of the codec's SQL fast path (store/audit-entry-codec.ts,
 * AUDIT_ENTRY_ASSOCIATED_SQL) filled with the same json_quote texts, SQLite's own text of the
 * sequence number and the leaf's lowercase hex, so the same bytes
 * (tests/unit/store/audit-entry-codec.test.ts holds it to the definition, as it holds the other
 * two): a row passes here only if its details open under exactly what the verifier's own reading
 * would bind them to.
 */
export function associatedTextOf(fields, leafHex) {
  const [seqText, , kindJson, atJson, actorJson, accountJson] = fields;
  return `{"clear":{"account_id":${accountJson},"actor_id":${actorJson},"at":${atJson},"kind":${kindJson},"leaf_hash":"${leafHex}"},"custodian":1,"id":"${seqText}","table":"audit_entries","version":1}`;
}

/**
 * A row of the app's types, checked: its entry if it opens with its own leaf, else undefined. Its
 * 32-byte leaf hash is at `at` in the page's bytes, its sealed details right after it.
 */
function checkedRow(fields, seq, bytes, at, heap, opener, kinds) {
  const [, , kindJson, atJson, actorJson, accountJson, , sealedLength] = fields;
  const kind = JSON.parse(kindJson);
  if (!kinds.has(kind)) return undefined;
  const leafHex = bytes.toString('hex', at, at + 32);
  const associated = associatedTextOf(fields, leafHex);
  const text = opener.openText(heap, bytes, at + 32, Number(sealedLength), associated);
  if (text === undefined) return undefined;
  let details;
  try {
    details = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isAuditDetails(details)) return undefined;
  const entry = {
    seq,
    at: JSON.parse(atJson),
    kind,
    actor: JSON.parse(actorJson),
    account: JSON.parse(accountJson),
    details,
  };
  const leafText = canonicalEntryTextIfWellFormed(entry);
  if (leafText === null || leafHexOf(leafText) !== leafHex) return undefined;
  return entry;
}

// As a worker: { key } once, then { page, after, upTo } answered with { page, result } in turn,
// then { close } answered with { closed } once the key is gone.
if (parentPort && workerData?.trailWorker) {
  const port = parentPort;
  const kinds = new Set(workerData.kinds);
  const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
  const query = db.prepare(workerData.sql).raw();
  let opener;
  port.on('message', (message) => {
    void sodium.ready.then(() => {
      if (message.key) {
        opener = new Opener(sodium.libsodium, message.key);
        message.key.fill(0);
        return;
      }
      if (message.close) {
        opener?.close();
        opener = undefined;
        db.close();
        port.postMessage({ closed: true });
        return;
      }
      try {
        const [text, bytes] = query.get(message.after, message.upTo) ?? [];
        const result = checkPage(text ?? '', bytes ?? Buffer.alloc(0), opener, kinds);
        port.postMessage({ page: message.page, result });
      } catch (error) {
        port.postMessage({ page: message.page, failure: { code: error?.code ?? '' } });
      }
    });
  });
}
