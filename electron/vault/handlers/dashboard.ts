import { missingNotifications, unansweredExposures } from '../domain/devices.ts';
import { inForce } from '../domain/quiet-periods.ts';
import { healthReport, healthTrend } from '../health/service.ts';
import { registrySnapshot, type RegistrySnapshot } from '../health/snapshot.ts';
import { addDays, dayOf } from '../../../shared/domain/dates.ts';
import { SEVERITIES, type Severity } from '../../../shared/domain/health.ts';
import { DASHBOARD_DUE_LIMIT } from '../../../shared/ipc/contract.ts';
import { accountStore } from '../store/account-store.ts';
import type { VaultSession } from '../session.ts';
import type { HandlerContext, Handlers } from './types.ts';

const URGENCY = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

/** The dashboard: counts by severity, what falls due this week, open incidents, quiet periods. */
export function dashboardHandlers(ctx: HandlerContext): Handlers<'dashboard'> {
  return {
    'dashboard.get': () => {
      const session = ctx.session();
      // Taken first: the report below may write today's summary, which starts a new snapshot.
      const snapshot = registrySnapshot(session);
      const openIncidents = openIncidentSummaries(session, snapshot);
      const quietPeriods = quietPeriodsInForce(session, snapshot);
      const findings = healthReport(session);
      const counts = { breach: 0, action: 0, warning: 0, info: 0 };
      for (const f of findings) counts[f.severity] += 1;
      const weekAhead = addDays(dayOf(session.clock().toISOString()), 7);
      const due = findings
        .filter((f) => f.severity !== 'info' && f.since <= weekAhead)
        .sort(
          (a, b) => URGENCY[b.severity] - URGENCY[a.severity] || a.since.localeCompare(b.since),
        );
      return {
        counts,
        due: due.slice(0, DASHBOARD_DUE_LIMIT),
        dueTotal: due.length,
        trend: healthTrend(session).map((t) => ({ day: t.day, total: t.summary.total })),
        accounts: accountStore.count(session.db),
        openIncidents,
        quietPeriods,
      };
    },
  };
}

/**
 * The dashboard's incidents and quiet periods come from the registry snapshot the health report
 * uses too: no second decryption of every device and account (docs/BENCHMARKS.md).
 */
function openIncidentSummaries(session: VaultSession, snapshot: RegistrySnapshot) {
  const devices = new Map(snapshot.devices.map((d) => [d.id, d.value.label]));
  return snapshot.incidents
    .filter((i) => i.clear.resolved_at === null)
    .map((i) => ({
      device: devices.get(i.clear.device_id) ?? i.clear.device_id,
      lostOn: i.clear.lost_on,
      accountsLeft: unansweredExposures(session, i).length,
      partiesLeft: missingNotifications(i).length,
    }));
}

function quietPeriodsInForce(session: VaultSession, snapshot: RegistrySnapshot) {
  const now = session.clock().toISOString();
  const labels = new Map(snapshot.accounts.map((a) => [a.id, a.label]));
  return snapshot.quietPeriods
    .filter((q) => inForce(q, now))
    .map((q) => ({
      id: q.id,
      accounts:
        q.value.accountIds === 'all'
          ? 'every account'
          : q.value.accountIds.map((id) => labels.get(id) ?? id).join(', '),
      authority: q.value.authority,
      reason: q.value.reason,
      since: q.clear.declared_at,
    }));
}
