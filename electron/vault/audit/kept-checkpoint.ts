import { ErrorCode } from '../../../shared/errors.ts';
import { bytesEqual, toHex } from '../crypto/hash.ts';
import { verifySignature } from '../crypto/keys.ts';
import { VaultError } from '../errors.ts';
import { checkpointBody, formatCheckpoint, type StoredCheckpoint } from './checkpoint.ts';
import { Frontier, verifyConsistency, type FrontierNode, type Hash } from './merkle.ts';

/**
 * What a workstation keeps of the last vault head it verified (issue 14, ADR 0024): public data
 * only, no key and nothing sealed. Kept outside the vault, so that whoever can write the vault
 * (a member with the file, a server operator) cannot take it back.
 */
export interface KeptCheckpoint {
  readonly size: number;
  readonly root: Hash;
  readonly signerId: string;
  /** When this workstation kept it (ISO 8601, UTC). */
  readonly keptAt: string;
  /** The signed note (C2SP tlog-checkpoint), as `verify-export --since` takes it. */
  readonly note: string;
  /**
   * The tree's right edge at this size (public hashes that give the root), so that the next proof
   * needs only the leaves written since (merkle.ts consistencyProofFromFrontier). Optional: without
   * it the store proves from all the leaves.
   */
  readonly frontier?: readonly FrontierNode[];
}

/** Where the consistency proof comes from: the store's own leaf hashes, trusted for nothing. */
export interface ConsistencyProofs {
  /**
   * RFC 6962 PROOF(oldSize, D[newSize]) over the trail as the store holds it; given the old tree's
   * frontier, from it and the leaves after oldSize alone.
   */
  consistencyProof(oldSize: number, newSize: number, oldFrontier?: readonly FrontierNode[]): Hash[];
}

/**
 * What a store shows a workstation of its trail: the SQLite file (store/trail-head.ts
 * fileTrailHead) and the PostgreSQL server to come give the same, and trust/kept-head.ts checks
 * either the same way. Nothing here is believed beyond what the signature and the proof show.
 */
export interface TrailHeadSource extends ConsistencyProofs {
  /** The latest signed checkpoint, or undefined for a trail with none. */
  head(): StoredCheckpoint | undefined;
  /** The tree's right edge at the head, kept for the next proof only if it gives the head's root. */
  frontier(): FrontierNode[];
  /** Run the reads in one snapshot of the store (a read transaction), so they agree. */
  snapshot<T>(read: () => T): T;
}

export type HeadComparison =
  /** Nothing kept for this vault on this workstation: it is trusted as it is (first use). */
  | { readonly kind: 'first-use' }
  | { readonly kind: 'same' }
  /** The head extends the kept checkpoint, proved by a consistency proof. */
  | { readonly kind: 'advanced' }
  /** The vault shows fewer entries than were kept: an older copy, or a trail cut back. */
  | { readonly kind: 'rolled-back' }
  /** The same size with another root, or a larger trail that does not extend the kept one. */
  | { readonly kind: 'forked' }
  /** The head's signature is not a current member's: nothing it claims counts. */
  | { readonly kind: 'unsigned' };

/**
 * Compare the vault's current signed head with what this workstation kept. Independent of any
 * storage: the SQLite file and the PostgreSQL server both hand in their latest checkpoint and
 * a way to prove consistency, and neither is believed beyond what the proof and signature show.
 * `signerKey` gives a current member's signing key by the signed membership chain, or is null
 * for a vault from before the chain (format 4, upgraded by this very unlock).
 */
export function compareWithKept(input: {
  readonly vaultId: string;
  readonly kept: KeptCheckpoint | undefined;
  readonly head: StoredCheckpoint | undefined;
  readonly proofs: ConsistencyProofs;
  readonly signerKey: ((memberId: string) => Uint8Array | undefined) | null;
}): HeadComparison {
  const { kept, head } = input;
  if (head && input.signerKey) {
    const key = input.signerKey(head.signerId);
    const body = checkpointBody(input.vaultId, head.size, head.root, head.state);
    if (!key || !verifySignature(key, body, head.signature)) return { kind: 'unsigned' };
  }
  if (!kept) return { kind: 'first-use' };
  if (!head || head.size < kept.size) return { kind: 'rolled-back' };
  if (head.size === kept.size) {
    return bytesEqual(head.root, kept.root) ? { kind: 'same' } : { kind: 'forked' };
  }
  let proof: Hash[];
  try {
    proof = input.proofs.consistencyProof(kept.size, head.size, kept.frontier);
  } catch (error) {
    // A store that cannot make a proof for these sizes has none: the head does not extend.
    if (error instanceof RangeError) return { kind: 'forked' };
    throw error;
  }
  return verifyConsistency(kept.size, head.size, proof, kept.root, head.root)
    ? { kind: 'advanced' }
    : { kind: 'forked' };
}

/** What a workstation keeps of a head it has just verified (or made). */
export function keptCheckpointOf(
  vaultId: string,
  head: StoredCheckpoint,
  signerPublicKey: Uint8Array,
  keptAt: string,
  frontier?: readonly FrontierNode[],
): KeptCheckpoint {
  return {
    size: head.size,
    root: head.root,
    signerId: head.signerId,
    keptAt,
    note: formatCheckpoint(vaultId, head, signerPublicKey),
    // Kept only if it is the head's: the store's right edge is believed for nothing either.
    ...(frontier && frontierGives(frontier, head.size, head.root) ? { frontier } : {}),
  };
}

/** Whether these frontier nodes make a tree of `size` leaves with this root. */
export function frontierGives(nodes: readonly FrontierNode[], size: number, root: Hash): boolean {
  const frontier = new Frontier(nodes);
  return frontier.size === size && bytesEqual(frontier.root(), root);
}

type Refusal = Extract<HeadComparison, { kind: 'rolled-back' | 'forked' | 'unsigned' }>;

/** Whether the comparison refuses the vault. */
export function isRefusal(comparison: HeadComparison): comparison is Refusal {
  return (
    comparison.kind === 'rolled-back' ||
    comparison.kind === 'forked' ||
    comparison.kind === 'unsigned'
  );
}

/**
 * The integrity error for a refusal, in plain words: what this workstation kept (size, root,
 * when, by whom), what the vault shows, and what to do. `nameOf` names a member if it can.
 */
export function keptHeadError(
  refusal: Refusal,
  kept: KeptCheckpoint | undefined,
  head: StoredCheckpoint | undefined,
  nameOf: (memberId: string) => string | undefined,
  /** Found at unlock (the vault is not opened) or by an open session's refresh (it is locked). */
  found: 'unlock' | 'refresh' = 'unlock',
): VaultError {
  const signer = (id: string) => {
    const name = nameOf(id);
    return name ? `signed by ${name}` : `signed by member ${id}`;
  };
  const keptText = kept
    ? `This workstation kept the vault's audit trail at ${kept.size} entries (root ${rootPrefix(kept.root)}…), verified ${shownTime(kept.keptAt)}, ${signer(kept.signerId)}.`
    : '';
  const shownText = head
    ? `The vault now shows ${head.size} entries (root ${rootPrefix(head.root)}…), ${signer(head.signerId)}.`
    : 'The vault now shows no audit trail at all.';
  const what = {
    'rolled-back':
      'The vault shows an older history than this workstation has seen: it was restored from an older copy or rolled back.',
    forked:
      'The vault shows a different history from the one this workstation has seen: it was rewritten, or another copy was extended separately (a fork).',
    unsigned:
      "The vault's latest checkpoint is not signed by a current member of the signed membership chain.",
  }[refusal.kind];
  return new VaultError(
    ErrorCode.INTEGRITY,
    `Integrity check failed: ${what} ${keptText} ${shownText} ${found === 'unlock' ? 'Nothing was written and the vault was not opened.' : 'Nothing more was written, and the vault was locked.'} Restore the newest copy of the vault, and report this to Information Security with both figures. If a lead restored an older backup on purpose, they run \`custodian accept-restore\` on it with the reason.`.replace(
      /\s{2,}/g,
      ' ',
    ),
  );
}

function rootPrefix(root: Hash): string {
  return toHex(root).slice(0, 12);
}

/** "2026-12-01 10:42 UTC": the minute is enough to match it against the workstation's own records. */
function shownTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'at an unknown time';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
