import { holdsTeamKey, type Role } from '../../../shared/domain/roles.ts';
import { openMember } from '../domain/member-records.ts';
import { bytesEqual, fromHex, toHex, utf8 } from '../crypto/hash.ts';
import { sign } from '../crypto/keys.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { integrityError } from '../errors.ts';
import { certificateValid, type MemberKeys, type SlotKey } from '../keyring.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import { accountStore } from '../store/account-store.ts';
import { chainStore } from '../store/chain-store.ts';
import type { Db } from '../store/connection.ts';
import type { HeaderRow } from '../store/header-store.ts';
import { memberStore, type MemberRow } from '../store/member-store.ts';
import {
  genesisState,
  nextStatement,
  statementText,
  type ChainRow,
  type Statement,
} from './chain.ts';
import { appendStatement, attachTrust, recordStatement } from './session-trust.ts';

/** A members row with its role and format-4 certificate, as opened (from format 9 they are sealed). */
export type CertifiedMember = MemberRow & {
  readonly role: Role;
  readonly certifiedBy: string;
  readonly certifiedAt: string;
  readonly certificate: Uint8Array;
};

/** The format from which the vault keeps a membership chain (migration 005). */
export const CHAIN_FORMAT = 5;

/**
 * Format-4 certificates (ADR 0001) as they stand: every member row's certificate verifies under its
 * certifier's key, every certifier is a lead, and every path of certifiers ends at the one
 * self-certified row, the header's founder. Returns the rows by id. Used once, to upgrade, and for
 * a legacy slot's trust on first use of the chain.
 */
export function checkedLegacyMembers(
  db: Db,
  header: HeaderRow,
  vaultKey: SecretBytes,
  only?: string,
): Map<string, CertifiedMember> {
  const stored = new Map(memberStore.all(db).map((row) => [row.id, row]));
  const opened = new Map<string, CertifiedMember>();
  // Opened as they are needed: with `only`, a row off that member's path is not opened at all.
  const rows = {
    get(id: string): CertifiedMember | undefined {
      const cached = opened.get(id);
      if (cached) return cached;
      const row = stored.get(id);
      if (!row) return undefined;
      const profile = openMember(vaultKey, row);
      const member: CertifiedMember = {
        ...row,
        role: profile.role,
        certifiedBy: profile.certifiedBy,
        certifiedAt: profile.certifiedAt,
        certificate: fromHex(profile.certificate),
      };
      opened.set(id, member);
      return member;
    },
  };
  // `only`: the certifiers' path of one member (a legacy slot's first use): rows planted
  // elsewhere are verify's to report, not a reason to lock out a member whose path is sound.
  const checked =
    only === undefined
      ? [...stored.keys()].map((id) => rows.get(id)!)
      : pathOf(rows, only, header.founder_id);
  for (const row of checked) {
    const where = `members row ${row.id}`;
    const role = row.role;
    const certifier = rows.get(row.certifiedBy);
    if (certifier?.role !== 'lead') throw integrityError(where, 'was not certified by a lead');
    const body = {
      vault: header.vault_id,
      member: row.id,
      role,
      boxPublicKey: row.box_public_key,
      signPublicKey: row.sign_public_key,
      certifiedBy: row.certifiedBy,
      certifiedAt: row.certifiedAt,
    };
    if (!certificateValid(certifier.sign_public_key, body, row.certificate)) {
      throw integrityError(where, 'has a certificate that does not verify');
    }
    if (row.certifiedBy === row.id && row.id !== header.founder_id) {
      throw integrityError(where, 'certifies itself but is not the founder');
    }
    // Follow the certifiers: the path must reach the founder, not loop among planted rows.
    const seen = new Set<string>();
    let current = row;
    while (current.id !== header.founder_id) {
      if (seen.has(current.id)) throw integrityError(where, 'is not certified back to the founder');
      seen.add(current.id);
      current = rows.get(current.certifiedBy)!;
    }
  }
  const founder = rows.get(header.founder_id);
  if (founder?.certifiedBy !== header.founder_id) {
    throw integrityError('vault_header', 'names a founder whose certificate is not self-signed');
  }
  return opened;
}

/**
 * Upgrade a format-4 vault to the chain at a lead's first unlock (ADR 0010, "Upgrade"): after
 * checking today's certificates back to the founder, the lead signs a genesis statement naming
 * themselves and the team key they hold, then one statement for each other member (and their
 * removal), and one for each admin's account-key wrap. Inside the unlock's write transaction.
 */
export function upgradeToChain(
  session: VaultSession,
  context: WriteContext,
  header: HeaderRow,
  slot: SlotKey,
): void {
  const { db } = context;
  const rows = checkedLegacyMembers(db, header, session.keys.vault);
  const keys: MemberKeys = session.keys;
  const team = session.team;
  // Possession, not the header's word: the lead's unwrapped team key was checked against it.
  if (!team || !bytesEqual(team.publicKey, header.team_public_key)) {
    throw integrityError('vault_header', 'names a team key the upgrading lead does not hold');
  }
  const genesis = nextStatement(
    { vault: session.vaultId, head: undefined },
    session.member.id,
    context.now,
    {
      kind: 'genesis',
      member: session.member.id,
      role: 'lead',
      boxPublicKey: toHex(keys.box.publicKey),
      signPublicKey: toHex(keys.signing.publicKey),
      teamPublicKey: toHex(header.team_public_key),
      teamGeneration: header.team_generation,
      upgradedFromFormat: 4,
    },
  );
  const row = signedRow(keys.signing.secretKey, genesis);
  chainStore.append(db, session.keys.vault, row);
  recordStatement(context, row, genesis);
  attachTrust(session, {
    root: keys.signing.publicKey,
    state: genesisState(keys.signing.publicKey, session.vaultId, row),
    slot,
  });
  const others = [...rows.values()].filter((member) => member.id !== session.member.id);
  for (const member of others) {
    appendStatement(session, context, {
      kind: 'member.added',
      member: member.id,
      role: member.role,
      boxPublicKey: toHex(member.box_public_key),
      signPublicKey: toHex(member.sign_public_key),
    });
  }
  for (const member of others) {
    if (member.removed_at !== null) {
      appendStatement(session, context, { kind: 'member.removed', member: member.id });
    }
  }
  for (const wrap of accountStore.allWraps(db)) {
    if (wrap.holder === 'team') continue;
    const holder = rows.get(wrap.holder);
    if (holder?.removed_at !== null || holder.role !== 'admin') {
      throw integrityError(
        `account_key_wraps row ${wrap.account_id}/${wrap.holder}`,
        'is not for a current administrator',
      );
    }
    appendStatement(session, context, {
      kind: 'grant.added',
      account: wrap.account_id,
      member: wrap.holder,
    });
  }
  // Every lead/dmt member still holds the team key: a grant row for another generation is damage.
  for (const member of others) {
    if (member.removed_at !== null || !holdsTeamKey(member.role)) continue;
    if (memberStore.teamGrant(db, member.id)?.generation !== header.team_generation) {
      throw integrityError(`team_key_grants row ${member.id}`, 'is missing or out of date');
    }
  }
}

/** The member's row and its certifiers' rows up to the founder (stopping at a loop or a gap). */
function pathOf(
  rows: { get(id: string): CertifiedMember | undefined },
  id: string,
  founderId: string,
): CertifiedMember[] {
  const path: CertifiedMember[] = [];
  let current = rows.get(id);
  while (current && !path.includes(current)) {
    path.push(current);
    if (current.id === founderId) break;
    current = rows.get(current.certifiedBy);
  }
  if (!current) throw integrityError(`members row ${id}`, 'is not certified back to the founder');
  return path;
}

export function signedRow(secretKey: SecretBytes, statement: Statement): ChainRow {
  const text = statementText(statement);
  return { seq: statement.seq, statement: text, signature: sign(secretKey, utf8(text)) };
}
