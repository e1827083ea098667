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
  let open = openAppenders.get(db);
  if (!open) openAppenders.set(db, (open = []));
  const outer = open.at(-1);
  let kept = false;
  let audited = false;
  try {
    const { result, appender } = writeTransaction(db, (writable) => {
      // A write inside a write goes on from the trail of the one around it, whose entries are not
      // in the rows' right edge until it signs: read from the rows, the edge looked tampered with.
      const current = new AuditAppender(
        writable,
        trail.vaultId,
        trail.vaultKey,
        trail.actor,
        outer,
      );
      open.push(current);
      try {
        const result = change(writable, (entry) => current.append(entry, now));
        // The first screen's summary moves with the change it summarises, under the key the change
        // ended with, before the checkpoint signs the state (issue 17; ADR 0027).
        if (current.signs) keepDashboardSummary(writable, current.vaultKey(), now);
        current.finish();
        return { result, appender: current };
      } finally {
        open.pop();
      }
    });
    kept = true;
    audited = appender.appended > 0;
    // Its savepoint held: the write around it goes on from the trail it left.
    if (outer && audited) outer.continueFrom(appender);
    return result;
  } finally {
    stateDigestStore.endTracking(db, kept, audited);
  }
}

const changedWithoutEntry = () =>
  new Error('A write changed the vault without an audit entry; nothing was saved.');

/** Each connection's open audited writes, innermost last (a write inside a write, a savepoint). */
const openAppenders = new WeakMap<ReadableDb, AuditAppender[]>();

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
  #frontier: Frontier;
  #nextSeq: number;
  #appended = 0;
  /** Entries of this transaction no checkpoint has signed yet (a write around this one's too). */
  #unsigned = 0;
  /** The state the last checkpoint this transaction wrote commits to (a write inside signed it). */
  #signedState: Uint8Array | undefined;

  /**
   * `vaultKey` may be a function: read at each append, as a new key epoch replaces it mid-write.
   * `outer`: the write around this one (a savepoint of it), whose trail this one goes on from.
   */
  constructor(
    db: WritableDb,
    vaultId: string,
    vaultKey: SecretBytes | (() => SecretBytes),
    actor: AuditActor,
    outer?: AuditAppender,
  ) {
    this.#db = db;
    this.#vaultId = vaultId;
    this.#vaultKey = typeof vaultKey === 'function' ? vaultKey : () => vaultKey;
    this.#actor = actor;
    if (outer) {
      // Checked when the outer write began, and extended only by this transaction since.
      this.#frontier = new Frontier(outer.#frontier.nodes);
      this.#nextSeq = outer.#nextSeq;
      this.#unsigned = outer.#unsigned;
      this.#signedState = outer.#signedState;
      return;
    }
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

  /** Whether `finish` signs a checkpoint: this write appended entries not yet signed. */
  get signs(): boolean {
    return this.#appended > 0 && this.#unsigned > 0;
  }

  /** A write inside this one ended and kept its entries: go on from the trail it left. */
  continueFrom(inner: AuditAppender): void {
    this.#frontier = inner.#frontier;
    this.#nextSeq = inner.#nextSeq;
    this.#unsigned = inner.#unsigned;
    this.#signedState = inner.#signedState;
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
    this.#unsigned += 1;
    return seq;
  }

  /** Sign (origin, size, root) as the acting member. Called once, at the end of the transaction. */
  finish(): void {
    if (this.#appended === 0) {
      // No change without its entry (DESIGN.md): the state digest only moves with a checkpoint.
      if (stateDigestStore.changedSinceBegin(this.#db)) throw changedWithoutEntry();
      return;
    }
    if (this.#unsigned === 0) {
      // A write inside this one signed all of this one's entries: nothing is left to sign, and
      // a change made since, with no entry after it, would go unsigned.
      const state = this.#committedState();
      if (state && this.#signedState && !bytesEqual(state, this.#signedState)) {
        throw changedWithoutEntry();
      }
      return;
    }
    auditStore.replaceFrontier(this.#db, this.#frontier.nodes);
    const root = this.#frontier.root();
    const size = this.#frontier.size;
    const state = this.#committedState();
    this.#unsigned = 0;
    this.#signedState = state;
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
