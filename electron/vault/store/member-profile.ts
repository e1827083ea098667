import { z } from 'zod';
import { ROLES } from '../../../shared/domain/roles.ts';

/**
 * What is sealed in a member row under K_vault (format 9, ADR 0028): their name (the clear row
 * holds only a keyed tag of it), their role, and the certificate that binds the role to their
 * keys with who certified it and when. None of these is in clear: a role, a certifier (a lead)
 * or a certificate checked against a guessed role would each tell someone without a key what
 * the member may do. The role that decides access is still the signed chain's (ADR 0010); this
 * one must agree with it. The shape member-codec.ts checks as it opens; an opened value, never a row.
 */
export const memberProfileSchema = z.object({
  name: z.string(),
  role: z.enum(ROLES),
  certifiedBy: z.string(),
  certifiedAt: z.string(),
  /** The certifier's Ed25519 signature over the certificate body (member-certificate.ts), hex. */
  certificate: z.hex().length(128),
});
export type MemberProfile = z.infer<typeof memberProfileSchema>;

/** What a member row sealed before format 9 held: the name; the rest was in clear columns. */
export const legacyMemberProfileSchema = z.object({ name: z.string() });
