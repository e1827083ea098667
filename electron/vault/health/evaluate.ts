import { SEVERITIES, type Finding } from '../../../shared/domain/health.ts';
import { dayOf } from '../../../shared/domain/dates.ts';
import type { VaultSession } from '../session.ts';
import { buildHealthContext, thresholdsOf } from './context.ts';
import { registrySnapshot } from './snapshot.ts';
import type { HealthRule } from './rule.ts';
import { inactivityRule } from './rules/inactivity.ts';
import { leaverRotationRule } from './rules/leaver-rotation.ts';
import { lostDeviceRule } from './rules/lost-device.ts';
import { administratorRule } from './rules/administrator.ts';
import { approvalRule } from './rules/approval.ts';
import { closureRule } from './rules/closure.ts';
import { credentialsRegisteredRule } from './rules/credentials-registered.ts';
import { individualAccountRule } from './rules/individual-account.ts';
import { passwordAgeRule } from './rules/password-age.ts';
import { passwordQualityRule } from './rules/password-quality.ts';
import { personalDeviceRule } from './rules/personal-device.ts';
import { trainingRule } from './rules/training.ts';
import { recoveryContactRule } from './rules/recovery-contact.ts';
import { twoFactorRule } from './rules/two-factor.ts';

export const HEALTH_RULES: readonly HealthRule[] = [
  leaverRotationRule,
  lostDeviceRule,
  credentialsRegisteredRule,
  individualAccountRule,
  inactivityRule,
  approvalRule,
  trainingRule,
  personalDeviceRule,
  passwordQualityRule,
  passwordAgeRule,
  twoFactorRule,
  administratorRule,
  closureRule,
  recoveryContactRule,
];

/**
 * Every rule's findings as of a moment (default now), most urgent first, then oldest first.
 * Reads only: what the DMT sees here needs no key beyond K_vault, so `security` sees it too.
 */
export function evaluateHealth(
  session: VaultSession,
  options: { at?: string; account?: string } = {},
): Finding[] {
  const at = options.at ?? session.clock().toISOString();
  const context = buildHealthContext(registrySnapshot(session), thresholdsOf(session), at);
  const findings = HEALTH_RULES.flatMap((rule) => rule.evaluate(context)).filter(
    (f) => options.account === undefined || f.account === options.account,
  );
  const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
  // Plain comparisons, not localeCompare: the keys are ASCII dates and ids, and this sorts 10^4+.
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return findings.sort(
    (a, b) => rank(b) - rank(a) || order(a.since, b.since) || order(a.rule, b.rule),
  );
}

/** Counts by rule and severity: one row a day, kept for the trend chart. */
export function summarise(findings: readonly Finding[]): {
  total: number;
  counts: Record<string, Record<string, number>>;
} {
  const counts: Record<string, Record<string, number>> = {};
  for (const f of findings) {
    const byRule = (counts[f.rule] ??= {});
    byRule[f.severity] = (byRule[f.severity] ?? 0) + 1;
  }
  return { total: findings.length, counts };
}

export function evaluationMoment(day: string | undefined, now: Date): string {
  // "As of" a day means at its end: everything recorded that day counts.
  return day === undefined || day === dayOf(now.toISOString())
    ? now.toISOString()
    : `${day}T23:59:59.999Z`;
}
