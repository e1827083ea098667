import { healthReport, healthTrend } from '../health/service.ts';
import { addDays, dayOf } from '../../../shared/domain/dates.ts';
import { SEVERITIES, type Severity } from '../../../shared/domain/health.ts';
import { DASHBOARD_DUE_LIMIT, DASHBOARD_TREND_DAYS } from '../../../shared/ipc/contract.ts';
import {
  computeDashboardSummary,
  dashboardSummaryRecorded,
  storedDashboardSummary,
} from '../store/dashboard-summary.ts';
import { integrityError } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import type { HandlerContext, Handlers } from './types.ts';

const URGENCY = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

/**
 * The dashboard (issue 17; ADR 0027): the first screen from the sealed summary every write keeps,
 * then health, which the console asks for once that screen is shown.
 */
export function dashboardHandlers(ctx: HandlerContext): Handlers<'dashboard'> {
  return {
    'dashboard.get': () => {
      const session = ctx.session();
      const { db } = session;
      const key = session.keys.vault;
      const summary = storedDashboardSummary(db, key) ?? summaryFromTheRegistry(session);
      const now = session.clock().toISOString();
      return {
        accounts: summary.accounts,
        openIncidents: summary.openIncidents,
        // Not ended, and declared by now (6.6: in force).
        quietPeriods: summary.quietPeriods.filter((q) => q.since <= now),
        trend: recentTrend(session),
      };
    },
    'dashboard.health': () => {
      const session = ctx.session();
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
        // After the report, which records today's totals.
        trend: recentTrend(session),
      };
    },
  };
}

/**
 * A vault upgraded by a session that writes nothing (a security reader) has no summary yet: it is
 * made from the same few rows instead, and stored by the next write. Those rows are the
 * registry's, which a console unlock has not checked yet (ADR 0027), so they are checked first
 * (review, S1): else an incident row deleted with the summary row would show as no lost device.
 * And a row the signed state says exists but is gone was deleted: refused, naming it.
 */
function summaryFromTheRegistry(session: VaultSession) {
  session.ensureStateChecked();
  const { db } = session;
  if (dashboardSummaryRecorded(db)) {
    throw integrityError('dashboard_summary row current', 'is missing (deleted from the file)');
  }
  return computeDashboardSummary(db, session.keys.vault);
}

function recentTrend(session: VaultSession) {
  return healthTrend(session, DASHBOARD_TREND_DAYS).map((t) => ({
    day: t.day,
    total: t.summary.total,
  }));
}
