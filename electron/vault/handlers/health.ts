import { healthReport, healthTrend } from '../health/service.ts';
import { definedOnly, type HandlerContext, type Handlers } from './types.ts';

/** Account health against the policy: every rule's findings, and the daily summaries. */
export function healthHandlers(ctx: HandlerContext): Handlers<'health'> {
  return {
    'health.report': (r) => healthReport(ctx.session(), definedOnly(r)),
    'health.trend': () => healthTrend(ctx.session()),
  };
}
