import { ErrorCode } from '../../../shared/errors.ts';
import { bytesEqual, toHex, utf8 } from '../crypto/hash.ts';
import { sign } from '../crypto/keys.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { integrityError, invalidInput, VaultError } from '../errors.ts';
import {
  sealSlotUnder,
  storedKdf,
  type SlotKey,
  type SlotLocator,
  type SlotTrust,
} from '../keyring.ts';
import type { KdfParams } from '../crypto/kdf.ts';
import { slotRow } from '../slot-lookup.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import { accountStore } from '../store/account-store.ts';
import { chainStore } from '../store/chain-store.ts';
import type { Db, WritableDb } from '../store/connection.ts';
import type { HeaderRow } from '../store/header-store.ts';
import { readHeader } from '../store/header-store.ts';
import { memberStore } from '../store/member-store.ts';
import {
  applyStatement,
  ChainProblem,
  grantHolders,
  keyFingerprint,
  nextStatement,
  statementHash,
  statementText,
  validateChain,
  type ChainMember,
  type ChainRow,
  type Statement,
  type StatementFields,
  type TrustState,
} from './chain.ts';

/**
 * The validated membership chain of an unlocked session (ADR 0010), and the slot key that lets
 * the session record each new head in the member's own key slot. Kept beside the session, not in
 * it, and wiped when it locks.
 */
export interface SessionTrust {
  readonly root: Uint8Array;
  state: TrustState;
  /** The slot's KEK, KDF text and salt as opened at unlock (or set by a passphrase change). */
  slot: SlotKey;
  stale: boolean;
}

const trusts = new WeakMap<VaultSession, SessionTrust>();

export function attachTrust(session: VaultSession, trust: Omit<SessionTrust, 'stale'>): void {
  const held: SessionTrust = { ...trust, stale: false };
  trusts.set(session, held);
  session.whenClosed(() => held.slot.kek.wipe());
}

/** Whether the session's unlock has attached its validated chain yet (it does in its first write). */
export function hasTrust(session: VaultSession): boolean {
  return trusts.has(session);
}

function trustOf(session: VaultSession): SessionTrust {
  const trust = trusts.get(session);
  if (!trust) {
    throw new VaultError(ErrorCode.INTERNAL, 'The session has no validated membership chain.');
  }
  return trust;
}

/** A chain problem as the integrity error people see: what is wrong, and where. */
export function asIntegrity<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ChainProblem) throw integrityError(error.where, error.problem);
    throw error;
  }
}

/** Whether the chain still ends where the state does (nothing appended, nothing cut). */
function chainEndsAt(db: Db, state: TrustState, vaultKey: SecretBytes): boolean {
  const last = chainStore.last(db, vaultKey);
  return (
    last !== undefined &&
    last.seq === state.head.seq &&
    bytesEqual(statementHash(last.statement), state.head.hash)
  );
}

/**
 * The chain's state for deciding who receives a key: the cached one while the chain ends where it
 * did, else validated again from the root. A chain that no longer extends what this session saw
 * (cut back while it was open) is an integrity error.
 */
export function trustedState(
  session: VaultSession,
  db: Db = session.db,
  vaultKey: SecretBytes = session.keys.vault,
): TrustState {
  const trust = trustOf(session);
  if (!trust.stale && chainEndsAt(db, trust.state, vaultKey)) return trust.state;
  const seen = trust.state.head;
  if (!trust.stale) {
    // Appended to since (another member's statements): check the link and apply only the new ones.
    const rows = chainStore.from(db, seen.seq, vaultKey);
    const first = rows[0];
    if (first?.seq !== seen.seq || !bytesEqual(statementHash(first.statement), seen.hash)) {
      throw integrityError(
        'membership_chain',
        `is shorter than, or does not extend, what this session saw (statement #${seen.seq})`,
      );
    }
    try {
      asIntegrity(() => {
        for (const row of rows.slice(1)) applyStatement(trust.state, row);
      });
    } catch (error) {
      trust.stale = true;
      throw error;
    }
    return trust.state;
  }
  const rows = chainStore.all(db, vaultKey);
  const state = asIntegrity(() => validateChain(trust.root, session.vaultId, rows));
  checkExtends(rows, seen, 'this session');
  trust.state = state;
  trust.stale = false;
  return state;
}

/** The chain has the statement at `head` with the same hash: it is not shorter, nor a fork. */
export function checkExtends(
  rows: readonly ChainRow[],
  head: SlotTrust['head'],
  seenBy: string,
): void {
  const row = rows[head.seq - 1];
  if (row?.seq !== head.seq || !bytesEqual(statementHash(row.statement), head.hash)) {
    throw integrityError(
      'membership_chain',
      `is shorter than, or does not extend, what ${seenBy} saw (statement #${head.seq})`,
    );
  }
}

/** The header's team public key and generation must be the chain's: the header MAC is under K_vault. */
export function checkHeaderTeam(header: HeaderRow, state: TrustState): void {
  if (
    header.team_generation !== state.team.generation ||
    !bytesEqual(header.team_public_key, state.team.publicKey)
  ) {
    throw integrityError('vault_header', 'names a team key the signed membership chain does not');
  }
}

/**
 * The fingerprint of the founder's key that exports' certificates chain to, for the PDF cover:
 * the chain's own record of the header's founder (their row's key is checked against it).
 */
export function founderFingerprint(session: VaultSession): string {
  const founderId = readHeader(session.db)!.founder_id;
  const state = trustedState(session);
  const founder = state.members.get(founderId) ?? state.removed.get(founderId);
  if (!founder) throw integrityError('vault_header', 'names a founder the membership chain lacks');
  return keyFingerprint(founder.signPublicKey);
}

/** The chain's root key as this session pinned it. */
export function trustRoot(session: VaultSession): Uint8Array {
  return trustOf(session).root;
}

/**
 * Whom a new account key is sealed to: the chain's team key and the current admins holding a
 * signed grant for the account, with the chain's keys. Never a holder only `account_key_wraps` or
 * `members` names (issue 13, attack 1). A granted admin whose wrap row is gone is left out too: a
 * revoke that deletes the wrap takes effect even before its `grant.ended`, and a file writer who
 * deletes a wrap can only take access away, as deleting any row already could.
 */
export function credentialRecipients(
  session: VaultSession,
  db: Db,
  accountId: string,
): {
  team: { publicKey: Uint8Array; generation: number };
  administrators: ChainMember[];
} {
  const state = trustedState(session, db);
  checkHeaderTeam(readHeader(db)!, state);
  const wrapped = new Set(accountStore.wrapsFor(db, accountId).map((wrap) => wrap.holder));
  const granted = asIntegrity(() => grantHolders(state, accountId));
  return { team: state.team, administrators: granted.filter((admin) => wrapped.has(admin.id)) };
}

/** The member, if the chain holds them as a current admin: the only members a grant may name. */
export function grantableAdministrator(session: VaultSession, memberId: string): ChainMember {
  const member = trustedState(session).members.get(memberId);
  if (member?.role !== 'admin') {
    throw invalidInput(
      'Only a current member with the role admin can be made an account administrator.',
    );
  }
  return member;
}

/** A current member as the chain holds them (role and public keys), or undefined. */
export function chainMember(session: VaultSession, memberId: string): ChainMember | undefined {
  return trustedState(session).members.get(memberId);
}

/**
 * Sign and append a statement as the acting member, inside their write transaction: validated as
 * any reader will validate it, recorded in the audit trail with its number and hash, and its head
 * written into the member's own key slot.
 */
export function appendStatement(
  session: VaultSession,
  context: WriteContext,
  fields: StatementFields,
): Statement {
  const trust = trustOf(session);
  const state = trustedState(session, context.db);
  const statement = nextStatement(state, session.member.id, context.now, fields);
  const text = statementText(statement);
  const row = {
    seq: statement.seq,
    statement: text,
    signature: sign(session.keys.signing.secretKey, utf8(text)),
  };
  try {
    applyStatement(state, row);
  } catch (error) {
    trust.stale = true;
    if (error instanceof ChainProblem) {
      throw new VaultError(ErrorCode.FORBIDDEN, `Not permitted: this ${error.problem}.`);
    }
    throw error;
  }
  // If the transaction rolls back, the chain no longer ends at the state's head: revalidated then.
  chainStore.append(context.db, session.keys.vault, row);
  recordStatement(context, row, statement);
  recordHead(session, context.db);
  return statement;
}

/** The audit entry for a statement: its number, hash and kind, in the same transaction. */
export function recordStatement(
  context: Pick<WriteContext, 'audit'>,
  row: ChainRow,
  statement: Statement,
): void {
  const account = 'account' in statement ? statement.account : null;
  context.audit({
    kind: 'chain.statement',
    account,
    details: {
      seq: row.seq,
      hash: toHex(statementHash(row.statement)),
      statement: statement.kind,
      ...('member' in statement ? { member: statement.member } : {}),
      ...('role' in statement ? { role: statement.role } : {}),
      ...('teamGeneration' in statement ? { teamGeneration: statement.teamGeneration } : {}),
      ...('epoch' in statement ? { epoch: statement.epoch } : {}),
    },
  });
}

/** Re-seal the acting member's slot with the chain head as they now know it. */
export function recordHead(session: VaultSession, db: WritableDb): void {
  const trust = trustOf(session);
  const current = memberStore.slot(db, session.member.id);
  if (!current) throw integrityError(`key_slots row ${session.member.id}`, 'is missing');
  const sealed = sealSlotUnder(
    trust.slot.kek,
    session.member.id,
    session.keys,
    { ...locatorOf(trust.slot), kdf: trust.slot.kdf, version: current.version + 1 },
    { root: trust.root, head: trust.state.head },
  );
  memberStore.upsertSlot(db, slotRow(session.member.id, sealed));
}

/** Only the locator of a slot key: never the KEK spread into a row. */
function locatorOf(key: SlotKey): SlotLocator {
  return key.salt !== null
    ? { salt: key.salt, lookupTag: null }
    : { salt: null, lookupTag: key.lookupTag };
}

/**
 * Inside a passphrase change's write: from here on the slot is sealed under the new passphrase's
 * KEK and salt. The old KEK is zeroed once the write commits; if it rolls back, it is kept and the
 * new one zeroed.
 */
export function replaceSlotKeyInWrite(session: VaultSession, slot: SlotKey): void {
  const trust = trustOf(session);
  const previous = trust.slot;
  trust.slot = slot;
  session.onWriteEnd({
    commit: () => previous.kek.wipe(),
    rollback: () => {
      trust.slot = previous;
      slot.kek.wipe();
    },
  });
}

/**
 * The key-derivation parameters of this member's own slot, as their passphrase opened it at
 * unlock: unlike the header's default (under a MAC every member can make), nobody without their
 * passphrase can have chosen them.
 */
export function ownSlotKdf(session: VaultSession): KdfParams {
  return storedKdf(trustOf(session).slot.kdf, `key_slots row ${session.member.id}`);
}

/** What a new slot pins: the session's root and the chain head as it stands. */
export function slotTrustFor(session: VaultSession): SlotTrust {
  const state = trustedState(session);
  return { root: trustOf(session).root, head: state.head };
}

/** The chain's current grants of an account, for a revoke to end (grant.ended). */
export function endGrant(
  session: VaultSession,
  context: WriteContext,
  accountId: string,
  memberId: string,
): void {
  if (!trustedState(session, context.db).grants.get(accountId)?.has(memberId)) return;
  appendStatement(session, context, { kind: 'grant.ended', account: accountId, member: memberId });
}

/** Record a grant (grant.added) unless the chain already holds it. */
export function recordGrant(
  session: VaultSession,
  context: WriteContext,
  accountId: string,
  memberId: string,
): void {
  if (trustedState(session, context.db).grants.get(accountId)?.has(memberId)) return;
  appendStatement(session, context, { kind: 'grant.added', account: accountId, member: memberId });
}
