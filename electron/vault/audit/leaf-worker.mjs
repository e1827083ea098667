// The offline verifier's line checks on worker threads (issue 17): a block of a bundle's JSON
// Lines is parsed here, and each entry line's shape is checked and its leaf recomputed and
// compared with the one the line states, while the verifier's own thread assembles the tree and
// checks the checkpoints. Nothing here decides that anything is wrong: a line that is not a
// well-formed entry whose leaf matches goes back to the verifier as its text, and the verifier
// checks it the one way it checks every line, in order, so the first bad line is still the one
// named and with the same words. It holds no key: a bundle is public material.
// Plain JavaScript, so a worker runs it without a TypeScript loader (build-electron.js and
// build-cli.js copy it and the two modules it imports beside the bundle).
import { hash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { canonicalEntryTextIfWellFormed, quickEntryLine } from './entry-leaf.mjs';

/** What each line of a block is. */
export const BLANK = 0;
export const ENTRY = 1;
export const RAW = 2;

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
 * The lines of `bytes` (UTF-8, split as node:readline splits: \r\n, \n or \r; a last empty line
 * after a final break is no line) checked as above. Entries come back as columns: sequence
 * number, actor, the member a `member.removed` entry names, the proof and the leaf.
 */
export function checkBlock(bytes, kinds) {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  const classes = new Uint8Array(lines.length);
  const raws = [];
  const seqs = [];
  const actors = [];
  const removed = [];
  const proofs = [];
  const leaves = Buffer.alloc(lines.length * 32);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') {
      classes[i] = BLANK;
      continue;
    }
    const entry = checkedEntry(line, kinds);
    if (entry === undefined) {
      classes[i] = RAW;
      raws.push(line);
      continue;
    }
    classes[i] = ENTRY;
    leaves.write(entry.leaf, seqs.length * 32, 'hex');
    seqs.push(entry.seq);
    actors.push(entry.actor);
    removed.push(
      entry.kind === 'member.removed' && typeof entry.details.member === 'string'
        ? entry.details.member
        : null,
    );
    proofs.push(entry.proof ?? null);
  }
  return {
    count: lines.length,
    classes,
    raws,
    seqs: Float64Array.from(seqs),
    actors,
    removed,
    proofs: proofs.some((proof) => proof !== null) ? proofs : null,
    leaves: new Uint8Array(leaves.buffer, leaves.byteOffset, seqs.length * 32),
  };
}

/** The line as an entry whose stated leaf is its own, or undefined for the verifier to look at. */
function checkedEntry(line, kinds) {
  let raw;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  const entry = quickEntryLine(raw, kinds);
  if (entry === undefined) return undefined;
  const text = canonicalEntryTextIfWellFormed(entry);
  if (text === null || leafHexOf(text) !== entry.leaf) return undefined;
  return entry;
}

// As a worker: answer { id, bytes } with { id, block } (or { id, failure }), in the order asked.
if (parentPort && workerData?.leafWorker) {
  const port = parentPort;
  const kinds = new Set(workerData.kinds);
  port.on('message', ({ id, bytes }) => {
    try {
      const block = checkBlock(bytes, kinds);
      port.postMessage({ id, block }, [block.classes.buffer, block.seqs.buffer]);
    } catch (error) {
      port.postMessage({ id, failure: String(error) });
    }
  });
}
