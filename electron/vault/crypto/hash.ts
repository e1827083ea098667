import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(message).digest());
}

/** The same, for an output that is key material: the digest Node returned is zeroed once copied. */
export function hmacSha256Key(key: Uint8Array, message: Uint8Array): Uint8Array {
  const digest = createHmac('sha256', key).update(message).digest();
  try {
    return new Uint8Array(digest);
  } finally {
    digest.fill(0);
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
export const utf8 = (text: string): Uint8Array => encoder.encode(text);
export const fromUtf8 = (bytes: Uint8Array): string => strictDecoder.decode(bytes);
/** Hex without copying the bytes (Buffer.from(uint8array) would copy). */
export const toHex = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
