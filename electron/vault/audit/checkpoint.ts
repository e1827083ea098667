import { sha256, toBase64, utf8 } from '../crypto/hash.ts';
import type { Hash } from './merkle.ts';

/** The log's origin line: one per vault, so a checkpoint can't be replayed against another vault. */
export function originOf(vaultId: string): string {
  return `custodian.vault/${vaultId}`;
}

/**
 * The signed body of a checkpoint in C2SP tlog-checkpoint form: origin, tree size and base64
 * root hash, each on its own line.
 */
export function checkpointBody(vaultId: string, size: number, root: Hash): Uint8Array {
  return utf8(`${originOf(vaultId)}\n${size}\n${toBase64(root)}\n`);
}

export interface StoredCheckpoint {
  readonly size: number;
  readonly root: Hash;
  readonly signerId: string;
  readonly signature: Uint8Array;
}

/** A member's key name in signed notes (C2SP signed-note: no spaces, no "+"). */
export function keyNameOf(memberId: string): string {
  return `custodian-member-${memberId}`;
}

/** C2SP signed-note key hash for an Ed25519 key: SHA-256(name ‖ "\n" ‖ 0x01 ‖ key), first 4 bytes. */
export function keyHash(name: string, publicKey: Uint8Array): Uint8Array {
  return sha256(utf8(`${name}\n`), new Uint8Array([1]), publicKey).subarray(0, 4);
}

/** The checkpoint as a signed note: the text security staff keep, on paper or by e-mail. */
export function formatCheckpoint(
  vaultId: string,
  checkpoint: StoredCheckpoint,
  signerPublicKey: Uint8Array,
): string {
  const body = Buffer.from(checkpointBody(vaultId, checkpoint.size, checkpoint.root)).toString(
    'utf8',
  );
  const name = keyNameOf(checkpoint.signerId);
  const blob = Buffer.concat([keyHash(name, signerPublicKey), checkpoint.signature]).toString(
    'base64',
  );
  return `${body}\n\u2014 ${name} ${blob}\n`;
}

export interface ParsedCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  readonly body: Uint8Array;
  readonly signatures: {
    readonly keyName: string;
    readonly keyHash: Uint8Array;
    readonly signature: Uint8Array;
  }[];
}

/** Parse a signed checkpoint note; throws a plain Error saying what is malformed. */
export function parseCheckpoint(text: string): ParsedCheckpoint {
  const normalised = text.replace(/\r\n/g, '\n');
  const split = normalised.indexOf('\n\n');
  if (split < 0) throw new Error('not a signed checkpoint (no blank line before the signatures)');
  const bodyText = normalised.slice(0, split + 1);
  const [origin, sizeText, rootText, ...rest] = bodyText.split('\n');
  if (!origin || !sizeText || !rootText || rest.some((line) => line !== '')) {
    throw new Error('the checkpoint body must be origin, size and root on three lines');
  }
  if (!/^\d+$/.test(sizeText)) throw new Error('the checkpoint size is not a number');
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== 32 || root.toString('base64') !== rootText)
    throw new Error('the checkpoint root is not a base64 SHA-256 hash');
  const signatures = normalised
    .slice(split + 2)
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
      if (!match) throw new Error('a signature line is malformed');
      const blob = Buffer.from(match[2]!, 'base64');
      if (blob.length !== 68) throw new Error('a signature is not an Ed25519 signature');
      return {
        keyName: match[1]!,
        keyHash: new Uint8Array(blob.subarray(0, 4)),
        signature: new Uint8Array(blob.subarray(4)),
      };
    });
  if (signatures.length === 0) throw new Error('the checkpoint is not signed');
  return {
    origin,
    size: Number(sizeText),
    root: new Uint8Array(root),
    body: utf8(bodyText),
    signatures,
  };
}
