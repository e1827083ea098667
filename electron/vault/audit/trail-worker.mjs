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
import { TextEncoder } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import sodium from 'libsodium-wrappers-sumo';
import { canonicalEntryTextIfWellFormed, isAuditDetails } from './entry-leaf.mjs';

const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const CAPACITY = 64 * 1024;
const encoder = new TextEncoder();

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

  /** The details' UTF-8 text, or undefined if they do not open (or are too large for here). */
  openText(heap, sealedHex, associatedData) {
    const blobLength = sealedHex.length / 2;
    if (!Number.isInteger(blobLength) || blobLength < NONCE_BYTES + TAG_BYTES) return undefined;
    const ciphertextLength = blobLength - NONCE_BYTES;
    if (ciphertextLength > CAPACITY) return undefined;
    const noncePtr = this.base + KEY_BYTES;
    const adPtr = noncePtr + NONCE_BYTES;
    const cPtr = adPtr + CAPACITY;
    const mPtr = cPtr + CAPACITY;
    const ad = encoder.encodeInto(associatedData, heap.subarray(adPtr, adPtr + CAPACITY));
    if (ad.read < associatedData.length) return undefined;
    if (heap.write(sealedHex.slice(0, NONCE_BYTES * 2), noncePtr, 'hex') !== NONCE_BYTES)
      return undefined;
    if (heap.write(sealedHex.slice(NONCE_BYTES * 2), cPtr, 'hex') !== ciphertextLength)
      return undefined;
    const status = this.wasm._crypto_aead_xchacha20poly1305_ietf_decrypt(
      mPtr,
      0,
      null,
      cPtr,
      ciphertextLength,
      0,
      adPtr,
      ad.written,
      0,
      noncePtr,
      this.base,
    );
    if (status !== 0) return undefined;
    const plaintext = heap.subarray(mPtr, mPtr + ciphertextLength - TAG_BYTES);
    try {
      return isUtf8(plaintext) ? plaintext.toString('utf8') : undefined;
    } finally {
      plaintext.fill(0);
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
 * One page's rows (trail-page-sql.ts: eight tab-separated fields a row), checked. Rows come back
 * as columns: sequence number, whether it passed, actor, leaf, and a chain statement's details.
 * A page whose text cannot be split into rows comes back as `unread`: the verifier reads it.
 */
export function checkPage(text, opener, kinds) {
  const lines = text === '' ? [] : text.split('\n');
  const seqs = new Float64Array(lines.length);
  const passed = new Uint8Array(lines.length);
  const actors = [];
  const statements = [];
  const leaves = Buffer.alloc(lines.length * 32);
  const heap = opener.heap();
  for (let i = 0; i < lines.length; i++) {
    const fields = lines[i].split('\t');
    const seq = Number(fields[0]);
    if (fields.length !== 8 || !Number.isSafeInteger(seq)) return { unread: true };
    seqs[i] = seq;
    actors.push('');
    const checked = checkedRow(fields, seq, heap, opener, kinds);
    if (checked === undefined) continue;
    passed[i] = 1;
    actors[i] = checked.actor;
    leaves.write(fields[6], i * 32, 'hex');
    if (checked.kind === 'chain.statement') statements.push({ seq, details: checked.details });
  }
  return { seqs, passed, actors, statements, leaves };
}

/**
 * The associated data an entry's details were sealed under, from the page's fields: the layout of
 * the codec's SQL fast path (store/audit-entry-codec.ts, AUDIT_ENTRY_ASSOCIATED_SQL) filled with
 * the same json_quote texts and SQLite's own text of the sequence number, so the same bytes
 * (tests/unit/store/audit-entry-codec.test.ts holds it to the definition, as it holds the other
 * two): a row passes here only if its details open under exactly what the verifier's own reading
 * would bind them to.
 */
export function associatedTextOf(fields) {
  const [seqText, , kindJson, atJson, actorJson, accountJson, leafHex] = fields;
  return `{"clear":{"account_id":${accountJson},"actor_id":${actorJson},"at":${atJson},"kind":${kindJson},"leaf_hash":"${leafHex}"},"custodian":1,"id":"${seqText}","table":"audit_entries","version":1}`;
}

function checkedRow(fields, seq, heap, opener, kinds) {
  const [, plain, kindJson, atJson, actorJson, accountJson, leafHex, sealedHex] = fields;
  if (plain !== '1') return undefined;
  const kind = JSON.parse(kindJson);
  if (!kinds.has(kind)) return undefined;
  const text = opener.openText(heap, sealedHex, associatedTextOf(fields));
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
  const query = db.prepare(workerData.sql).pluck();
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
        const text = query.get(message.after, message.upTo) ?? '';
        port.postMessage({ page: message.page, result: checkPage(text, opener, kinds) });
      } catch (error) {
        port.postMessage({ page: message.page, failure: { code: error?.code ?? '' } });
      }
    });
  });
}
