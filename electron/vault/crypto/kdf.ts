import { hashRaw, type Algorithm } from '@node-rs/argon2';
import { kdfParamsSchema, type KdfParams } from './kdf-params.ts';
import { SecretBytes } from './secret-bytes.ts';

export * from './kdf-params.ts';

// @node-rs/argon2 exports Algorithm as a const enum, which isolated modules cannot read.
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the enum's documented value
const ARGON2ID = 2 as Algorithm.Argon2id;

export const SALT_BYTES = 16;
export const KEY_BYTES = 32;

/**
 * A passphrase as the KDF takes it: text as typed, or its NFC UTF-8 bytes from
 * `passphraseBytes` (which the caller zeroes when done; issue 13, attack 13).
 */
export type PassphraseInput = string | Uint8Array;

/**
 * A passphrase's bytes as the KDF reads them: NFC-normalised, so the same words typed on another
 * keyboard unlock. Converted once, as early as possible, so the text's lifetime stays short; the
 * caller zeroes the bytes (JS strings cannot be zeroed, THREAT-MODEL "Key material in memory").
 */
export function passphraseBytes(passphrase: string): Uint8Array {
  const buffer = Buffer.from(passphrase.normalize('NFC'), 'utf8');
  // A copy outside Node's shared allocation pool, which `fill(0)` could not fully clear.
  const bytes = new Uint8Array(buffer.length);
  bytes.set(buffer);
  buffer.fill(0);
  return bytes;
}

/**
 * Derive a key-encryption key from a passphrase. Runs on libuv's thread pool (native Argon2),
 * so the calling process's event loop keeps turning during the ~0.5 s it takes.
 * The passphrase is normalised to NFC so the same words typed on another keyboard unlock.
 */
export async function deriveKek(
  passphrase: PassphraseInput,
  salt: Uint8Array,
  params: KdfParams,
): Promise<SecretBytes> {
  // Whatever the caller read from the file, never derive below the floor nor above the ceiling.
  if (!kdfParamsSchema.safeParse(params).success) {
    throw new RangeError('key-derivation parameters below the floor or above the ceiling');
  }
  const owned = typeof passphrase === 'string';
  const bytes = owned ? passphraseBytes(passphrase) : passphrase;
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const key = await hashRaw(input, {
      algorithm: ARGON2ID,
      memoryCost: params.memoryKiB,
      timeCost: params.passes,
      parallelism: params.parallelism,
      outputLen: KEY_BYTES,
      salt: Buffer.from(salt),
    });
    const out = new Uint8Array(key);
    key.fill(0);
    return new SecretBytes(out);
  } finally {
    // Bytes the caller handed in are theirs to zero; a copy made here is zeroed here.
    if (owned) bytes.fill(0);
  }
}
