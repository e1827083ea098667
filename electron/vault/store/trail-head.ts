import type { StoredCheckpoint } from '../audit/checkpoint.ts';
import type { ConsistencyProofs, TrailHeadSource } from '../audit/kept-checkpoint.ts';
import { consistencyProofFromFrontier, MerkleTree, type FrontierNode } from '../audit/merkle.ts';
import { auditStore } from './audit-store.ts';
import { readTransaction, type Db } from './connection.ts';

/** The vault file as a trail head source (ADR 0024): its head, its right edge and its proofs. */
export function fileTrailHead(db: Db): TrailHeadSource {
  return {
    head: () => storedHead(db),
    frontier: () => storedFrontier(db),
    snapshot: (read) => readTransaction(db, read),
    ...storedProofs(db),
  };
}

/** The vault file's latest signed checkpoint: its head, as the file shows it. */
export function storedHead(db: Db): StoredCheckpoint | undefined {
  const row = auditStore.latestCheckpoint(db);
  if (!row) return undefined;
  return {
    size: row.size,
    root: new Uint8Array(row.root),
    signerId: row.signer_id,
    signature: new Uint8Array(row.signature),
    state: row.state ? new Uint8Array(row.state) : null,
  };
}

/** The file's stored right edge of the tree (merkle_frontier), for what a workstation keeps. */
export function storedFrontier(db: Db): FrontierNode[] {
  return auditStore
    .frontier(db)
    .map((row) => ({ level: row.level, hash: new Uint8Array(row.hash) }));
}

/**
 * Consistency proofs from the file's own leaf hashes (issue 14). They are believed for nothing:
 * a proof built from altered leaves does not lead from the kept root to the signed head's. Given
 * the kept frontier, only the leaves written since are read (O(n − m)); without it, the tree of
 * the first `newSize` leaves is built whole (O(n)). A head already kept needs no proof at all.
 */
export function storedProofs(db: Db): ConsistencyProofs {
  return {
    consistencyProof: (oldSize, newSize, oldFrontier) => {
      if (oldFrontier) {
        const newer = auditStore.leavesAfter(db, oldSize, newSize);
        if (newer.length !== newSize - oldSize) return [];
        return consistencyProofFromFrontier(oldFrontier, oldSize, newer);
      }
      const leaves = auditStore.leaves(db, newSize);
      // A head claiming more entries than the file holds has no proof: the check then fails.
      if (leaves.length !== newSize) return [];
      return new MerkleTree(leaves).consistencyProof(oldSize, newSize);
    },
  };
}
