import { decideTrial, listTrials, recordDccDecision, requestTrial } from '../domain/trials.ts';
import { definedOnly, type HandlerContext, type Handlers } from './types.ts';

/** New-channel trials (3.4): requested through the DML; the DCCs decide what the policy may not cover. */
export function trialsHandlers(ctx: HandlerContext): Handlers<'trials'> {
  return {
    'trials.request': (r) => ({ id: requestTrial(ctx.session(), definedOnly(r)).id }),
    'trials.decide': (r) => {
      decideTrial(ctx.session(), definedOnly(r));
      return {};
    },
    'trials.dcc-decide': (r) => {
      recordDccDecision(ctx.session(), definedOnly(r));
      return {};
    },
    'trials.list': () =>
      listTrials(ctx.session()).map((t) => ({
        ...t.value,
        id: t.id,
        version: t.version,
        requestedOn: t.clear.requested_on,
        decidedOn: t.clear.decided_on,
      })),
  };
}
