import { z } from 'zod';
import { memberNameSchema } from '../../domain/accounts.ts';
import { ROLES } from '../../domain/roles.ts';
import { passphrase, empty, ok, memberSchema, ALL, channel } from './common.ts';

/** Vault members, their roles and their passphrases. */
export const membersChannels = {
  'members.list': channel(() => ({
    request: empty,
    response: z.array(
      memberSchema.extend({
        /** Who certified the member's keys (the founder certifies themself). */
        certifiedBy: z.string(),
        addedAt: z.string(),
        removedAt: z.string().nullable(),
      }),
    ),
    // Every member may see who is on the team, as `custodian member list` always allowed; only the
    // lead changes it.
    roles: ALL,
  })),
  'members.add': channel(() => ({
    request: z.object({ name: memberNameSchema, role: z.enum(ROLES), passphrase }).strict(),
    response: memberSchema,
    roles: ['lead'],
  })),
  'members.remove': channel(() => ({
    request: z.object({ name: memberNameSchema }).strict(),
    response: z.object({ accountsMarked: z.number() }),
    roles: ['lead'],
  })),
  'members.change-passphrase': channel(() => ({
    request: z.object({ passphrase }).strict(),
    response: ok,
    roles: ALL,
  })),
} as const;
