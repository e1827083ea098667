import { memberProfileSchema } from './member-profile.ts';
import type { MemberRow } from './member-store.ts';
import { rowCodec } from './sealed-row.ts';

/**
 * The members table's codec: the name is bound to every clear column (role, public keys,
 * certificate, removal), so none of them can be changed, or the blob moved, without it failing
 * to open. The only place member rows are sealed or opened.
 */
export const memberCodec = rowCodec<MemberRow>()('members', memberProfileSchema, (row) => ({
  id: row.id,
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
}));
