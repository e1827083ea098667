import { createHash } from 'node:crypto';

/**
 * An incremental multiset hash over the rows of a table (ADR 0020): the sum, lane by lane mod 2^32
 * (sixteen lanes, 512 bits), of the SHA-512 of each row. Adding or removing a row costs one hash,
 * whatever the size of the table, so a write updates the digest without reading the registry
 * again; the order rows are summed in does not matter, so unlock can recompute it in one pass.
 * This is the shape of Bellare–Micciancio's AdHash and of LtHash (Lewi et al., 2019) with few
 * wide lanes. Finding two different sets of rows with the same sum needs about 2^44 hashes and
 * the rewrite of some two million rows of one table (Wagner's generalised birthday), which the
 * row counts the digest also commits to and the sealed rows' own AEAD make pointless for anyone
 * without K_vault; a member who holds it can sign a checkpoint of their own anyway (ADR 0020).
 */
export const MULTISET_HASH_BYTES = 64;
const LANES = MULTISET_HASH_BYTES / 4;

/** A cell of a row as SQLite returns it. */
export type Cell = string | number | bigint | Uint8Array | null;

/**
 * The SHA-512 of one row of `table`: its clear cells as JSON (blobs replaced by their lengths,
 * so the encoding is unambiguous) followed by the blobs themselves. Every column counts, so a
 * changed key id beside an unauthenticated sealed box is as visible as a changed blob.
 */
export function rowElement(table: string, cells: readonly Cell[]): Uint8Array {
  const hash = createHash('sha512');
  const shape: (string | number | null)[] = [table];
  for (const cell of cells) {
    if (cell instanceof Uint8Array) shape.push(-cell.byteLength - 1);
    else if (typeof cell === 'bigint') shape.push(cell.toString());
    else shape.push(cell);
  }
  hash.update(`custodian/state-row/v1\n${JSON.stringify(shape)}`);
  for (const cell of cells) if (cell instanceof Uint8Array) hash.update(cell);
  return hash.digest();
}

export class MultisetHash {
  readonly #lanes: Uint32Array;

  constructor(bytes?: Uint8Array) {
    this.#lanes = new Uint32Array(LANES);
    if (bytes) {
      if (bytes.byteLength !== MULTISET_HASH_BYTES) throw new RangeError('not a multiset hash');
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < LANES; i++) this.#lanes[i] = view.getUint32(i * 4, true);
    }
  }

  /** Add one row's element (rowElement). */
  add(element: Uint8Array): void {
    this.#combine(element, 1);
  }

  /** Take one row's element away: the row was deleted, or replaced by a new version. */
  remove(element: Uint8Array): void {
    this.#combine(element, -1);
  }

  /** Add every lane of another sum (a transaction's delta onto the stored digest). */
  addAll(other: MultisetHash): void {
    this.#combine(other.bytes(), 1);
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(MULTISET_HASH_BYTES);
    const view = new DataView(out.buffer);
    for (let i = 0; i < LANES; i++) view.setUint32(i * 4, this.#lanes[i]!, true);
    return out;
  }

  #combine(element: Uint8Array, sign: 1 | -1): void {
    const view = new DataView(element.buffer, element.byteOffset, MULTISET_HASH_BYTES);
    // Uint32Array stores wrap mod 2^32, which is the group the lanes live in.
    for (let i = 0; i < LANES; i++) {
      this.#lanes[i] = this.#lanes[i]! + sign * view.getUint32(i * 4, true);
    }
  }
}
