import { z } from 'zod';
import type { Role } from '../../../shared/domain/roles.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { bytesEqual, toHex } from '../crypto/hash.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { integrityError, VaultError } from '../errors.ts';
import type { SlotKey, SlotTrust } from '../keyring.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import { auditStore } from '../store/audit-store.ts';
import { chainStore } from '../store/chain-store.ts';
import type { Db } from '../store/connection.ts';
import type { HeaderRow } from '../store/header-store.ts';
import { schemaVersion } from '../store/migrate.ts';
import type { MemberRow } from '../store/member-store.ts';
import { openAuditDetails } from '../store/audit-entry-codec.ts';
import { openMember } from '../domain/member-records.ts';
import { validateChain, type ChainRow, type TrustState } from './chain.ts';
import {
  asIntegrity,
  attachTrust,
  checkExtends,
  checkHeaderTeam,
  recordHead,
} from './session-trust.ts';
import { signDefaultKdfIfUnsigned } from './default-kdf.ts';
import { CHAIN_FORMAT, checkedLegacyMembers, upgradeToChain } from './upgrade.ts';

/** What unlock learned of the chain before the session exists. */
export type UnlockTrust =
  | {
      readonly kind: 'chain';
      readonly root: Uint8Array;
      readonly state: TrustState;
      readonly role: Role;
      readonly pinned: SlotTrust | undefined;
    }
  | { readonly kind: 'upgrade'; readonly role: 'lead' };

/**
 * Decide, before anything is written, whom this unlock trusts (ADR 0010): validate the chain from
 * the root pinned in the member's slot (or, for a slot from before format 5, the chain's genesis
 * if today's certificates vouch for its signer), check the chain is not shorter than what the slot
 * or the trail saw, and that the member's row, role and the header's team key are the chain's.
 */
export function establishTrust(
  db: Db,
  header: HeaderRow,
  member: MemberRow,
  slotTrust: SlotTrust | undefined,
  vaultKey: SecretBytes,
): UnlockTrust {
  const rows = schemaVersion(db) >= CHAIN_FORMAT ? chainStore.all(db, vaultKey) : [];
  if (rows.length === 0) {
    if (slotTrust) {
      throw integrityError(
        'membership_chain',
        `is empty, but your key slot saw statement #${slotTrust.head.seq}`,
      );
    }
    if (openMember(vaultKey, member).role !== 'lead') {
      throw new VaultError(
        ErrorCode.FORBIDDEN,
        'This vault is from before signed membership (format 4): a lead must unlock it once to sign its members, grants and team key. Ask a lead to unlock it, then try again. Nothing was changed.',
      );
    }
    return { kind: 'upgrade', role: 'lead' };
  }
  const root = slotTrust?.root ?? firstUseRoot(db, header, rows[0]!, vaultKey);
  const state = asIntegrity(() => validateChain(root, header.vault_id, rows));
  if (slotTrust) checkExtends(rows, slotTrust.head, 'your key slot');
  checkTrailNamesHead(db, vaultKey, state);
  const role = checkMemberRow(member, openMember(vaultKey, member).role, state);
  checkHeaderTeam(header, state);
  return { kind: 'chain', root, state, role, pinned: slotTrust };
}

/**
 * Trust on first use, for a slot sealed before format 5: the genesis signer's key, provided the
 * format-4 certificates vouch for that member as a lead certified back to the founder.
 */
function firstUseRoot(
  db: Db,
  header: HeaderRow,
  genesis: ChainRow,
  vaultKey: SecretBytes,
): Uint8Array {
  const parsed = z
    .object({ member: z.string(), signPublicKey: z.hex().length(64) })
    .safeParse(safeJson(genesis.statement));
  if (!parsed.success) throw integrityError('membership_chain statement #1', 'is not readable');
  const rows = checkedLegacyMembers(db, header, vaultKey, parsed.data.member);
  const signer = rows.get(parsed.data.member);
  const key = new Uint8Array(Buffer.from(parsed.data.signPublicKey, 'hex'));
  if (
    signer?.role !== 'lead' ||
    signer.removed_at !== null ||
    !bytesEqual(signer.sign_public_key, key)
  ) {
    throw integrityError(
      'membership_chain statement #1',
      'is not signed by a current lead the certificates vouch for',
    );
  }
  return key;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const statementEntrySchema = z.object({ seq: z.number(), hash: z.string() });

/**
 * The trail records every statement in the same transaction as the statement itself: its last
 * `chain.statement` entry must name the chain's head. Catches a chain cut back by someone who did
 * not also rewrite the trail (issue 13, attack 6, is what stops that rewrite).
 */
function checkTrailNamesHead(db: Db, vaultKey: SecretBytes, state: TrustState): void {
  const entry = auditStore.lastEntryOfKind(db, 'chain.statement');
  const details = entry
    ? statementEntrySchema.safeParse(openAuditDetails(vaultKey, entry))
    : undefined;
  if (
    !details?.success ||
    details.data.seq !== state.head.seq ||
    details.data.hash !== toHex(state.head.hash)
  ) {
    throw integrityError(
      'membership_chain',
      "does not end where the audit trail's last chain statement says it does",
    );
  }
}

/** The unlocking member's row must be a current member of the chain, with its role and keys. */
function checkMemberRow(member: MemberRow, rowRole: Role, state: TrustState): Role {
  const where = `members row ${member.id}`;
  if (state.removed.has(member.id)) {
    throw integrityError(where, 'is of a member the signed membership chain records as removed');
  }
  const held = state.members.get(member.id);
  if (!held) throw integrityError(where, 'is not in the signed membership chain');
  if (
    held.role !== rowRole ||
    !bytesEqual(held.certifiedBoxPublicKey, member.box_public_key) ||
    !bytesEqual(held.signPublicKey, member.sign_public_key)
  ) {
    throw integrityError(where, 'differs from the signed membership chain');
  }
  return held.role;
}

/**
 * Inside the unlock's write: attach the chain to the session (upgrading a format-4 vault first if
 * a lead is unlocking it) and record the head in the member's slot if it moved.
 */
export function startSessionTrust(
  session: VaultSession,
  context: WriteContext,
  trust: UnlockTrust,
  header: HeaderRow,
  slot: SlotKey,
): void {
  if (trust.kind === 'upgrade') {
    upgradeToChain(session, context, header, slot);
    // A lead's unlock signs the default key derivation if no lead has yet (ADR 0030); the
    // statement's write records the new head in the slot.
    if (!signDefaultKdfIfUnsigned(session, context)) recordHead(session, context.db);
    return;
  }
  attachTrust(session, { root: trust.root, state: trust.state, slot });
  if (signDefaultKdfIfUnsigned(session, context)) return;
  const pinned = trust.pinned;
  if (
    !pinned ||
    pinned.head.seq !== trust.state.head.seq ||
    !bytesEqual(pinned.head.hash, trust.state.head.hash)
  ) {
    recordHead(session, context.db);
  }
}
