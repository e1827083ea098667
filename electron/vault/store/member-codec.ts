import type { ClearColumns } from './sealed-row.ts';
import { legacyMemberProfileSchema, memberProfileSchema } from './member-profile.ts';
import type { MemberRow } from './member-store.ts';
import { rowCodec, openRow, type Sealed } from './sealed-row.ts';

/**
 * Sealed member profiles are padded to a whole number of these, so a blob's length does not tell
 * "lead" from "security" (nor a certificate's certifier); a name up to LIMITS.memberName fits.
 */
const MEMBER_PAD_BYTES = 512;

/**
 * The members table's codec: the profile (name, role, certificate) is bound to every clear
 * column (public keys, name tag, removal, and the empty legacy columns), so none of them can be
 * changed, or the blob moved, without it failing to open. The only place member rows are sealed.
 */
export const memberCodec = rowCodec<MemberRow>()(
  'members',
  memberProfileSchema,
  (row) => ({
    id: row.id,
    clear: {
      name_tag: row.name_tag,
      box_public_key: row.box_public_key,
      sign_public_key: row.sign_public_key,
      removed_at: row.removed_at,
      legacy_role: row.legacy_role,
      legacy_certified_by: row.legacy_certified_by,
      legacy_certified_at: row.legacy_certified_at,
      legacy_certificate: row.legacy_certificate,
    },
  }),
  MEMBER_PAD_BYTES,
);

/**
 * A row sealed before format 9: its blob holds the name and is bound to the clear columns of
 * then (role, certifier, certificate among them), under their names of then.
 */
export function openLegacyMemberName(key: Parameters<typeof openRow>[0], row: MemberRow): string {
  const clear: ClearColumns = {
    name_tag: row.name_tag,
    role: row.legacy_role,
    box_public_key: row.box_public_key,
    sign_public_key: row.sign_public_key,
    certified_by: row.legacy_certified_by,
    certified_at: row.legacy_certified_at,
    certificate: row.legacy_certificate,
    removed_at: row.removed_at,
  };
  const sealed = row.sealed as unknown as Sealed<{ name: string }>;
  return openRow(
    key,
    { table: 'members', id: row.id, version: row.version, clear },
    sealed,
    legacyMemberProfileSchema,
  ).name;
}
