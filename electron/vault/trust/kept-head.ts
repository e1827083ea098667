import {
  compareWithKept,
  isRefusal,
  keptCheckpointOf,
  keptHeadError,
  type HeadComparison,
} from '../audit/kept-checkpoint.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { openMember } from '../domain/member-records.ts';
import type { KeptCheckpointFolder } from '../kept-checkpoints.ts';
import type { VaultSession } from '../session.ts';
import { readTransaction, type Db } from '../store/connection.ts';
import { memberStore } from '../store/member-store.ts';
import { storedHead, storedProofs } from '../store/trail-head.ts';
import { trustedState } from './session-trust.ts';

/** What the check needs besides the file: whose signatures count, and how to name a member. */
export interface KeptHeadCheck {
  readonly folder: KeptCheckpointFolder;
  readonly vaultId: string;
  /** A current member's signing key by the signed chain; null before the chain (format 4). */
  readonly signerKey: ((memberId: string) => Uint8Array | undefined) | null;
  readonly vaultKey: SecretBytes;
  readonly now: () => string;
}

/**
 * The rollback and fork check (issue 14, ADR 0021): the vault's signed head against the checkpoint
 * this workstation kept, by a consistency proof. Refused with an integrity error naming both; if it
 * holds, the head is kept from now on (written only after it verified). Head and proof are read in
 * one snapshot. Returns how the head compared, so the first use can be said once.
 */
export function checkKeptHead(db: Db, check: KeptHeadCheck): HeadComparison['kind'] {
  const kept = check.folder.read(check.vaultId);
  const { head, comparison } = readTransaction(db, () => {
    const head = storedHead(db);
    return {
      head,
      comparison: compareWithKept({
        vaultId: check.vaultId,
        kept,
        head,
        proofs: storedProofs(db),
        signerKey: check.signerKey,
      }),
    };
  });
  if (isRefusal(comparison)) {
    throw keptHeadError(comparison, kept, head, (id) => memberNameIn(db, check.vaultKey, id));
  }
  const signerKey = head && check.signerKey?.(head.signerId);
  if (head && signerKey && comparison.kind !== 'same') {
    check.folder.keep(check.vaultId, keptCheckpointOf(check.vaultId, head, signerKey, check.now()));
  }
  return comparison.kind;
}

/**
 * Keep the session's checks going for as long as it is open: whenever another connection has
 * committed (the console's refresh, a CLI command's catch-up, a write's check inside its
 * transaction), the head is checked again against what is kept; after each of this session's own
 * commits, its head is kept. That head extends the one checked before the write by construction:
 * the write read the tree's right edge under the writer lock, after the other-writer check.
 */
export function keepCheckingHead(session: VaultSession, folder: KeptCheckpointFolder): void {
  const now = () => session.clock().toISOString();
  session.followHeadWith({
    otherWriters: () => {
      const state = trustedState(session);
      checkKeptHead(session.db, {
        folder,
        vaultId: session.vaultId,
        signerKey: (id) => state.members.get(id)?.signPublicKey,
        vaultKey: session.keys.vault,
        now,
      });
    },
    committed: () => {
      const head = storedHead(session.db);
      if (head?.signerId !== session.member.id) return;
      const kept = keptCheckpointOf(session.vaultId, head, session.keys.signing.publicKey, now());
      try {
        folder.keep(session.vaultId, kept);
      } catch {
        // The vault's write has committed: a kept file that could not be advanced stays at the
        // head checked before it, a prefix of this one, and the next check proves the rest.
      }
    },
  });
}

function memberNameIn(db: Db, vaultKey: SecretBytes, id: string): string | undefined {
  try {
    const row = memberStore.byId(db, id);
    return row ? openMember(vaultKey, row).name : undefined;
  } catch {
    return undefined;
  }
}
