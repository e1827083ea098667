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
import { complaintReferralRule } from './rules/complaint-referral.ts';
import { thirdPartyAppRule } from './rules/third-party-app.ts';

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
  complaintReferralRule,
  thirdPartyAppRule,
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
  const findings: Finding[] = [];
  for (const rule of HEALTH_RULES) {
    for (const finding of rule.evaluate(context))
      if (options.account === undefined || finding.account === options.account)
        findings.push(finding);
  }
  return mostUrgentFirst(findings);
}

/**
 * Sorted by severity (most severe first), then `since`, then rule, ties kept in the rules' order:
 * what a stable sort with that comparator gives. A comparator called some 500,000 times for
 * 30,000 findings was the largest part of an evaluation (issue 17); the findings are grouped by
 * those three keys instead (a few hundred groups, each in the rules' order), and only the keys
 * are sorted, as plain strings compared by code unit as `<` compares them.
 */
function mostUrgentFirst(findings: readonly Finding[]): Finding[] {
  const groups = new Map<Finding['severity'], Map<string, Map<string, Finding[]>>>();
  for (const finding of findings) {
    let bySince = groups.get(finding.severity);
    if (!bySince)
      groups.set(finding.severity, (bySince = new Map<string, Map<string, Finding[]>>()));
    let byRule = bySince.get(finding.since);
    if (!byRule) bySince.set(finding.since, (byRule = new Map<string, Finding[]>()));
    const group = byRule.get(finding.rule);
    if (group) group.push(finding);
    else byRule.set(finding.rule, [finding]);
  }
  const sorted = new Array<Finding>(findings.length);
  let next = 0;
  for (let rank = SEVERITIES.length - 1; rank >= 0; rank--) {
    const bySince = groups.get(SEVERITIES[rank]!);
    if (!bySince) continue;
    for (const since of [...bySince.keys()].sort()) {
      const byRule = bySince.get(since)!;
      for (const rule of [...byRule.keys()].sort())
        for (const f of byRule.get(rule)!) sorted[next++] = f;
    }
  }
  return sorted;
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
