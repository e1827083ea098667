import { z } from 'zod';

/**
 * What the account tables seal, beside the account record itself (shared/domain/accounts.ts):
 * the shapes their codecs check as they open (account-codecs.ts). Opened values, never rows.
 */

/**
 * A credential as opened: only ever inside the core, never in an audit entry, a log or the
 * renderer's state. Sealed under the account's own key (K_account), not K_vault.
 */
export const credentialSchema = z.object({
  username: z.string(),
  password: z.string(),
  totpSecret: z.string().optional(),
  recoveryCodes: z.array(z.string()).optional(),
  setAt: z.string(),
  history: z.array(z.object({ password: z.string(), setAt: z.string(), replacedAt: z.string() })),
});
export type OpenedCredential = z.infer<typeof credentialSchema>;

/** A rotation's reason, the people told of it (9.10) and the findings it answers. */
export const rotationRecordSchema = z.object({
  reason: z.string(),
  informed: z.array(z.string()),
  answers: z.array(z.string()),
});
export type RotationRecord = z.infer<typeof rotationRecordSchema>;

/**
 * An owed rotation (policy 10.2: change passwords when team membership changes). Raised when
 * someone who knew a password leaves; resolved by the rotation that answers it.
 */
export const rotationDueSchema = z.object({
  cause: z.enum(['member-removed', 'access-revoked', 'admin-revoked', 'lost-device']),
  evidence: z.string(),
});
export type RotationDueDetails = z.infer<typeof rotationDueSchema>;
