import { bytesEqual } from '../crypto/hash.ts';
import { verifySignature } from '../crypto/keys.ts';
import { integrityError } from '../errors.ts';
import { auditStore } from '../store/audit-store.ts';
import { dataVersion, readTransaction, type Db } from '../store/connection.ts';
import { readHeader } from '../store/header-store.ts';
import {
  STATE_TABLES,
  stateCommitment,
  stateDigestStore,
  type StateTable,
  type TableDigest,
} from '../store/state-digest.ts';
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
export function stateProblem(
  db: Db,
  committed: Uint8Array,
  recomputed: readonly TableDigest[] = stateDigestStore.recompute(db),
): StateProblem | undefined {
  const stored = stateDigestStore.stored(db);
  for (const actual of recomputed) {
    const expected = stored.find((digest) => digest.table === actual.table)!;
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
 * The state check, at unlock before anything is sealed or written and in `audit verify`: from the
 * header's `state_since` on, the latest checkpoint must commit to the state and be signed by a
 * member (`signerKey`: at unlock, a current member of the chain), and the rows must be what it
 * commits to. A vault not yet upgraded to format 7 (no `state_since`) passes: its first unlock
 * makes the first commitment. Nobody without K_vault can clear `state_since`, which the header
 * MAC covers. Everything is read in one read transaction, so a writer in another process cannot
 * make the rows, the digests and the checkpoint disagree by landing between the reads.
 */
export function committedStateProblem(
  db: Db,
  signerKey: (memberId: string) => Uint8Array | undefined,
  precomputed?: PrecomputedState,
  tables: readonly StateTable[] = STATE_TABLES,
  recompute: Recompute = (from, which) => stateDigestStore.recompute(from, which),
): StateProblem | undefined {
  return readTransaction(db, () => {
    const header = readHeader(db);
    const since = header?.state_since;
    if (!header || since == null || !stateDigestStore.exists(db)) return undefined;
    const latest = auditStore.latestCheckpoint(db);
    if (!latest || latest.size < since || !latest.state) {
      return {
        where: 'audit_checkpoints',
        problem: `end before a checkpoint that commits to the vault's state (every one from size ${since} must): the trail was cut back`,
      };
    }
    const key = signerKey(latest.signer_id);
    const body = checkpointBody(header.vault_id, latest.size, latest.root, latest.state);
    if (!key || !verifySignature(key, body, latest.signature)) {
      return {
        where: `audit_checkpoints row ${latest.size}`,
        problem: 'is not signed by a member of the signed membership chain',
      };
    }
    // Digests computed earlier stand only if no other connection has written since: the file's
    // data_version says so, the server has nothing that does (its operator can edit rows and
    // leave any counter as it was, ADR 0031), so a server vault's rows are always read again.
    const fresh =
      db.dialect !== 'postgres' && precomputed?.dataVersion === dataVersion(db)
        ? precomputed.digests
        : undefined;
    return stateProblem(db, latest.state, fresh ?? recompute(db, tables));
  });
}

/**
 * How the check gets the tables' digests from their rows: every row read again (the default, as
 * `audit verify` and every unlock do), or a server session's reading only what moved (ADR 0034).
 */
export type Recompute = (db: Db, tables: readonly StateTable[]) => readonly TableDigest[];

/** Every state table's digest from its rows, and the data_version they were read at. */
export interface PrecomputedState {
  readonly digests: readonly TableDigest[];
  readonly dataVersion: number;
}

/**
 * The state digests from the rows, ahead of the check (at unlock, while the key derivation runs
 * on its own thread): one read transaction, so they are one snapshot; the check uses them only if
 * the file has not changed since. Undefined for a vault from before format 7.
 */
export function precomputeState(
  db: Db,
  tables: readonly StateTable[] = STATE_TABLES,
): PrecomputedState | undefined {
  // Never used on a server (above): not read twice for nothing.
  if (db.dialect === 'postgres' || !stateDigestStore.exists(db)) return undefined;
  return readTransaction(db, () => ({
    dataVersion: dataVersion(db),
    digests: stateDigestStore.recompute(db, tables),
  }));
}

/**
 * The state check at unlock: an integrity error naming what does not match. `tables` are the
 * tables whose rows are recomputed (all, or a console's first-screen tables and later the rest);
 * the stored digests of every table are always held to the signed commitment.
 */
export function checkCommittedState(
  db: Db,
  signerKey: (memberId: string) => Uint8Array | undefined,
  precomputed?: PrecomputedState,
  tables: readonly StateTable[] = STATE_TABLES,
  recompute?: Recompute,
): void {
  const problem = committedStateProblem(db, signerKey, precomputed, tables, recompute);
  if (problem) throw integrityError(problem.where, problem.problem);
}
