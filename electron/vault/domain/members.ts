import type { Role } from '../../../shared/domain/roles.ts';
import {
  decoyTeamGrant,
  openAccountKeyWrap,
  wrapAccountKey,
  wrapTeamSecretKey,
} from '../store/key-wrap-codec.ts';
import { holdsTeamKey, mayReadCredentials } from '../../../shared/domain/roles.ts';
import { bytesEqual, toHex } from '../crypto/hash.ts';
import { newBoxKeyPair, type BoxKeyPair } from '../crypto/keys.ts';
import { randomId } from '../crypto/random.ts';
import { ConflictError, invalidInput, notFound, VaultError } from '../errors.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { newBoxKeyPair as newMemberBoxKeyPair, newSigningKeyPair } from '../crypto/keys.ts';
import {
  headerMac,
  memberNameTagUnder,
  nameBoundSlotKey,
  sealSlot,
  signCertificate,
} from '../keyring.ts';
import { kdfForNewSlot } from '../trust/default-kdf.ts';
import { grantVaultKeysTo, startEpoch } from '../trust/epoch.ts';
import {
  appendStatement,
  replaceSlotKeyInWrite,
  slotTrustFor,
  trustedState,
} from '../trust/session-trust.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import { accountStore } from '../store/account-store.ts';
import { readHeader, updateTeamKey, type HeaderRow } from '../store/header-store.ts';
import { memberStore, type MemberRow } from '../store/member-store.ts';
import { parseMemberName } from '../vault.ts';
import { checkNewPassphrase } from './new-passphrase.ts';
import { memberRow, openMember, sealMember } from './member-records.ts';
import { raiseRotationDue } from './rotation-due.ts';
import { slotRow } from '../slot-lookup.ts';
import { relabelAll } from './reuse-relabel.ts';

export interface MemberView {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly certifiedBy: string;
  readonly addedAt: string;
  readonly removedAt: string | null;
}

function header(session: VaultSession): HeaderRow {
  const row = readHeader(session.db);
  if (!row) throw new VaultError(ErrorCode.INTEGRITY, 'The vault header is missing.');
  return row;
}

export function listMembers(session: VaultSession): MemberView[] {
  return memberStore.all(session.db).map((row) => {
    const profile = openMember(session.keys.vault, row);
    return {
      id: row.id,
      name: profile.name,
      role: profile.role,
      certifiedBy: profile.certifiedBy,
      addedAt: profile.certifiedAt,
      removedAt: row.removed_at,
    };
  });
}

export function findMemberByName(session: VaultSession, name: string): MemberRow {
  const row = memberStore.byNameTag(session.db, memberNameTagUnder(session.keys.vault, name));
  if (!row)
    throw notFound(
      `No current member is named "${name}". List members with \`custodian member list\`.`,
    );
  return row;
}

/**
 * Add a member (the lead asks: members.add). The lead certifies the new member's public keys with their own
 * signing key; lead and dmt members also receive the team key, sealed to their X25519 key.
 * A `security` member gets K_vault only: nothing that opens a credential.
 */
export async function addMember(
  session: VaultSession,
  input: { name: string; role: Role; passphrase: string },
): Promise<MemberView> {
  const name = parseMemberName(input.name);
  checkNewPassphrase(input.passphrase, [name]);
  const head = header(session);
  const nameTag = memberNameTagUnder(session.keys.vault, name);
  if (memberStore.byNameTag(session.db, nameTag)) {
    throw invalidInput(`A member named "${name}" already exists; choose another name.`);
  }
  const id = randomId();
  // The new member's own key pairs are fresh; K_vault reaches them by a grant (ADR 0019).
  const keys = { box: newMemberBoxKeyPair(), signing: newSigningKeyPair() };
  try {
    // The default a lead signed (the header's copy is under a MAC every member can make; issue 13,
    // attack 10; ADR 0030), and never weaker than the adding lead's own slot.
    const kdf = kdfForNewSlot(session);
    // The new slot pins the adder's validated root and the chain as it stands (ADR 0010).
    const owner = { nameSalt: head.name_salt, name, passphrase: input.passphrase };
    const slot = await sealSlot(id, keys, owner, kdf, 1, slotTrustFor(session));
    return session.write((context) => {
      const { db, now, audit } = context;
      if (memberStore.byNameTag(db, nameTag)) {
        throw invalidInput(`A member named "${name}" already exists; choose another name.`);
      }
      const certificate = signCertificate(session.keys.signing, {
        vault: session.vaultId,
        member: id,
        role: input.role,
        boxPublicKey: keys.box.publicKey,
        signPublicKey: keys.signing.publicKey,
        certifiedBy: session.member.id,
        certifiedAt: now,
      });
      // The role and certificate are sealed with the name (ADR 0028): nothing clear tells them.
      memberStore.insert(
        db,
        memberRow(
          session.keys.vault,
          {
            id,
            name_tag: Buffer.from(nameTag),
            box_public_key: Buffer.from(keys.box.publicKey),
            sign_public_key: Buffer.from(keys.signing.publicKey),
            removed_at: null,
            version: 1,
          },
          {
            name,
            role: input.role,
            certifiedBy: session.member.id,
            certifiedAt: now,
            certificate: toHex(certificate),
          },
        ),
      );
      memberStore.upsertSlot(db, slotRow(id, slot));
      appendStatement(session, context, {
        kind: 'member.added',
        member: id,
        role: input.role,
        boxPublicKey: toHex(keys.box.publicKey),
        signPublicKey: toHex(keys.signing.publicKey),
      });
      grantVaultKeysTo(session, db, id, keys.box.publicKey);
      const team = session.team;
      if (!team) throw new VaultError(ErrorCode.INTERNAL, 'The lead session has no team key.');
      memberStore.upsertTeamGrant(db, {
        member_id: id,
        generation: readHeader(db)!.team_generation,
        sealed_box: teamGrantFor(input.role, keys.box.publicKey, team),
      });
      audit({ kind: 'member.added', details: { member: id, name, role: input.role } });
      return {
        id,
        name,
        role: input.role,
        certifiedBy: session.member.id,
        addedAt: now,
        removedAt: null,
      };
    });
  } finally {
    keys.box.secretKey.wipe();
    keys.signing.secretKey.wipe();
  }
}

/**
 * Remove a member (the lead asks: members.remove). They knew the passwords they could read, so every such account is
 * marked rotation due (policy 10.2). A leaver who held the team key also forces a new team key,
 * so nothing sealed from now on opens with a key they may have kept.
 */
export function removeMember(session: VaultSession, name: string): { accountsMarked: number } {
  const row = findMemberByName(session, name);
  if (row.id === session.member.id) {
    throw invalidInput('You cannot remove yourself; ask another lead to do it.');
  }
  const profile = openMember(session.keys.vault, row);
  // What the removal takes away follows the signed chain's role, not the row's (ADR 0010).
  const role = trustedState(session).members.get(row.id)?.role ?? profile.role;
  let newTeam: BoxKeyPair | undefined;
  try {
    const result = session.write((context) => {
      const { db, now, audit } = context;
      // Read again inside the transaction: two leads removing each other at once would both have
      // counted two leads outside it, and left the vault with none (review of issue 14).
      const current = memberStore.byId(db, row.id);
      if (!current || current.removed_at !== null || current.version !== row.version) {
        throw new ConflictError(
          `${profile.name} was changed or removed by another member a moment ago; nothing was done. Look at the members again.`,
          current?.version,
        );
      }
      if (role === 'lead') {
        const leads = [...trustedState(session, db).members.values()].filter(
          (m) => m.role === 'lead',
        );
        if (leads.length <= 1) throw invalidInput('The last lead cannot be removed.');
      }
      const readable = accountsReadableBy(context, row.id, role);
      const removed = { ...row, name_tag: null, removed_at: now, version: row.version + 1 };
      memberStore.markRemoved(db, {
        ...removed,
        sealed: sealMember(session.keys.vault, removed, profile),
      });
      memberStore.deleteSlot(db, row.id);
      memberStore.deleteTeamGrant(db, row.id);
      accountStore.deleteWrapsOfHolder(db, row.id);
      // Signed first, so the team key below is sealed only to who the chain still holds.
      appendStatement(session, context, { kind: 'member.removed', member: row.id });
      if (holdsTeamKey(role)) newTeam = rotateTeamKey(session, context);
      // A new K_vault, everything re-sealed under it: the leaver's opens nothing from now on.
      startEpoch(session, context, 'member-removed');
      for (const accountId of readable) {
        raiseRotationDue(session, context, accountId, {
          cause: 'member-removed',
          evidence: `${profile.name} (${role}) was removed on ${now.slice(0, 10)} and knew the password.`,
        });
      }
      audit({
        kind: 'member.removed',
        details: {
          member: row.id,
          name: profile.name,
          role,
          accountsMarkedRotationDue: readable.length,
        },
      });
      return { accountsMarked: readable.length };
    });
    // Only once the new team key is committed does the session switch to it.
    if (newTeam) {
      session.replaceTeamKey(newTeam);
      newTeam = undefined;
      // Every reuse label again under the new team key; if this is cut short, the next lead or
      // dmt unlock finishes it (reuse-relabel.ts).
      session.write((context) => relabelAll(session, context));
    }
    return result;
  } finally {
    newTeam?.secretKey.wipe();
  }
}

function accountsReadableBy(context: WriteContext, memberId: string, role: Role): string[] {
  if (!mayReadCredentials(role)) return [];
  if (holdsTeamKey(role)) return accountStore.all(context.db).map((account) => account.id);
  return accountStore.wrapsByHolder(context.db, memberId).map((wrap) => wrap.account_id);
}

/**
 * A member's team_key_grants row: the team secret key for a role that holds it (lead, dmt), a
 * decoy of the same length for one that does not, so the rows do not tell roles apart (ADR 0028).
 */
export function teamGrantFor(role: Role, boxPublicKey: Uint8Array, team: BoxKeyPair) {
  return holdsTeamKey(role)
    ? wrapTeamSecretKey(boxPublicKey, team.secretKey)
    : decoyTeamGrant(boxPublicKey);
}

/**
 * A new team key pair: sealed to every remaining lead/dmt member, and every account key re-sealed
 * to it. Runs inside the removal's transaction.
 */
function rotateTeamKey(session: VaultSession, context: WriteContext): BoxKeyPair {
  const { db, audit } = context;
  const old = session.team;
  if (!old) throw new VaultError(ErrorCode.INTERNAL, 'The lead session has no team key.');
  const head = readHeader(db)!;
  if (!bytesEqual(old.publicKey, head.team_public_key)) {
    throw new VaultError(ErrorCode.INTERNAL, 'The session team key is not the vault team key.');
  }
  const next = newBoxKeyPair();
  const generation = head.team_generation + 1;
  // The chain's lead and dmt members, with the chain's keys: never a members row (ADR 0010).
  // Every member's row is rewritten, a decoy for those who hold no team key (ADR 0028).
  for (const member of trustedState(session, db).members.values()) {
    memberStore.upsertTeamGrant(db, {
      member_id: member.id,
      generation,
      sealed_box: teamGrantFor(member.role, member.boxPublicKey, next),
    });
  }
  for (const account of accountStore.all(db)) {
    const wrap = accountStore.wrap(db, account.id, 'team');
    if (!wrap) continue;
    const accountKey = openAccountKeyWrap(old, wrap.sealed_box);
    try {
      accountStore.upsertWrap(db, {
        ...wrap,
        team_generation: generation,
        sealed_box: wrapAccountKey(next.publicKey, accountKey),
      });
    } finally {
      accountKey.wipe();
    }
  }
  const mac = headerMac(session.keys.vault, {
    ...head,
    team_public_key: next.publicKey,
    team_generation: generation,
  });
  updateTeamKey(db, next.publicKey, generation, mac);
  appendStatement(session, context, {
    kind: 'team-key.rotated',
    teamPublicKey: toHex(next.publicKey),
    teamGeneration: generation,
  });
  audit({ kind: 'team-key.rotated', details: { generation } });
  return next;
}

/**
 * Change the acting member's own passphrase (ADR 0019): a new name-bound slot key and the vault's current KDF
 * parameters, a new X25519 key pair (re-certified in the chain by `member.rekeyed`, signed by the
 * member), their account-key wraps re-sealed to it, a new team key if they hold it, and a new key
 * epoch. So the old passphrase, with any copy of the file, opens nothing written from now on.
 */
export async function changeOwnPassphrase(
  session: VaultSession,
  newPassphrase: string,
): Promise<void> {
  checkNewPassphrase(newPassphrase, [session.member.name]);
  const head = header(session);
  const current = memberStore.slot(session.db, session.member.id);
  if (!current) throw new VaultError(ErrorCode.INTEGRITY, 'Your key slot is missing.');
  // Never lower what protects this member: the signed default (ADR 0030) or their own slot's as
  // their passphrase opened it, whichever is stronger.
  const kdf = kdfForNewSlot(session);
  const slotKey = await nameBoundSlotKey(
    { nameSalt: head.name_salt, name: session.member.name, passphrase: newPassphrase },
    kdf,
  );
  const box = newMemberBoxKeyPair();
  let newTeam: BoxKeyPair | undefined;
  // Until the write holds them, the new key pair and KEK are this function's to zero.
  const handover = { done: false };
  try {
    session.write((context) => {
      const { db, audit } = context;
      for (const wrap of accountStore.wrapsByHolder(db, session.member.id)) {
        const accountKey = openAccountKeyWrap(session.keys.box, wrap.sealed_box);
        try {
          accountStore.upsertWrap(db, {
            ...wrap,
            sealed_box: wrapAccountKey(box.publicKey, accountKey),
          });
        } finally {
          accountKey.wipe();
        }
      }
      session.replaceKeysInWrite({ box });
      // Every head recorded from here on goes into the slot under the new passphrase's key.
      replaceSlotKeyInWrite(session, slotKey);
      handover.done = true;
      appendStatement(session, context, {
        kind: 'member.rekeyed',
        member: session.member.id,
        boxPublicKey: toHex(box.publicKey),
      });
      if (holdsTeamKey(session.member.role)) newTeam = rotateTeamKey(session, context);
      startEpoch(session, context, 'passphrase-changed');
      audit({ kind: 'member.passphrase-changed', details: { member: session.member.id } });
    });
    if (newTeam) session.replaceTeamKey(newTeam);
    newTeam = undefined;
  } finally {
    newTeam?.secretKey.wipe();
    if (!handover.done) {
      slotKey.kek.wipe();
      box.secretKey.wipe();
    }
  }
}
