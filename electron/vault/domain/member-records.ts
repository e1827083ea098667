import { ROLES, type Role } from '../../../shared/domain/roles.ts';
import { integrityError } from '../errors.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { memberStore, type MemberRow } from '../store/member-store.ts';
import { memberCodec } from '../store/member-codec.ts';
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

export function openMember(vaultKey: SecretBytes, row: MemberRow): MemberProfile {
  return memberCodec.open(vaultKey, row);
}

export function roleOf(row: MemberRow): Role {
  const role = ROLES.find((candidate) => candidate === row.role);
  if (!role) throw integrityError(`members row ${row.id}`, 'has an unknown role');
  return role;
}

/** A member's name for display, from their id; "a removed member" if the row is gone. */
export function memberName(
  session: { db: import('../store/connection.ts').Db; keys: { vault: SecretBytes } },
  id: string,
): string {
  const row = memberStore.byId(session.db, id);
  return row ? openMember(session.keys.vault, row).name : 'an unknown member';
}
