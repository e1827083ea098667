import { isUtf8 } from 'node:buffer';
import type { SecretBytes } from './secret-bytes.ts';
import { OpenFailed } from './aead.ts';
import { sodium } from './sodium.ts';

/** The parts of libsodium's WASM module this file calls: its heap and two C functions. */
interface SodiumWasm {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  _crypto_aead_xchacha20poly1305_ietf_decrypt(
    m: number,
    mlenP: number,
    nsec: null,
    c: number,
    clenLow: number,
    clenHigh: number,
    ad: number,
    adlenLow: number,
    adlenHigh: number,
    npub: number,
    k: number,
  ): number;
}

const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const encoder = new TextEncoder();

/**
 * Opens many small XChaCha20-Poly1305 blobs (aead.ts's format: nonce, then ciphertext and tag)
 * under one key, for the audit export's million entries. It calls libsodium's own decrypt, but
 * keeps the key and one scratch region inside the WASM heap for its lifetime instead of the
 * wrapper's allocate-copy-free for every argument of every call, and decodes the plaintext
 * straight out of the heap. `close()` zeroes and frees the region; use it in a `finally`.
 */
export class BatchOpener {
  readonly #wasm = (sodium as unknown as { libsodium: SodiumWasm }).libsodium;
  readonly #capacity: number;
  readonly #base: number;
  #closed = false;
  #view: Buffer | undefined;

  constructor(key: SecretBytes, capacity = 64 * 1024) {
    this.#capacity = capacity;
    // key | nonce | associated data | ciphertext | plaintext, each region `capacity` long.
    this.#base = this.#wasm._malloc(KEY_BYTES + NONCE_BYTES + 3 * capacity);
    if (this.#base === 0) throw new Error('libsodium could not allocate the opener.');
    this.#wasm.HEAPU8.set(key.reveal(), this.#base);
  }

  /**
   * Open a sealed blob given as hex (SQLite's hex(), which spares a Buffer a row) bound to
   * `associatedData`, and return the plaintext as UTF-8 text. Throws OpenFailed if it does not
   * authenticate or is not UTF-8. Returns undefined for a blob or associated data too large for
   * the scratch region: the caller opens that one the ordinary way.
   */
  openHexText(sealedHex: string, associatedData: string): string | undefined {
    return this.openHex(sealedHex, associatedData, (plaintext) => plaintext.toString('utf8'));
  }

  /**
   * As openHexText, but hands `use` the plaintext bytes where they lie in the WASM heap (checked
   * UTF-8), and zeroes them when `use` returns: the export copies them straight into its output
   * without making a string of them. `use` must not keep the view.
   */
  openHex<T>(
    sealedHex: string,
    associatedData: string,
    use: (plaintext: Buffer) => T,
  ): T | undefined {
    if (this.#closed) throw new Error('The opener was used after it was closed.');
    const blobLength = sealedHex.length / 2;
    if (!Number.isInteger(blobLength)) throw new OpenFailed();
    return this.#open(blobLength, associatedData, use, (heap, noncePtr, cPtr, ciphertextLength) => {
      // The nonce and the ciphertext sit side by side in the blob and in the scratch region.
      heap.write(sealedHex.slice(0, NONCE_BYTES * 2), noncePtr, 'hex');
      if (heap.write(sealedHex.slice(NONCE_BYTES * 2), cPtr, 'hex') !== ciphertextLength) {
        throw new OpenFailed();
      }
    });
  }

  /** As openHex, for a blob as bytes (a BLOB column read as a Buffer: the vault verify's rows). */
  openBytes<T>(
    sealed: Uint8Array,
    associatedData: string,
    use: (plaintext: Buffer) => T,
  ): T | undefined {
    return this.#open(sealed.length, associatedData, use, (heap, noncePtr, cPtr) => {
      heap.set(sealed.subarray(0, NONCE_BYTES), noncePtr);
      heap.set(sealed.subarray(NONCE_BYTES), cPtr);
    });
  }

  #open<T>(
    blobLength: number,
    associatedData: string,
    use: (plaintext: Buffer) => T,
    place: (heap: Buffer, noncePtr: number, cPtr: number, ciphertextLength: number) => void,
  ): T | undefined {
    if (this.#closed) throw new Error('The opener was used after it was closed.');
    if (blobLength < NONCE_BYTES + TAG_BYTES) throw new OpenFailed();
    const ciphertextLength = blobLength - NONCE_BYTES;
    if (ciphertextLength > this.#capacity) return undefined;
    const heap = this.#heap();
    const noncePtr = this.#base + KEY_BYTES;
    const adPtr = noncePtr + NONCE_BYTES;
    const cPtr = adPtr + this.#capacity;
    const mPtr = cPtr + this.#capacity;
    const ad = encoder.encodeInto(associatedData, heap.subarray(adPtr, adPtr + this.#capacity));
    if (ad.read < associatedData.length) return undefined;
    place(heap, noncePtr, cPtr, ciphertextLength);
    const status = this.#wasm._crypto_aead_xchacha20poly1305_ietf_decrypt(
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
      this.#base,
    );
    if (status !== 0) throw new OpenFailed();
    const plaintext = heap.subarray(mPtr, mPtr + ciphertextLength - TAG_BYTES);
    try {
      if (!isUtf8(plaintext)) throw new OpenFailed();
      return use(plaintext);
    } finally {
      plaintext.fill(0);
    }
  }

  /** A Buffer over the WASM heap, made again whenever memory growth replaces the heap's buffer. */
  #heap(): Buffer {
    const bytes = this.#wasm.HEAPU8;
    if (this.#view?.buffer !== bytes.buffer) {
      this.#view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return this.#view;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#heap().fill(0, this.#base, this.#base + KEY_BYTES + NONCE_BYTES + 3 * this.#capacity);
    this.#wasm._free(this.#base);
  }
}
