import { OpenFailed } from './aead.ts';
import { SecretBytes } from './secret-bytes.ts';
import { sodium } from './sodium.ts';

/** An X25519 key pair: other members seal keys to the public half (crypto_box_seal). */
export interface BoxKeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: SecretBytes;
}

/** An Ed25519 key pair: signs audit checkpoints and member certificates. */
export interface SigningKeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: SecretBytes;
}

export function newBoxKeyPair(): BoxKeyPair {
  const pair = sodium.crypto_box_keypair();
  return { publicKey: pair.publicKey, secretKey: new SecretBytes(pair.privateKey) };
}

export function newSigningKeyPair(): SigningKeyPair {
  const pair = sodium.crypto_sign_keypair();
  return { publicKey: pair.publicKey, secretKey: new SecretBytes(pair.privateKey) };
}

/** The public key that belongs to an X25519 secret key; used to check an unwrapped key is the expected one. */
export function boxPublicKeyOf(secretKey: SecretBytes): Uint8Array {
  return sodium.crypto_scalarmult_base(secretKey.reveal());
}

/** The public key inside an Ed25519 secret key (libsodium keeps it in the last 32 bytes). */
export function signingPublicKeyOf(secretKey: SecretBytes): Uint8Array {
  return sodium.crypto_sign_ed25519_sk_to_pk(secretKey.reveal());
}

/** Anonymous sealed box to a public key: anyone can wrap a key for a member; only they can open it. */
export function sealTo(recipientPublicKey: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return sodium.crypto_box_seal(plaintext, recipientPublicKey);
}

export function openSealed(pair: BoxKeyPair, sealedBox: Uint8Array): SecretBytes {
  try {
    return new SecretBytes(
      sodium.crypto_box_seal_open(sealedBox, pair.publicKey, pair.secretKey.reveal()),
    );
  } catch {
    throw new OpenFailed();
  }
}

export function sign(secretKey: SecretBytes, message: Uint8Array): Uint8Array {
  return sodium.crypto_sign_detached(message, secretKey.reveal());
}

export function verifySignature(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}
