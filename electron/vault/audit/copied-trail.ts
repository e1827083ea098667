import { BatchOpener } from '../crypto/batch-open.ts';
import { bytesEqual } from '../crypto/hash.ts';
import { verifySignature } from '../crypto/keys.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { VaultError } from '../errors.ts';
import { openAuditDetailsWith } from '../store/audit-entry-codec.ts';
import { auditStore, type CheckpointRow } from '../store/audit-store.ts';
import type { Db } from '../store/connection.ts';
import { checkpointBody } from './checkpoint.ts';
import { entryLeafHash, knownKind } from './entry.ts';
import { Frontier } from './merkle.ts';
import type { StateProblem } from './state-check.ts';

/** What a copy's trail must come to: the head the source verified to, and who may have signed. */
export interface VerifiedTrail {
  readonly vaultId: string;
  /** K_vault, to open every entry's details (its leaf is the hash of the entry in clear). */
  readonly vaultKey: SecretBytes;
  /** A member's signing key by id, current or removed, from the validated chain. */
  readonly signerKey: (memberId: string) => Uint8Array | undefined;
  /** The signed head the source's full verification passed at. */
  readonly verified: { readonly size: number; readonly root: Uint8Array };
}

/**
 * The trail of a vault copy, checked on the copy itself (issue 14 review, ADR 0032): the source
 * was verified, then snapshotted, and whoever can write the source (another workstation, the
 * server's operator, an insider with sqlite3) could change an entry in between. So every entry of
 * the copy is opened with K_vault and its leaf recomputed; the leaves must be the stored ones, the
 * first `verified.size` of them must make the root the source verified to, and every checkpoint's
 * root and signature must hold for the tree under it; the stored right edge must be the tree's.
 * Synchronous, inside the copy's own transaction, before anything is put in place or committed.
 * Who may sign which checkpoint (the signer is the actor of its entries) is left to `audit verify` of the copy:
 * here a checkpoint need only be signed by a member of the chain the source validated.
 */
export function copiedTrailProblem(db: Db, expected: VerifiedTrail): StateProblem | undefined {
  const checkpoints = auditStore.checkpoints(db);
  const frontier = new Frontier();
  const opener = new BatchOpener(expected.vaultKey);
  let next = 0;
  try {
    for (const row of auditStore.iterateEntries(db)) {
      const where = `audit entry #${row.seq}`;
      if (row.seq !== frontier.size + 1) {
        return {
          where: `audit entry #${frontier.size + 1}`,
          problem: 'is missing or out of order',
        };
      }
      const kind = knownKind(row.kind);
      if (kind === undefined) return { where, problem: 'has an unknown kind' };
      let details;
      try {
        details = openAuditDetailsWith(opener, expected.vaultKey, row);
      } catch (error) {
        if (error instanceof VaultError) return { where, problem: 'does not open' };
        throw error;
      }
      const leaf = entryLeafHash({
        seq: row.seq,
        at: row.at,
        kind,
        actor: row.actor_id,
        account: row.account_id,
        details,
      });
      if (!bytesEqual(leaf, row.leaf_hash)) {
        return { where, problem: 'does not match its leaf hash (its details were changed)' };
      }
      frontier.append(leaf);
      if (frontier.size === expected.verified.size) {
        if (!bytesEqual(frontier.root(), expected.verified.root)) {
          return {
            where: `audit entries #1 to #${frontier.size}`,
            problem: 'are not the ones the source verified to (their root is another)',
          };
        }
      }
      for (; checkpoints[next]?.size === frontier.size; next += 1) {
        const problem = checkpointProblem(checkpoints[next]!, frontier.root(), expected);
        if (problem) return problem;
      }
      if (checkpoints[next] && checkpoints[next]!.size < frontier.size) {
        return {
          where: `checkpoint at size ${checkpoints[next]!.size}`,
          problem: 'is out of order',
        };
      }
    }
  } finally {
    opener.close();
  }
  if (frontier.size < expected.verified.size) {
    return {
      where: 'audit_entries',
      problem: `end at #${frontier.size}, before the #${expected.verified.size} the source verified to`,
    };
  }
  if (next < checkpoints.length) {
    return {
      where: `checkpoint at size ${checkpoints[next]!.size}`,
      problem: `covers entries that are missing (the trail has ${frontier.size})`,
    };
  }
  const stored = new Frontier(
    auditStore.frontier(db).map((node) => ({ level: node.level, hash: new Uint8Array(node.hash) })),
  );
  if (stored.size !== frontier.size || !bytesEqual(stored.root(), frontier.root())) {
    return { where: 'merkle_frontier', problem: 'does not match the entries' };
  }
  return undefined;
}

function checkpointProblem(
  checkpoint: CheckpointRow,
  root: Uint8Array,
  expected: VerifiedTrail,
): StateProblem | undefined {
  const where = `checkpoint at size ${checkpoint.size}`;
  if (!bytesEqual(checkpoint.root, root)) {
    return { where, problem: 'does not match the entries it covers' };
  }
  const key = expected.signerKey(checkpoint.signer_id);
  const body = checkpointBody(expected.vaultId, checkpoint.size, root, checkpoint.state);
  if (!key || !verifySignature(key, body, checkpoint.signature)) {
    return { where, problem: 'is not signed by a member of the signed membership chain' };
  }
  return undefined;
}
