import { recordApproval, requestAccount, setUpAccount } from '../domain/requests.ts';
import { definedOnly, type HandlerContext, type Handlers } from './types.ts';

/** Requests and approvals (9.1-9.6), step by step; closure is `accounts.close`. */
export function requestsHandlers(ctx: HandlerContext): Handlers<'requests'> {
  return {
    'requests.create': (r) => requestAccount(ctx.session(), definedOnly(r)),
    'requests.approve': (r) => ({
      status: recordApproval(ctx.session(), definedOnly(r)).status ?? null,
    }),
    'requests.set-up': (r) => {
      setUpAccount(ctx.session(), definedOnly(r));
      return {};
    },
  };
}
