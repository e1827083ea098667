import { z } from 'zod';
import { ROLES, type Role } from '../../../shared/domain/roles.ts';
import { integrityError } from '../errors.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { memberStore, type MemberRow } from '../store/member-store.ts';
import { openRow, sealRow } from '../store/sealed-row.ts';

/** What is sealed in a member row under K_vault. */
const memberProfileSchema = z.object({ name: z.string() });
export type MemberProfile = z.infer<typeof memberProfileSchema>;

export function memberAddress(row: Omit<MemberRow, 'sealed'>) {
  return {
    table: 'members',
    id: row.id,
    version: row.version,
    clear: {
      name_tag: row.name_tag,
      role: row.role,
      box_public_key: row.box_public_key,
      sign_public_key: row.sign_public_key,
      certified_by: row.certified_by,
      certified_at: row.certified_at,
      certificate: row.certificate,
      removed_at: row.removed_at,
    },
  };
}

export function sealMember(
  vaultKey: SecretBytes,
  row: Omit<MemberRow, 'sealed'>,
  profile: MemberProfile,
): Buffer {
  return Buffer.from(sealRow(vaultKey, memberAddress(row), profile));
}

export function openMember(vaultKey: SecretBytes, row: MemberRow): MemberProfile {
  return openRow(vaultKey, memberAddress(row), row.sealed, memberProfileSchema);
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
