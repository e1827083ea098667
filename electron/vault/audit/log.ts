import type { AuditDetails, AuditKind } from '../../../shared/domain/audit.ts';
import type { SigningKeyPair } from '../crypto/keys.ts';
import { sign } from '../crypto/keys.ts';
import { bytesEqual, toHex, utf8 } from '../crypto/hash.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { auditStore } from '../store/audit-store.ts';
import type { Db } from '../store/connection.ts';
import { sealRow } from '../store/sealed-row.ts';
import { integrityError } from '../errors.ts';
import { checkpointBody } from './checkpoint.ts';
import { entryLeafHash } from './entry.ts';
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

/**
 * The bytes associatedData() builds for an audit entry's address (keys in sorted order), written
 * out directly: it runs for every entry of a million-entry export (tests/unit/audit/log.test.ts
 * checks both agree).
 */
export function auditEntryAssociatedText(
  seq: number,
  clear: { account_id: string | null; actor_id: string; at: string; kind: string },
  leafHex: string,
): string {
  const json = JSON.stringify;
  return `{"clear":{"account_id":${json(clear.account_id)},"actor_id":${json(clear.actor_id)},"at":${json(clear.at)},"kind":${json(clear.kind)},"leaf_hash":"${leafHex}"},"custodian":1,"id":"${seq}","table":"audit_entries","version":1}`;
}

/** The sealed column's address for an audit entry: every clear column, the leaf hash included. */
export function auditEntryAddress(row: {
  seq: number;
  at: string;
  kind: string;
  actor_id: string;
  account_id: string | null;
  leaf_hash: Uint8Array;
}) {
  const clear = {
    account_id: row.account_id,
    actor_id: row.actor_id,
    at: row.at,
    kind: row.kind,
    leaf_hash: row.leaf_hash,
  };
  const encoded = utf8(auditEntryAssociatedText(row.seq, clear, toHex(row.leaf_hash)));
  return { table: 'audit_entries', id: row.seq, version: 1, clear, encoded };
}

/**
 * Appends entries inside one write transaction and, at its end, signs one checkpoint over the new
 * tree. Created per transaction: it reads the frontier inside the transaction, so two processes
 * can never extend the tree from the same state.
 */
export class AuditAppender {
  readonly #db: Db;
  readonly #vaultId: string;
  readonly #vaultKey: () => SecretBytes;
  readonly #actor: AuditActor;
  readonly #frontier: Frontier;
  #nextSeq: number;
  #appended = 0;

  /** `vaultKey` may be a function: read at each append, as a new key epoch replaces it mid-write. */
  constructor(
    db: Db,
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

  append(entry: NewAuditEntry, at: string): number {
    const seq = this.#nextSeq;
    const details = entry.details ?? {};
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
    const sealed = sealRow(this.#vaultKey(), auditEntryAddress(row), details);
    auditStore.insertEntry(this.#db, {
      ...row,
      leaf_hash: Buffer.from(leaf),
      sealed: Buffer.from(sealed),
    });
    this.#frontier.append(leaf);
    this.#nextSeq += 1;
    this.#appended += 1;
    return seq;
  }

  /** Sign (origin, size, root) as the acting member. Called once, at the end of the transaction. */
  finish(): void {
    if (this.#appended === 0) return;
    auditStore.replaceFrontier(this.#db, this.#frontier.nodes);
    const root = this.#frontier.root();
    const size = this.#frontier.size;
    const signature = sign(
      this.#actor.signing.secretKey,
      checkpointBody(this.#vaultId, size, root),
    );
    auditStore.insertCheckpoint(this.#db, {
      size,
      root: Buffer.from(root),
      signer_id: this.#actor.memberId,
      signature: Buffer.from(signature),
    });
  }
}
