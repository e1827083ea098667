import type { AuditDetails, AuditKind } from '../../../shared/domain/audit.ts';
import type { SigningKeyPair } from '../crypto/keys.ts';
import { sign } from '../crypto/keys.ts';
import { bytesEqual } from '../crypto/hash.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { auditStore } from '../store/audit-store.ts';
import { writeTransaction, type ReadableDb, type WritableDb } from '../store/connection.ts';
import { sealAuditDetails } from '../store/audit-entry-codec.ts';
import { readHeader } from '../store/header-store.ts';
import { stateCommitment, stateDigestStore } from '../store/state-digest.ts';
import { keepDashboardSummary } from '../store/dashboard-summary.ts';
import { integrityError } from '../errors.ts';
import { checkpointBody } from './checkpoint.ts';
import { entryLeafHash, LEAF_SALT } from './entry.ts';
import { randomId } from '../crypto/random.ts';
import { Frontier } from './merkle.ts';

export interface AuditActor {
  readonly memberId: string;
  readonly signing: SigningKeyPair;
}

export interface NewAuditEntry {
  readonly kind: AuditKind;
  readonly account?: string | null;
  readonly details?: AuditDetails;
}

/** Who writes a transaction's entries, and what with: the trail's vault id, K_vault, the actor. */
export interface AuditTrail {
  readonly vaultId: string;
  /** K_vault, or how to read it at each append (a key epoch replaces it mid-write). */
  readonly vaultKey: SecretBytes | (() => SecretBytes);
  readonly actor: AuditActor;
}

/**
 * The one way to write to the vault: `change` runs in one IMMEDIATE transaction with the only
 * writable handle there is, and `audit` appends its entries (all stamped `now`) to the same
 * transaction, which ends with a checkpoint signed by the actor. No change without its entry
 * (DESIGN.md, audit trail); the compiler holds every store write to this (store/connection.ts).
 */
export function auditedTransaction<T>(
  db: ReadableDb,
  trail: AuditTrail,
  now: string,
  change: (db: WritableDb, audit: (entry: NewAuditEntry) => number) => T,
): T {
  // The tracking ends only once the transaction (or the savepoint, for a write inside a write)
  // has ended: on a server a savepoint's held statements go with its RELEASE (ADR 0034), so a
  // change can still fail after `change` returned, and the digests it wrote must then be read
  // again, not kept as this write's own (they were rolled back with it).
  stateDigestStore.beginTracking(db);
  let kept = false;
  let audited = false;
  try {
    const result = writeTransaction(db, (writable) => {
      const appender = new AuditAppender(writable, trail.vaultId, trail.vaultKey, trail.actor);
      const result = change(writable, (entry) => appender.append(entry, now));
      // The first screen's summary moves with the change it summarises, under the key the change
      // ended with, before the checkpoint signs the state (issue 17; ADR 0027).
      if (appender.appended > 0) keepDashboardSummary(writable, appender.vaultKey(), now);
      appender.finish();
      audited = appender.appended > 0;
      return result;
    });
    kept = true;
    return result;
  } finally {
    stateDigestStore.endTracking(db, kept, audited);
  }
}

/**
 * Appends entries inside one write transaction and, at its end, signs one checkpoint over the new
 * tree. Created per transaction: it reads the frontier inside the transaction, so two processes
 * can never extend the tree from the same state.
 */
class AuditAppender {
  readonly #db: WritableDb;
  readonly #vaultId: string;
  readonly #vaultKey: () => SecretBytes;
  readonly #actor: AuditActor;
  readonly #frontier: Frontier;
  #nextSeq: number;
  #appended = 0;

  /** `vaultKey` may be a function: read at each append, as a new key epoch replaces it mid-write. */
  constructor(
    db: WritableDb,
    vaultId: string,
    vaultKey: SecretBytes | (() => SecretBytes),
    actor: AuditActor,
  ) {
    this.#db = db;
    this.#vaultId = vaultId;
    this.#vaultKey = typeof vaultKey === 'function' ? vaultKey : () => vaultKey;
    this.#actor = actor;
    this.#frontier = new Frontier(
      auditStore.frontier(db).map((row) => ({ level: row.level, hash: new Uint8Array(row.hash) })),
    );
    this.#nextSeq = auditStore.lastSeq(db) + 1;
    // Never extend a tree whose stored right edge disagrees with the trail's length.
    if (this.#frontier.size !== this.#nextSeq - 1) throw integrityError('merkle_frontier');
    const latest = auditStore.latestCheckpoint(db);
    if (
      latest &&
      (latest.size !== this.#frontier.size || !bytesEqual(latest.root, this.#frontier.root()))
    ) {
      throw integrityError(
        `audit_checkpoints row ${latest.size}`,
        'does not match merkle_frontier',
      );
    }
  }

  /** How many entries this transaction has appended so far. */
  get appended(): number {
    return this.#appended;
  }

  /** K_vault as it stands now (a key epoch replaces it part-way through a write). */
  vaultKey(): SecretBytes {
    return this.#vaultKey();
  }

  append(entry: NewAuditEntry, at: string): number {
    const seq = this.#nextSeq;
    // A fresh salt in every entry, so its clear leaf hash confirms no guess at its details.
    const details = { ...entry.details, [LEAF_SALT]: randomId() };
    const account = entry.account ?? null;
    const leaf = entryLeafHash({
      seq,
      at,
      kind: entry.kind,
      actor: this.#actor.memberId,
      account,
      details,
    });
    const row = {
      seq,
      at,
      kind: entry.kind,
      actor_id: this.#actor.memberId,
      account_id: account,
      leaf_hash: leaf,
    };
    auditStore.insertEntry(this.#db, {
      ...row,
      leaf_hash: Buffer.from(leaf),
      sealed: sealAuditDetails(this.#vaultKey(), row, details),
    });
    this.#frontier.append(leaf);
    this.#nextSeq += 1;
    this.#appended += 1;
    return seq;
  }

  /** Sign (origin, size, root) as the acting member. Called once, at the end of the transaction. */
  finish(): void {
    if (this.#appended === 0) {
      // No change without its entry (DESIGN.md): the state digest only moves with a checkpoint.
      if (stateDigestStore.changedSinceBegin(this.#db)) {
        throw new Error('A write changed the vault without an audit entry; nothing was saved.');
      }
      return;
    }
    auditStore.replaceFrontier(this.#db, this.#frontier.nodes);
    const root = this.#frontier.root();
    const size = this.#frontier.size;
    const state = this.#committedState();
    const signature = sign(
      this.#actor.signing.secretKey,
      checkpointBody(this.#vaultId, size, root, state),
    );
    auditStore.insertCheckpoint(this.#db, {
      size,
      root: Buffer.from(root),
      signer_id: this.#actor.memberId,
      signature: Buffer.from(signature),
      state: state ? Buffer.from(state) : null,
    });
  }

  /**
   * The state this checkpoint commits to (ADR 0020): the digests every write of this transaction
   * moved, as they stand at its end. None before the vault's first commitment (format 7).
   */
  #committedState(): Uint8Array | undefined {
    if (!stateDigestStore.exists(this.#db)) return undefined;
    if (readHeader(this.#db)?.state_since == null) return undefined;
    return stateCommitment(stateDigestStore.stored(this.#db));
  }
}
