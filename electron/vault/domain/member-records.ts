import { ROLES } from '../../../shared/domain/roles.ts';
import { integrityError } from '../errors.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { memberStore, type MemberRow } from '../store/member-store.ts';
import { memberCodec, openLegacyMemberName } from '../store/member-codec.ts';
import { toHex } from '../crypto/hash.ts';
import type { MemberProfile } from '../store/member-profile.ts';
import type { Sealed } from '../store/sealed-row.ts';

export type { MemberProfile };

/** A member row's sealed column (store/member-codec.ts binds it to every clear column). */
export function sealMember(
  vaultKey: SecretBytes,
  row: Omit<MemberRow, 'sealed'>,
  profile: MemberProfile,
): Sealed<MemberProfile> {
  return memberCodec.seal(vaultKey, row, profile).sealed;
}

/**
 * A member row's profile: name, role and certificate. A row from before format 9 (not yet sealed
 * by its first unlock) gives its role and certificate from its legacy clear columns, checked as
 * they are read; they decide nothing (the signed chain does, ADR 0010).
 */
export function openMember(vaultKey: SecretBytes, row: MemberRow): MemberProfile {
  if (row.legacy_role === null) return memberCodec.open(vaultKey, row);
  const name = openLegacyMemberName(vaultKey, row);
  const role = ROLES.find((candidate) => candidate === row.legacy_role);
  if (!role || row.legacy_certified_by === null || row.legacy_certified_at === null) {
    throw integrityError(`members row ${row.id}`, 'has an unknown role');
  }
  return {
    name,
    role,
    certifiedBy: row.legacy_certified_by,
    certifiedAt: row.legacy_certified_at,
    certificate: toHex(row.legacy_certificate ?? new Uint8Array()),
  };
}

/** A new members row (format 9): the clear part, with nothing in the legacy columns. */
export function memberRow(
  vaultKey: SecretBytes,
  clear: Pick<
    MemberRow,
    'id' | 'name_tag' | 'box_public_key' | 'sign_public_key' | 'removed_at' | 'version'
  >,
  profile: MemberProfile,
): MemberRow {
  const unsealed = {
    ...clear,
    legacy_role: null,
    legacy_certified_by: null,
    legacy_certified_at: null,
    legacy_certificate: null,
  };
  return { ...unsealed, sealed: sealMember(vaultKey, unsealed, profile) };
}

/** A member's name for display, from their id; "a removed member" if the row is gone. */
export function memberName(
  session: { db: import('../store/connection.ts').Db; keys: { vault: SecretBytes } },
  id: string,
): string {
  const row = memberStore.byId(session.db, id);
  return row ? openMember(session.keys.vault, row).name : 'an unknown member';
}
