import { grantAccess, revokeAccess } from '../domain/teams.ts';
import type { HandlerContext, Handlers } from './types.ts';

/** Who has access to an account (10.2), granted and revoked with the reason. */
export function teamHandlers(ctx: HandlerContext): Handlers<'team'> {
  return {
    'team.grant': (r) => {
      grantAccess(ctx.session(), {
        account: r.account,
        person: r.person,
        ...(r.why ? { why: r.why } : {}),
      });
      return {};
    },
    'team.revoke': (r) =>
      revokeAccess(ctx.session(), {
        account: r.account,
        person: r.person,
        ...(r.why ? { why: r.why } : {}),
      }),
  };
}
