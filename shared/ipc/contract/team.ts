import { z } from 'zod';
import { REGISTRY_EDITORS } from '../../domain/roles.ts';
import { accountRef, ok, ALL, channel } from './common.ts';

/** Who has access to an account (policy 10.2). */
export const teamChannels = {
  /** Team changes (10.2): who has access to an account, granted and revoked with date and reason. */
  'team.grant': channel(() => ({
    request: z
      .object({
        account: accountRef,
        person: z.string().min(1).max(100),
        /** The day access began (YYYY-MM-DD); today if absent. */
        on: z.string().max(10).optional(),
        why: z.string().trim().max(500).optional(),
      })
      .strict(),
    response: ok,
    roles: REGISTRY_EDITORS,
  })),
  /** `rotationDue`: they knew the password, so the account must be rotated (10.2). */
  'team.revoke': channel(() => ({
    request: z
      .object({
        account: accountRef,
        person: z.string().min(1).max(100),
        on: z.string().max(10).optional(),
        why: z.string().trim().max(500).optional(),
      })
      .strict(),
    response: z.object({ rotationDue: z.boolean() }),
    roles: REGISTRY_EDITORS,
  })),
  /** Everyone who has (and had) access to the account, with who granted it (10.2). */
  'team.list': channel(() => ({
    request: z.object({ account: accountRef }).strict(),
    response: z.array(
      z.object({
        person: z.string(),
        grantedOn: z.string(),
        revokedOn: z.string().nullable(),
        grantedBy: z.string(),
      }),
    ),
    roles: ALL,
  })),
} as const;
