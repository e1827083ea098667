import { closeAccount, recordApproval, requestAccount, setUpAccount } from '../domain/requests.ts';
import { definedOnly, type HandlerContext, type Handlers } from './types.ts';

/** Requests and approvals (9.1-9.6) and closures (9.11, 9.12), step by step. */
export function requestHandlers(
  ctx: HandlerContext,
): Handlers<'requests'> & Pick<Handlers<'accounts'>, 'accounts.close'> {
  return {
    'requests.create': (r) => requestAccount(ctx.session(), r),
    'requests.approve': (r) => {
      recordApproval(ctx.session(), definedOnly(r));
      return {};
    },
    'requests.set-up': (r) => {
      setUpAccount(ctx.session(), r);
      return {};
    },
    'accounts.close': (r) => {
      closeAccount(ctx.session(), definedOnly(r));
      return {};
    },
  };
}
