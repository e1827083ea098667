import { sha256, toBase64, utf8 } from '../crypto/hash.ts';
import type { Hash } from './merkle.ts';

/** The log's origin line: one per vault, so a checkpoint can't be replayed against another vault. */
export function originOf(vaultId: string): string {
  return `custodian.vault/${vaultId}`;
}

/**
 * The signed body of a checkpoint in C2SP tlog-checkpoint form: origin, tree size and base64
 * root hash, each on its own line; from format 7 on, an extension line `state <base64>` with the
 * commitment to the vault's state (ADR 0020), so the signature covers the registry as well as the
 * trail. A checkpoint from before has no such line, and its body is what it always was.
 */
export function checkpointBody(
  vaultId: string,
  size: number,
  root: Hash,
  state?: Uint8Array | null,
): Uint8Array {
  const extension = state ? `${STATE_LINE}${toBase64(state)}\n` : '';
  return utf8(`${originOf(vaultId)}\n${size}\n${toBase64(root)}\n${extension}`);
}

const STATE_LINE = 'state ';

export interface StoredCheckpoint {
  readonly size: number;
  readonly root: Hash;
  readonly signerId: string;
  readonly signature: Uint8Array;
  /** The state commitment the checkpoint signs (ADR 0020), or null before format 7. */
  readonly state?: Uint8Array | null;
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
  const body = Buffer.from(
    checkpointBody(vaultId, checkpoint.size, checkpoint.root, checkpoint.state),
  ).toString('utf8');
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
  /** The state commitment of its `state` extension line, if it has one (ADR 0020). */
  readonly state: Uint8Array | null;
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
  const extensions = rest.filter((line) => line !== '');
  if (!origin || !sizeText || !rootText || rest.at(-1) !== '' || extensions.length > 1) {
    throw new Error(
      'the checkpoint body must be origin, size and root on three lines (and at most a state line)',
    );
  }
  let state: Uint8Array | null = null;
  if (extensions.length === 1) {
    const text = extensions[0]!;
    const bytes = Buffer.from(text.slice(STATE_LINE.length), 'base64');
    if (
      !text.startsWith(STATE_LINE) ||
      bytes.length !== 32 ||
      toBase64(bytes) !== text.slice(STATE_LINE.length)
    )
      throw new Error('the checkpoint has a line that is not a base64 state commitment');
    state = new Uint8Array(bytes);
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
    state,
    body: utf8(bodyText),
    signatures,
  };
}
