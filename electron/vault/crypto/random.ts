import { randomBytes as nodeRandomBytes, randomInt } from 'node:crypto';

/** Nonces, salts and keys come from Node's CSPRNG: libsodium's WASM randombytes is ~30x slower. */
export function randomBytes(length: number): Uint8Array {
  return new Uint8Array(nodeRandomBytes(length));
}

/** An opaque row id: 128 random bits in hex. It says nothing about the row. */
export function randomId(): string {
  return nodeRandomBytes(16).toString('hex');
}

/** A uniformly chosen index in [0, max). */
export function randomIndex(max: number): number {
  return randomInt(max);
}
