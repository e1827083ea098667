import {
  compareWithKept,
  isRefusal,
  keptCheckpointOf,
  keptHeadError,
  type HeadComparison,
  type KeptCheckpoint,
  type TrailHeadSource,
} from '../audit/kept-checkpoint.ts';
import type { StoredCheckpoint } from '../audit/checkpoint.ts';
import { toHex } from '../crypto/hash.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { openMember } from '../domain/member-records.ts';
import type { KeptCheckpointFolder } from '../kept-checkpoints.ts';
import type { VaultSession } from '../session.ts';
import type { Db } from '../store/connection.ts';
import { memberStore } from '../store/member-store.ts';
import { fileTrailHead } from '../store/trail-head.ts';
import { hasTrust, trustedState } from './session-trust.ts';

/** What the check needs besides the store: whose signatures count, and how to name a member. */
export interface KeptHeadCheck {
  readonly folder: KeptCheckpointFolder;
  readonly vaultId: string;
  /** A current member's signing key by the signed chain; null before the chain (format 4). */
  readonly signerKey: ((memberId: string) => Uint8Array | undefined) | null;
  /** A member's name for the refusal, if it can be told. */
  readonly nameOf: (memberId: string) => string | undefined;
  readonly now: () => string;
}

/** How the head compared; for a restore being accepted, what was kept and what is shown. */
export interface HeadCheck {
  readonly kind: HeadComparison['kind'];
  readonly kept?: KeptCheckpoint | undefined;
  readonly head?: StoredCheckpoint | undefined;
}

/**
 * The rollback and fork check (issue 14, ADR 0024): the vault's signed head against the checkpoint
 * this workstation kept, by a consistency proof. Refused with an integrity error naming both; if it
 * holds, the head is kept from now on (written only after it verified). Head and proof are read in
 * one snapshot. Returns how the head compared, so the first use can be said once.
 *
 * With `acceptRestore` (a lead restoring a backup on purpose), an older or other history is
 * returned instead of refused, and nothing is kept: the caller records the restore in the trail
 * and only then replaces the kept checkpoint. A head no current member signed is never accepted.
 */
export function checkKeptHead(
  source: TrailHeadSource,
  check: KeptHeadCheck,
  {
    acceptRestore = false,
    found = 'unlock',
  }: { acceptRestore?: boolean; found?: 'unlock' | 'refresh' } = {},
): HeadCheck {
  const kept = check.folder.read(check.vaultId);
  const { head, frontier, comparison } = source.snapshot(() => {
    const head = source.head();
    return {
      head,
      frontier: source.frontier(),
      comparison: compareWithKept({
        vaultId: check.vaultId,
        kept,
        head,
        proofs: source,
        signerKey: check.signerKey,
      }),
    };
  });
  if (isRefusal(comparison)) {
    if (acceptRestore && comparison.kind !== 'unsigned')
      return { kind: comparison.kind, kept, head };
    throw keptHeadError(comparison, kept, head, check.nameOf, found);
  }
  const signerKey = head && check.signerKey?.(head.signerId);
  if (head && signerKey && comparison.kind !== 'same') {
    check.folder.keep(
      check.vaultId,
      keptCheckpointOf(check.vaultId, head, signerKey, check.now(), frontier),
    );
  }
  return { kind: comparison.kind };
}

/** Whether the check found a restore to accept (an older or other history). */
export function isRestore(check: HeadCheck | undefined): check is HeadCheck & {
  kind: 'rolled-back' | 'forked';
} {
  return check?.kind === 'rolled-back' || check?.kind === 'forked';
}

/**
 * The audit entry's details for an accepted restore: the reason, and both checkpoints in full, so
 * the trail itself says what this workstation had seen before it was set back (the signed note
 * can be given to `verify-export --since` against an export of the copy it came from).
 */
export function restoreDetails(check: HeadCheck, reason: string): Record<string, string | number> {
  return {
    reason,
    found: check.kind,
    keptSize: check.kept?.size ?? 0,
    keptRoot: check.kept ? toHex(check.kept.root) : '',
    keptSigner: check.kept?.signerId ?? '',
    keptAt: check.kept?.keptAt ?? '',
    keptCheckpoint: check.kept?.note ?? '',
    shownSize: check.head?.size ?? 0,
    shownRoot: check.head ? toHex(check.head.root) : '',
  };
}

/**
 * Keep the session's checks going for as long as it is open: whenever another connection has
 * committed (the console's refresh, a CLI command's catch-up, a write's check inside its
 * transaction), the head is checked again against what is kept; after each of this session's own
 * commits, its head is kept. That head extends the one checked before the write by construction:
 * the write read the tree's right edge under the writer lock, after the other-writer check.
 */
export function keepCheckingHead(
  session: VaultSession,
  folder: KeptCheckpointFolder,
  signerAtUnlock?: ((memberId: string) => Uint8Array | undefined) | null,
): void {
  const now = () => session.clock().toISOString();
  session.followHeadWith({
    otherWriters: () => {
      // Inside the unlock's own write, before it attaches the chain it validated, another
      // workstation may have committed (a server vault has no writer lock; nor has a reader of a
      // file): the head is checked with the signers the unlock validated, never skipped.
      const state =
        hasTrust(session) || signerAtUnlock === undefined ? trustedState(session) : undefined;
      checkKeptHead(
        fileTrailHead(session.db),
        {
          folder,
          vaultId: session.vaultId,
          signerKey: state
            ? (id) => state.members.get(id)?.signPublicKey
            : (signerAtUnlock ?? null),
          nameOf: memberNamer(session.db, session.keys.vault),
          now,
        },
        { found: 'refresh' },
      );
    },
    committed: () => {
      try {
        const source = fileTrailHead(session.db);
        const head = source.head();
        if (head?.signerId !== session.member.id) return;
        const signing = session.keys.signing.publicKey;
        const frontier = source.frontier();
        folder.keep(
          session.vaultId,
          keptCheckpointOf(session.vaultId, head, signing, now(), frontier),
        );
      } catch {
        // The vault's write has committed: a kept file that could not be advanced stays at the
        // head checked before it, a prefix of this one, and the next check proves the rest.
      }
    },
  });
}

/** Members' names from their rows, for a refusal; a row that is gone or will not open: none. */
export function memberNamer(db: Db, vaultKey: SecretBytes): (id: string) => string | undefined {
  return (id) => {
    try {
      const row = memberStore.byId(db, id);
      return row ? openMember(vaultKey, row).name : undefined;
    } catch {
      return undefined;
    }
  };
}
