import { registryEditCheck } from '../domain/registry-access.ts';
import {
  addedByOnTrail,
  addThirdPartyApp,
  leafCheckedDetails,
  listThirdPartyApps,
  mayRemoveCorporateApp,
  removeThirdPartyApp,
} from '../domain/third-party-apps.ts';
import { labeller } from './complaints.ts';
import { definedOnly, type HandlerContext, type Handlers } from './types.ts';

/** Third-party applications on accounts (6.3, 10.2). */
export function appsHandlers(ctx: HandlerContext): Handlers<'apps'> {
  return {
    'apps.add': (r) => ({ id: addThirdPartyApp(ctx.session(), definedOnly(r)).id }),
    'apps.remove': (r) => {
      removeThirdPartyApp(ctx.session(), definedOnly(r));
      return {};
    },
    'apps.list': (r) => {
      const session = ctx.session();
      const label = labeller(session);
      const may = registryEditCheck(session);
      const detailsOf = leafCheckedDetails(session);
      return listThirdPartyApps(session, definedOnly(r)).map((app) => {
        // Whose it is comes from the trail; a row that disagrees fails as tampering. Shown only:
        // the removal itself proves the entry against its writer's signed checkpoint (6.3).
        const byCorporateComms =
          addedByOnTrail(session.db, app, detailsOf) === 'corporate-communications';
        return {
          ...app.value,
          id: app.id,
          version: app.version,
          accountId: app.clear.account_id,
          account: label(app.clear.account_id),
          addedOn: app.clear.added_on,
          removedOn: app.clear.removed_on,
          protectedByPolicy: byCorporateComms,
          canRemove:
            app.clear.removed_on === null &&
            may.accounts([app.clear.account_id]) &&
            (!byCorporateComms || mayRemoveCorporateApp(session.member.role)),
        };
      });
    },
  };
}
