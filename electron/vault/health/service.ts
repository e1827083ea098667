import { dayOf } from '../../../shared/domain/dates.ts';
import type { Finding, HealthThresholds } from '../../../shared/domain/health.ts';
import type { VaultSession } from '../session.ts';
import {
  healthSettingsSchema,
  healthSummariesTable,
  settingsTable,
  type HealthSettings,
  type HealthSummary,
} from '../store/registry-tables.ts';
import { resolveAccount } from '../domain/accounts.ts';
import { parseDate, parseInput } from '../domain/input.ts';
import { buildHealthContext, thresholdsOf } from './context.ts';
import { registrySnapshot } from './snapshot.ts';
import { trainingStatuses, type TrainingStatus } from './rules/training.ts';
import { evaluateHealth, evaluationMoment, summarise } from './evaluate.ts';
import { invalidInput } from '../errors.ts';
import { canonicalJson } from '../canonical-json.ts';

/**
 * The health report (issue 4): findings as of a day (default now). Evaluating "now" also keeps
 * today's summary (counts by rule and severity) for the trend chart; that write is audited.
 */
export function healthReport(
  session: VaultSession,
  options: { at?: string; account?: string } = {},
): Finding[] {
  const now = session.clock();
  const day = options.at === undefined ? undefined : parseDate(options.at, 'The --at date');
  const accountId =
    options.account === undefined ? undefined : resolveAccount(session, options.account).id;
  const at = evaluationMoment(day, now);
  const findings = evaluateHealth(session, { at, ...(accountId ? { account: accountId } : {}) });
  if (day === undefined && accountId === undefined)
    recordDailySummary(session, summarise(findings));
  return findings;
}

/**
 * Keep today's counts for the trend chart. Unchanged counts write nothing: a write would add an
 * audit entry to every dashboard view and throw away the registry snapshot the next view reuses.
 */
function recordDailySummary(session: VaultSession, summary: HealthSummary): void {
  const today = dayOf(session.clock().toISOString());
  const stored = healthSummariesTable.get(session.db, session.keys.vault, today);
  if (stored && canonicalJson(stored.value) === canonicalJson(summary)) return;
  session.write(({ db, now, audit }) => {
    const existing = healthSummariesTable.get(db, session.keys.vault, today);
    if (existing)
      healthSummariesTable.update(db, session.keys.vault, existing, { recorded_at: now }, summary);
    else healthSummariesTable.insert(db, session.keys.vault, today, { recorded_at: now }, summary);
    audit({ kind: 'health.summarised', details: { day: today, total: summary.total } });
  });
}

/** The recorded daily totals, oldest first: every day, or the last `days` recorded. */
export function healthTrend(
  session: VaultSession,
  days?: number,
): { day: string; summary: HealthSummary }[] {
  const rows =
    days === undefined
      ? healthSummariesTable.all(session.db, session.keys.vault)
      : healthSummariesTable.last(session.db, session.keys.vault, days);
  return rows.map((r) => ({ day: r.id, summary: r.value }));
}

/** Change health thresholds (the contract lets only the lead ask); old and new values are audited. */
export function setHealthThresholds(
  session: VaultSession,
  changes: HealthSettings,
): HealthThresholds {
  const parsed = parseInput(healthSettingsSchema, changes, 'Threshold');
  if (Object.keys(parsed).length === 0)
    throw invalidInput('Name at least one threshold to change.');
  return session.write(({ db, now, audit }) => {
    const before = thresholdsOf(session);
    const existing = settingsTable.get(db, session.keys.vault, 'health');
    const merged = { ...(existing?.value ?? {}), ...parsed };
    if (existing)
      settingsTable.update(db, session.keys.vault, existing, { updated_at: now }, merged);
    else settingsTable.insert(db, session.keys.vault, 'health', { updated_at: now }, merged);
    const after = thresholdsOf(session);
    const changed = Object.keys(parsed).map((key) => {
      const k = key as keyof HealthThresholds;
      return `${key}: ${String(before[k])} -> ${String(after[k])}`;
    });
    audit({ kind: 'settings.changed', details: { group: 'health', changed } });
    return after;
  });
}

/** Every person's 11.1 status now, from the same rule as the report (the People view shows it). */
export function trainingNow(session: VaultSession): Map<string, TrainingStatus> {
  const at = session.clock().toISOString();
  return trainingStatuses(buildHealthContext(registrySnapshot(session), thresholdsOf(session), at));
}
