// Ed25519 checks for the trail verifiers on a worker thread (issue 17): a million-entry trail in
// use carries tens of thousands of signed checkpoints, and libsodium's WebAssembly verify costs
// about 170 µs each, a third of a verify when it ran on the one thread that also hashes every
// entry. signature-checks.ts packs a batch of checks into one buffer; this answers with the index
// of the first that fails. It holds no key: public keys, messages and signatures only.
// Plain JavaScript, so a worker runs it without a TypeScript loader (build-electron.js copies it
// beside the bundle). The check is libsodium's crypto_sign_verify_detached, the one keys.ts
// `verifySignature` makes, so a signature verifies here exactly when it verifies there.
import { parentPort, workerData } from 'node:worker_threads';
import sodium from 'libsodium-wrappers-sumo';

/** Each check in a batch: message length (u32, little-endian), public key, signature, message. */
export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

/** The index of the first check in the packed batch that does not verify, or -1. */
export function firstFailing(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  for (let index = 0; offset < bytes.length; index++) {
    const length = view.getUint32(offset, true);
    offset += 4;
    const publicKey = bytes.subarray(offset, offset + PUBLIC_KEY_BYTES);
    offset += PUBLIC_KEY_BYTES;
    const signature = bytes.subarray(offset, offset + SIGNATURE_BYTES);
    offset += SIGNATURE_BYTES;
    const message = bytes.subarray(offset, offset + length);
    offset += length;
    let valid;
    try {
      valid = sodium.crypto_sign_verify_detached(signature, message, publicKey);
    } catch {
      valid = false;
    }
    if (!valid) return index;
  }
  return -1;
}

// As a worker: answer { batch, bytes } with { batch, failed }, in the order asked.
if (parentPort && workerData?.signatureWorker) {
  const port = parentPort;
  const ready = sodium.ready;
  port.on('message', ({ batch, bytes }) => {
    void ready.then(() => port.postMessage({ batch, failed: firstFailing(bytes) }));
  });
}
