import { z } from 'zod';
import { empty, findingSchema, ALL, channel } from './common.ts';

/** The most findings dashboard.get lists as due: a summary, not every finding. */
export const DASHBOARD_DUE_LIMIT = 100;

/** The dashboard: what is due, open incidents and quiet periods in force. */
export const dashboardChannels = {
  /**
   * A summary, not every finding: counts by severity and the most urgent of what is due in the
   * next seven days (at most DASHBOARD_DUE_LIMIT), so 10,000 accounts stay quick to show.
   */
  'dashboard.get': channel({
    request: empty,
    response: z.object({
      counts: z.object({
        breach: z.number(),
        action: z.number(),
        warning: z.number(),
        info: z.number(),
      }),
      due: z.array(findingSchema),
      dueTotal: z.number(),
      trend: z.array(z.object({ day: z.string(), total: z.number() })),
      accounts: z.number(),
      /** Lost-device incidents still open (10.1): what is left to do on each. */
      openIncidents: z.array(
        z.object({
          device: z.string(),
          lostOn: z.string(),
          accountsLeft: z.number(),
          partiesLeft: z.number(),
        }),
      ),
      /** Quiet periods in force (6.6): do not post. */
      quietPeriods: z.array(
        z.object({
          id: z.string(),
          accounts: z.string(),
          authority: z.string(),
          reason: z.string(),
          since: z.string(),
        }),
      ),
    }),
    roles: ALL,
  }),
} as const;
