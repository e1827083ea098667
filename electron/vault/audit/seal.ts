import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.ts';
import { toHex, utf8 } from '../crypto/hash.ts';
import { BUNDLE_FORMAT, type HeaderLine } from './bundle.ts';

/**
 * The seal's digest: SHA-256 over the canonical header, then every included entry's leaf hash in
 * order. Fed one leaf at a time, so a million-entry bundle needs no list of leaves in memory.
 * Part of the bundle format, apart from the exporter, so the offline verifier needs no vault code.
 */
export class SealDigest {
  readonly #hash = createHash('sha256');
  #count = 0;
  /**
   * Single leaves gathered before they are hashed: the verifier adds a million one at a time, and
   * an update a leaf cost it half a second (issue 17). The digest is the same either way.
   */
  readonly #pending = new Uint8Array(32 * 1024);
  #pendingBytes = 0;

  constructor(header: HeaderLine) {
    this.#hash.update(utf8(canonicalJson(header)));
  }

  /** Leaf hashes end to end, 32 bytes each: one or a page of them. */
  add(leaves: Uint8Array, count = 1): void {
    if (leaves.length !== count * 32)
      throw new Error('Seal digest: leaf bytes do not match the count.');
    if (this.#pendingBytes + leaves.length > this.#pending.length) this.#flush();
    if (leaves.length <= this.#pending.length) {
      this.#pending.set(leaves, this.#pendingBytes);
      this.#pendingBytes += leaves.length;
    } else {
      this.#hash.update(leaves);
    }
    this.#count += count;
  }

  get count(): number {
    return this.#count;
  }

  digest(): Uint8Array {
    this.#flush();
    return new Uint8Array(this.#hash.digest());
  }

  #flush(): void {
    if (this.#pendingBytes === 0) return;
    this.#hash.update(this.#pending.subarray(0, this.#pendingBytes));
    this.#pendingBytes = 0;
  }
}

/** What the exporter signs: the digest and the count of entries it covers. */
export function sealMessage(digest: Uint8Array, count: number): Uint8Array {
  return utf8(`${BUNDLE_FORMAT} seal\n${toHex(digest)}\n${count}\n`);
}
