import { z } from 'zod';

/**
 * What is sealed in a member row under K_vault: their name (the clear row holds only a keyed tag
 * of it). The shape member-codec.ts checks as it opens; an opened value, never a row.
 */
export const memberProfileSchema = z.object({ name: z.string() });
export type MemberProfile = z.infer<typeof memberProfileSchema>;
