import { randomBytes } from './random.ts';
import { SecretBytes } from './secret-bytes.ts';
import { sodium } from './sodium.ts';

const NONCE_BYTES = 24;

/** Thrown when a sealed blob does not open: wrong key, or the blob or its associated data changed. */
export class OpenFailed extends Error {
  constructor() {
    super('Sealed data did not authenticate.');
    this.name = 'OpenFailed';
  }
}

/** XChaCha20-Poly1305: nonce (24 random bytes) followed by ciphertext and tag. */
export function seal(
  key: SecretBytes,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array {
  const nonce = randomBytes(NONCE_BYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    plaintext,
    associatedData,
    null,
    nonce,
    key.reveal(),
  );
  const blob = new Uint8Array(NONCE_BYTES + ciphertext.length);
  blob.set(nonce, 0);
  blob.set(ciphertext, NONCE_BYTES);
  return blob;
}

export function open(key: SecretBytes, blob: Uint8Array, associatedData: Uint8Array): Uint8Array {
  if (blob.length < NONCE_BYTES + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    throw new OpenFailed();
  }
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      blob.subarray(NONCE_BYTES),
      associatedData,
      blob.subarray(0, NONCE_BYTES),
      key.reveal(),
    );
  } catch {
    throw new OpenFailed();
  }
}

/** A fresh random 256-bit key for XChaCha20-Poly1305. */
export function newSymmetricKey(): SecretBytes {
  return new SecretBytes(randomBytes(32));
}
