import { z } from 'zod';
import { empty, findingSchema, ALL, channel } from './common.ts';

/** Account health against the policy (issue 4): every rule's findings, and the daily summaries. */
export const healthChannels = {
  /** Every finding, or one account's, as of today or the day given (to see what falls due). */
  'health.report': channel(() => ({
    request: z
      .object({
        at: z.string().max(10).optional(),
        account: z.string().trim().min(1).max(220).optional(),
      })
      .strict(),
    response: z.array(findingSchema),
    roles: ALL,
  })),
  /** The daily summaries kept so far: the total and the counts by rule and severity. */
  'health.trend': channel(() => ({
    request: empty,
    response: z.array(
      z.object({
        day: z.string(),
        summary: z.object({
          total: z.number().int(),
          counts: z.record(z.string(), z.record(z.string(), z.number().int())),
        }),
      }),
    ),
    roles: ALL,
  })),
} as const;
