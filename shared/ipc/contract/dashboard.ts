import { z } from 'zod';
import { empty, findingSchema, ALL, channel } from './common.ts';

/** The most findings dashboard.get lists as due: a summary, not every finding. */
export const DASHBOARD_DUE_LIMIT = 100;

/** The most days of health totals the dashboard's trend chart shows. */
export const DASHBOARD_TREND_DAYS = 30;

const trendSchema = z.array(z.object({ day: z.string(), total: z.number() }));

/**
 * The dashboard in two steps (issue 17; ADR 0027): `dashboard.get` is the first screen, from one
 * sealed summary kept up to date by every write, so it opens in milliseconds at any size of the
 * registry; `dashboard.health` evaluates every rule and is asked for after that screen is shown.
 */
export const dashboardChannels = {
  /** Accounts registered, open incidents, quiet periods in force, and the recent health totals. */
  'dashboard.get': channel(() => ({
    request: empty,
    response: z.object({
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
      /** Open findings by day, the last DASHBOARD_TREND_DAYS days recorded. */
      trend: trendSchema,
    }),
    roles: ALL,
  })),
  /**
   * Health now: counts by severity and the most urgent of what is due in the next seven days (at
   * most DASHBOARD_DUE_LIMIT), not every finding, so 10,000 accounts stay quick to show; and the
   * trend again, since evaluating now records today's totals.
   */
  'dashboard.health': channel(() => ({
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
      trend: trendSchema,
    }),
    roles: ALL,
  })),
} as const;
