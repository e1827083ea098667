import type { AuditDetails } from '../../../shared/domain/audit.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { verifySignature } from '../crypto/keys.ts';
import { integrityError } from '../errors.ts';
import { openAuditDetails } from '../store/audit-entry-codec.ts';
import { auditStore, type AuditEntryRow, type CheckpointRow } from '../store/audit-store.ts';
import type { Db } from '../store/connection.ts';
import { checkpointBody } from './checkpoint.ts';
import { entryLeafHash, requireKnownKind } from './entry.ts';
import { MerkleTree, verifyInclusion } from './merkle.ts';

/**
 * An entry's details as the signed trail holds them, for a decision that must not rest on state a
 * member can write (6.3: who added an app decides who may remove it). Every member holds K_vault,
 * so sealed details and the `leaf_hash` column are both theirs to rewrite; what they cannot write
 * is another member's signature. So the leaf is recomputed from the opened details (the column is
 * never read for it) and proven, RFC 6962 inclusion proof, against the root of the checkpoint that
 * added the entry: the first at or after it, which ADR 0013 holds to be signed by the entry's own
 * actor, whose key comes from the signed membership chain (`signerKey`).
 *
 * It must also be in the latest signed checkpoint (`#requireInLatest`). The proof costs one pass
 * over the leaves up to the head: decisions that need it are rare
 * (a removal), so it is paid then and not at every read.
 */
export class ProvenEntries {
  readonly #db: Db;
  readonly #vaultId: string;
  readonly #vaultKey: SecretBytes;
  readonly #signerKey: (memberId: string) => Uint8Array | undefined;
  #tree: MerkleTree | undefined;

  constructor(
    db: Db,
    vault: { id: string; key: SecretBytes },
    signerKey: (memberId: string) => Uint8Array | undefined,
  ) {
    this.#db = db;
    this.#vaultId = vault.id;
    this.#vaultKey = vault.key;
    this.#signerKey = signerKey;
  }

  /** The entry's details, or an integrity error naming the entry if the signed trail disowns them. */
  details(entry: AuditEntryRow): AuditDetails {
    const where = `audit entry #${entry.seq}`;
    const details = openAuditDetails(this.#vaultKey, entry);
    const leaf = entryLeafHash({
      seq: entry.seq,
      at: entry.at,
      kind: requireKnownKind(entry.seq, entry.kind),
      actor: entry.actor_id,
      account: entry.account_id,
      details,
    });
    const checkpoint = auditStore.checkpointCovering(this.#db, entry.seq);
    if (!checkpoint) throw integrityError(where, 'is not covered by any signed checkpoint');
    this.#requireSignedByActor(where, checkpoint, entry.actor_id);
    const index = entry.seq - 1;
    const proof = this.#treeOf(checkpoint.size).inclusionProof(index, checkpoint.size);
    if (!verifyInclusion(leaf, index, checkpoint.size, proof, new Uint8Array(checkpoint.root)))
      throw integrityError(
        where,
        `is not what the signed checkpoint at size ${checkpoint.size} holds: its details or leaf hash were rewritten`,
      );
    this.#requireInLatest(where, leaf, index);
    return details;
  }

  /**
   * And the latest signed checkpoint, the head the session held to this workstation's kept one
   * (ADR 0024), holds it too (review): a member can insert a checkpoint of their own at the entry,
   * signed over leaves they rewrote, so that it is the first covering it; they cannot make the
   * head, signed over the honest leaves, agree.
   */
  #requireInLatest(where: string, leaf: Uint8Array, index: number): void {
    const latest = auditStore.latestCheckpoint(this.#db);
    if (!latest) throw integrityError(where, 'is not covered by any signed checkpoint');
    const key = this.#signerKey(latest.signer_id);
    const body = checkpointBody(this.#vaultId, latest.size, latest.root, latest.state);
    if (!key || !verifySignature(key, body, latest.signature))
      throw integrityError(
        `audit checkpoint at size ${latest.size}`,
        'is not signed by a member of the signed chain',
      );
    const proof = this.#treeOf(latest.size).inclusionProof(index, latest.size);
    if (!verifyInclusion(leaf, index, latest.size, proof, new Uint8Array(latest.root)))
      throw integrityError(
        where,
        `is not what the latest signed checkpoint (size ${latest.size}) holds: the trail was rewritten and re-signed`,
      );
  }

  /** ADR 0013: the checkpoint that adds an entry is signed by the member who wrote it. */
  #requireSignedByActor(where: string, checkpoint: CheckpointRow, actor: string): void {
    const key = checkpoint.signer_id === actor ? this.#signerKey(actor) : undefined;
    const body = checkpointBody(this.#vaultId, checkpoint.size, checkpoint.root, checkpoint.state);
    if (!key || !verifySignature(key, body, checkpoint.signature))
      throw integrityError(
        where,
        `is not covered by a signed checkpoint of the member who wrote it (the one at size ${checkpoint.size}): the trail was rewritten and re-signed`,
      );
  }

  /** One tree for every proof this decision needs, grown only if a later checkpoint asks for more. */
  #treeOf(size: number): MerkleTree {
    if (!this.#tree || this.#tree.size < size)
      this.#tree = new MerkleTree(auditStore.leaves(this.#db, size));
    if (this.#tree.size < size)
      throw integrityError('audit_entries', `end before the checkpoint at size ${size}`);
    return this.#tree;
  }
}
