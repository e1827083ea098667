import { z } from 'zod';
import { APP_ADDERS, APP_REACH, thirdPartyAppSchema } from '../../domain/policy-records.ts';
import { REGISTRY_EDITORS } from '../../domain/roles.ts';
import { accountRef, ALL, channel, expectedVersion, ok } from './common.ts';

export const appViewSchema = thirdPartyAppSchema.extend({
  id: z.string(),
  version: z.number().int(),
  accountId: z.string(),
  account: z.string(),
  addedOn: z.string(),
  removedOn: z.string().nullable(),
  /** 6.3: added by Corporate Communications, as the signed trail records it. */
  protectedByPolicy: z.boolean(),
  /** Whether this member may record its removal (6.3 for a Corporate Communications app). */
  canRemove: z.boolean(),
});

/**
 * Third-party applications added to accounts (policy 6.3, 10.2): which app, who added it, when,
 * and what it can reach. One Corporate Communications added is removed only by them (6.3): the
 * core checks that against the trail, whatever the row says.
 */
export const appsChannels = {
  'apps.add': channel(() => ({
    request: z
      .object({
        account: accountRef,
        name: z.string().max(200),
        addedBy: z.enum(APP_ADDERS),
        addedByName: z.string().max(200),
        addedOn: z.string().max(10),
        reaches: z.array(z.enum(APP_REACH)).min(1, 'Tick at least one thing the app can reach.'),
        termsReadOn: z.string().max(10).optional(),
        notes: z.string().max(2000).optional(),
      })
      .strict(),
    response: z.object({ id: z.string() }),
    roles: REGISTRY_EDITORS,
  })),
  'apps.remove': channel(() => ({
    request: z
      .object({
        app: z.string().trim().min(1, 'Name the app (its id).').max(64),
        reason: z.string().max(500),
        expectedVersion,
      })
      .strict(),
    response: ok,
    roles: REGISTRY_EDITORS,
  })),
  'apps.list': channel(() => ({
    request: z.object({ account: accountRef.optional() }).strict(),
    response: z.array(appViewSchema),
    roles: ALL,
  })),
} as const;
