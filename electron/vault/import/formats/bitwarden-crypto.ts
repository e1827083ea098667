import { createDecipheriv, createHash, createHmac, pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { hashRaw, type Algorithm } from '@node-rs/argon2';
import { z } from 'zod';
import { invalidInput } from '../../errors.ts';

/**
 * Bitwarden's password-protected encrypted JSON export, as Bitwarden documents it ("Encrypted
 * Exports"): the password and the file's `salt` (its text, as UTF-8) go through the KDF the file
 * names (kdfType 0: PBKDF2-SHA256 with kdfIterations; 1: Argon2id with kdfIterations passes,
 * kdfMemory MiB and kdfParallelism lanes, over SHA-256 of the salt) to a 32-byte key, stretched
 * with HKDF-Expand (SHA-256, info "enc" and "mac") into an AES-256 key and a MAC key. Each of
 * `encKeyValidation_DO_NOT_EDIT` and `data` is an EncString "2.IV|CIPHERTEXT|MAC" (type 2:
 * AES-256-CBC, HMAC-SHA256 over IV‖ciphertext, each part base64). The MAC is checked, in
 * constant time, before anything is decrypted.
 */
export const passwordProtectedSchema = z.object({
  encrypted: z.literal(true),
  passwordProtected: z.literal(true),
  salt: z.string().min(1).max(1000),
  kdfType: z.union([z.literal(0), z.literal(1)]),
  kdfIterations: z.number().int().min(1),
  kdfMemory: z.number().int().min(1).nullish(),
  kdfParallelism: z.number().int().min(1).nullish(),
  encKeyValidation_DO_NOT_EDIT: z.string(),
  data: z.string(),
});
export type PasswordProtectedExport = z.infer<typeof passwordProtectedSchema>;

// @node-rs/argon2 exports Algorithm as a const enum, which isolated modules cannot read.
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the enum's documented value
const ARGON2ID = 2 as Algorithm.Argon2id;

/** Bounds on what a file may ask the KDF for: the file is the attacker's to write. */
const KDF_LIMITS = { pbkdf2Iterations: 10_000_000, argon2MiB: 1024, argon2Passes: 100 } as const;

const WRONG =
  'The passphrase does not open this password-protected Bitwarden export (or the file was changed). Check the export password; nothing was written.';

export async function decryptPasswordProtected(
  file: PasswordProtectedExport,
  password: string,
): Promise<string> {
  const key = await deriveKey(file, password);
  try {
    const enc = hkdfExpand(key, 'enc');
    const mac = hkdfExpand(key, 'mac');
    decryptEncString(file.encKeyValidation_DO_NOT_EDIT, enc, mac);
    return decryptEncString(file.data, enc, mac).toString('utf8');
  } finally {
    key.fill(0);
  }
}

async function deriveKey(file: PasswordProtectedExport, password: string): Promise<Buffer> {
  const salt = Buffer.from(file.salt, 'utf8');
  if (file.kdfType === 0) {
    if (file.kdfIterations > KDF_LIMITS.pbkdf2Iterations) throw tooCostly();
    return promisify(pbkdf2)(password, salt, file.kdfIterations, 32, 'sha256');
  }
  const memory = file.kdfMemory ?? 64;
  const lanes = file.kdfParallelism ?? 4;
  if (memory > KDF_LIMITS.argon2MiB || file.kdfIterations > KDF_LIMITS.argon2Passes) {
    throw tooCostly();
  }
  const hash = await hashRaw(password, {
    salt: createHash('sha256').update(salt).digest(),
    algorithm: ARGON2ID,
    timeCost: file.kdfIterations,
    memoryCost: memory * 1024,
    parallelism: lanes,
    outputLen: 32,
  });
  return Buffer.from(hash);
}

function tooCostly(): Error {
  return invalidInput(
    `This Bitwarden export asks its key derivation for more than an import gives it (PBKDF2 at most ${KDF_LIMITS.pbkdf2Iterations.toLocaleString('en-GB')} iterations; Argon2id at most ${KDF_LIMITS.argon2MiB} MiB and ${KDF_LIMITS.argon2Passes} passes). Export it again with Bitwarden's default settings; nothing was written.`,
  );
}

/** HKDF-Expand (RFC 5869) with SHA-256, one block: Bitwarden's "stretch" of a 32-byte key. */
export function hkdfExpand(key: Buffer, info: string): Buffer {
  return createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(info, 'utf8'), Buffer.from([1])]))
    .digest();
}

function decryptEncString(encString: string, encKey: Buffer, macKey: Buffer): Buffer {
  const match = /^2\.([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(encString);
  if (!match) {
    throw invalidInput(
      'This Bitwarden export is not in the form Custodian reads (an EncString of type 2, AES-256-CBC with HMAC-SHA256). Export it again from a current Bitwarden; nothing was written.',
    );
  }
  const iv = Buffer.from(match[1]!, 'base64');
  const data = Buffer.from(match[2]!, 'base64');
  const mac = Buffer.from(match[3]!, 'base64');
  const expected = createHmac('sha256', macKey).update(iv).update(data).digest();
  if (iv.length !== 16 || mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
    throw invalidInput(WRONG);
  }
  try {
    const decipher = createDecipheriv('aes-256-cbc', encKey, iv);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw invalidInput(WRONG);
  }
}
