import { accountLabel } from '../../../shared/domain/accounts.ts';
import { openAccountProfile, resolveAccount } from '../domain/accounts.ts';
import {
  judgeNotExposed,
  listIncidents,
  missingNotifications,
  recordNotification,
  resolveIncident,
  unansweredExposures,
  type IncidentRecord,
} from '../domain/devices.ts';
import type { VaultSession } from '../session.ts';
import type { HandlerContext, Handlers } from './types.ts';

/** Lost-device incidents (10.1): what was exposed, who has been told, what is left. */
export function incidentsHandlers(ctx: HandlerContext): Handlers<'incidents'> {
  return {
    'incidents.notify': (r) => {
      const updated = recordNotification(ctx.session(), {
        incident: r.incident,
        party: r.party,
        ...(r.at ? { at: r.at } : {}),
        ...(r.reference ? { reference: r.reference } : {}),
      });
      return { resolved: updated.clear.resolved_at !== null };
    },
    'incidents.show': (r) => {
      const session = ctx.session();
      return incidentView(session, resolveIncident(session, r.incident));
    },
    'incidents.list': () => {
      const session = ctx.session();
      return listIncidents(session).map((i) => incidentView(session, i));
    },
    'incidents.not-exposed': (r) => {
      const updated = judgeNotExposed(ctx.session(), r);
      return { resolved: updated.clear.resolved_at !== null };
    },
  };
}

/** An incident with its accounts named; an account that no longer opens keeps its id. */
export function incidentView(session: VaultSession, incident: IncidentRecord) {
  const label = (id: string) => {
    try {
      return accountLabel(openAccountProfile(session, resolveAccount(session, id)));
    } catch {
      return id;
    }
  };
  return {
    id: incident.id,
    deviceId: incident.clear.device_id,
    lostOn: incident.clear.lost_on,
    resolvedAt: incident.clear.resolved_at,
    reportedBy: incident.value.reportedBy,
    exposed: incident.value.exposedAccountIds.map(label),
    awaitingRotation: unansweredExposures(session, incident).map(label),
    notExposed: Object.fromEntries(
      Object.entries(incident.value.notExposed).map(([id, why]) => [label(id), why]),
    ),
    notified: incident.value.notified,
    references: incident.value.references ?? {},
    awaitingNotification: missingNotifications(incident),
  };
}
