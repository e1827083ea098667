import { resolveAccount } from '../domain/accounts.ts';
import { listPeople } from '../domain/people.ts';
import { grantAccess, membershipsOf, revokeAccess } from '../domain/teams.ts';
import type { HandlerContext, Handlers } from './types.ts';

/** A grant or revoke as the core takes it: a form's empty "on" and "why" are left out. */
function change(r: {
  account: string;
  person: string;
  on?: string | undefined;
  why?: string | undefined;
}) {
  return {
    account: r.account,
    person: r.person,
    ...(r.on ? { on: r.on } : {}),
    ...(r.why ? { why: r.why } : {}),
  };
}

/** Who has access to an account (10.2), granted and revoked with the reason. */
export function teamHandlers(ctx: HandlerContext): Handlers<'team'> {
  return {
    'team.grant': (r) => {
      grantAccess(ctx.session(), change(r));
      return {};
    },
    'team.revoke': (r) => revokeAccess(ctx.session(), change(r)),
    'team.list': (r) => {
      const session = ctx.session();
      const people = new Map(listPeople(session).map((p) => [p.id, p.value.name]));
      return membershipsOf(session, resolveAccount(session, r.account).id).map((m) => ({
        person: people.get(m.clear.person_id) ?? m.clear.person_id,
        grantedOn: m.clear.granted_on,
        revokedOn: m.clear.revoked_on,
        grantedBy: m.value.grantedBy,
      }));
    },
  };
}
