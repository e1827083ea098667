import { hashRaw, type Algorithm } from '@node-rs/argon2';
import { z } from 'zod';
import { SecretBytes } from './secret-bytes.ts';

/**
 * Argon2id parameters, stored with each key slot so they can be raised later without
 * re-keying the vault. See docs/adr/0002-kdf-parameters.md for how the default was chosen.
 */
export const kdfParamsSchema = z.object({
  algorithm: z.literal('argon2id'),
  memoryKiB: z
    .number()
    .int()
    .min(8 * 1024)
    .max(4 * 1024 * 1024),
  passes: z.number().int().min(1).max(64),
  parallelism: z.number().int().min(1).max(16),
});
export type KdfParams = z.infer<typeof kdfParamsSchema>;

export const DEFAULT_KDF: KdfParams = {
  algorithm: 'argon2id',
  memoryKiB: 256 * 1024,
  passes: 3,
  parallelism: 1,
};

/**
 * The floor for a vault created with lowered parameters (for a slow workstation, or tests):
 * OWASP's minimum for Argon2id, 19 MiB and 2 passes.
 */
export const MINIMUM_KDF: KdfParams = {
  algorithm: 'argon2id',
  memoryKiB: 19 * 1024,
  passes: 2,
  parallelism: 1,
};

// @node-rs/argon2 exports Algorithm as a const enum, which isolated modules cannot read.
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the enum's documented value
const ARGON2ID = 2 as Algorithm.Argon2id;

export const SALT_BYTES = 16;
export const KEY_BYTES = 32;

export function isBelowDefault(params: KdfParams): boolean {
  return params.memoryKiB < DEFAULT_KDF.memoryKiB || params.passes < DEFAULT_KDF.passes;
}

/**
 * Derive a key-encryption key from a passphrase. Runs on libuv's thread pool (native Argon2),
 * so the calling process's event loop keeps turning during the ~0.5 s it takes.
 * The passphrase is normalised to NFC so the same words typed on another keyboard unlock.
 */
export async function deriveKek(
  passphrase: string,
  salt: Uint8Array,
  params: KdfParams,
): Promise<SecretBytes> {
  const input = Buffer.from(passphrase.normalize('NFC'), 'utf8');
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
    input.fill(0);
  }
}
