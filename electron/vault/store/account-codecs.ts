import { accountRecordSchema } from '../../../shared/domain/accounts.ts';
import type { AccountRow, CredentialRow, RotationDueRow, RotationRow } from './account-store.ts';
import { credentialSchema, rotationDueSchema, rotationRecordSchema } from './account-records.ts';
import { rowCodec } from './sealed-row.ts';

/**
 * The account tables' codecs: each binds its sealed column to the row's id, version and clear
 * columns (so a blob moved between rows, or a clear column edited beside it, no longer opens).
 * The only place these rows are sealed or opened.
 */

/** Under K_vault: the account's registry record (profile, details, password check). */
export const accountCodec = rowCodec<AccountRow>()('accounts', accountRecordSchema, (row) => ({
  id: row.id,
  clear: { handle_tag: row.handle_tag, created_at: row.created_at, created_by: row.created_by },
}));

/** Under the account's own key (K_account): the credential. Keyed by account, one row each. */
export const credentialCodec = rowCodec<CredentialRow>()(
  'credentials',
  credentialSchema,
  (row) => ({
    id: row.account_id,
    clear: { key_id: row.key_id, updated_at: row.updated_at },
  }),
);

/** Under K_vault: why a password was rotated and what the rotation answers. */
export const rotationCodec = rowCodec<RotationRow>()('rotations', rotationRecordSchema, (row) => ({
  id: row.id,
  clear: { account_id: row.account_id, at: row.at, actor_id: row.actor_id },
}));

/** Under K_vault: why a rotation is owed (10.2). */
export const rotationDueCodec = rowCodec<RotationDueRow>()(
  'rotation_due',
  rotationDueSchema,
  (row) => ({
    id: row.id,
    clear: { account_id: row.account_id, raised_at: row.raised_at, resolved_by: row.resolved_by },
  }),
);
