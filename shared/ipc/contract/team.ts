import { z } from 'zod';
import { REGISTRY_EDITORS } from '../../domain/roles.ts';
import { accountRef, ok, channel } from './common.ts';

/** Who has access to an account (policy 10.2). */
export const teamChannels = {
  /** Team changes (10.2): who has access to an account, granted and revoked with date and reason. */
  'team.grant': channel({
    request: z
      .object({
        account: accountRef,
        person: z.string().min(1).max(100),
        why: z.string().trim().max(500).optional(),
      })
      .strict(),
    response: ok,
    roles: REGISTRY_EDITORS,
  }),
  /** `rotationDue`: they knew the password, so the account must be rotated (10.2). */
  'team.revoke': channel({
    request: z
      .object({
        account: accountRef,
        person: z.string().min(1).max(100),
        why: z.string().trim().max(500).optional(),
      })
      .strict(),
    response: z.object({ rotationDue: z.boolean() }),
    roles: REGISTRY_EDITORS,
  }),
} as const;
