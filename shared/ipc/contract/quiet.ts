import { z } from 'zod';
import { quietPeriodSchema } from '../../domain/registry.ts';
import { accountRef, empty, ALL, channel } from './common.ts';

/** Quiet periods during a major incident (policy 6.6). */
export const quietChannels = {
  /** 6.6: during a major incident, the named accounts (or all) show "do not post" until it ends. */
  'quiet.declare': channel(() => ({
    request: z
      .object({
        accounts: z.union([z.literal('all'), z.array(accountRef).min(1).max(500)]),
        authority: z.string().max(200),
        reason: z.string().max(500),
      })
      .strict(),
    response: z.object({ id: z.string() }),
    roles: ['lead', 'dmt'],
  })),
  /** 6.6: ending needs the authority and a reason, as declaring does; both are audited. */
  'quiet.end': channel(() => ({
    request: z
      .object({
        id: z.string().max(64),
        authority: z.string().max(200),
        reason: z.string().max(500),
      })
      .strict(),
    response: empty,
    roles: ['lead', 'dmt'],
  })),
  /** Every quiet period, in force or ended, with who declared and ended it. */
  'quiet.list': channel(() => ({
    request: empty,
    response: z.array(
      quietPeriodSchema.extend({
        id: z.string(),
        declaredAt: z.string(),
        endedAt: z.string().nullable(),
      }),
    ),
    roles: ALL,
  })),
} as const;
