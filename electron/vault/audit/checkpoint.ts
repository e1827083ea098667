import { toBase64, utf8 } from '../crypto/hash.ts';
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
