import { declareQuietPeriod, endQuietPeriod, listQuietPeriods } from '../domain/quiet-periods.ts';
import type { HandlerContext, Handlers } from './types.ts';

/** Quiet periods during a major incident (6.6): declared and ended on a named authority. */
export function quietHandlers(ctx: HandlerContext): Handlers<'quiet'> {
  return {
    'quiet.declare': (r) => ({ id: declareQuietPeriod(ctx.session(), r).id }),
    'quiet.end': (r) => {
      endQuietPeriod(ctx.session(), r);
      return {};
    },
    'quiet.list': () =>
      listQuietPeriods(ctx.session()).map((q) => ({
        id: q.id,
        declaredAt: q.clear.declared_at,
        endedAt: q.clear.ended_at,
        ...q.value,
      })),
  };
}
