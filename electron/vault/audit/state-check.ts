import { bytesEqual } from '../crypto/hash.ts';
import { verifySignature } from '../crypto/keys.ts';
import { integrityError } from '../errors.ts';
import { auditStore } from '../store/audit-store.ts';
import type { Db } from '../store/connection.ts';
import type { HeaderRow } from '../store/header-store.ts';
import { stateCommitment, stateDigestStore } from '../store/state-digest.ts';
import { checkpointBody } from './checkpoint.ts';

/** What is wrong with the state against a signed commitment: where, and what. */
export interface StateProblem {
  readonly where: string;
  readonly problem: string;
}

/**
 * Recompute every state table's digest from its rows (one pass) and compare it with the stored
 * digests, then the stored digests with the commitment a signed checkpoint holds (ADR 0020). A
 * table whose rows were deleted, inserted, restored or rolled back is named; if the stored digests
 * were changed to match, the commitment gives them away (then `state_digests` is named).
 */
export function stateProblem(db: Db, committed: Uint8Array): StateProblem | undefined {
  const stored = stateDigestStore.stored(db);
  const recomputed = stateDigestStore.recompute(db);
  for (const [index, actual] of recomputed.entries()) {
    const expected = stored[index]!;
    if (actual.rows !== expected.rows || !bytesEqual(actual.digest, expected.digest)) {
      return {
        where: `the ${actual.table} table`,
        problem: `does not match the state the latest signed checkpoint commits to (${actual.rows} rows where ${expected.rows} were written): a row was deleted, inserted, restored or rolled back`,
      };
    }
  }
  if (!bytesEqual(stateCommitment(stored), committed)) {
    return {
      where: 'state_digests',
      problem: 'does not match the state the latest signed checkpoint commits to',
    };
  }
  return undefined;
}

/**
 * The state check at unlock, before anything is sealed or written: from the header's
 * `state_since` on, the latest checkpoint must commit to the state, be signed by a member of the
 * chain (`signerKey`), and the rows must be what it commits to. A vault not yet upgraded to
 * format 7 (no `state_since`) passes: its first unlock makes the first commitment. Nobody without
 * K_vault can clear `state_since`, which the header MAC covers.
 */
export function checkCommittedState(
  db: Db,
  header: HeaderRow,
  signerKey: (memberId: string) => Uint8Array | undefined,
): void {
  const since = header.state_since;
  if (since == null || !stateDigestStore.exists(db)) return;
  const latest = auditStore.latestCheckpoint(db);
  if (!latest || latest.size < since || !latest.state) {
    throw integrityError(
      'audit_checkpoints',
      `end before a checkpoint that commits to the vault's state (every one from size ${since} must): the trail was cut back`,
    );
  }
  const key = signerKey(latest.signer_id);
  const body = checkpointBody(header.vault_id, latest.size, latest.root, latest.state);
  if (!key || !verifySignature(key, body, latest.signature)) {
    throw integrityError(
      `audit_checkpoints row ${latest.size}`,
      'is not signed by a member of the signed membership chain',
    );
  }
  const problem = stateProblem(db, latest.state);
  if (problem) throw integrityError(problem.where, problem.problem);
}
