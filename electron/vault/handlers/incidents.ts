import { recordNotification } from '../domain/devices.ts';
import type { HandlerContext, Handlers } from './types.ts';

/** Lost-device incidents (10.1): who has been told. */
export function incidentsHandlers(ctx: HandlerContext): Handlers<'incidents'> {
  return {
    'incidents.notify': (r) => {
      recordNotification(ctx.session(), {
        incident: r.incident,
        party: r.party,
        ...(r.at ? { at: r.at } : {}),
      });
      return {};
    },
  };
}
