import type { Finding } from '../../../../shared/domain/health.ts';
import { accountFinding, liveAccounts, passwordSetOn, type HealthRule } from '../rule.ts';

/**
 * Weak passwords (zxcvbn) and one password on several accounts, judged from stored facts only.
 * The policy names no clause for these; the clause field says where the rule comes from instead.
 */
export const passwordQualityRule: HealthRule = {
  id: 'weak-password',
  clause: 'NIST SP 800-63B',
  evaluate(context) {
    const findings: Finding[] = [];
    const live = liveAccounts(context).filter((a) => a.record.passwordCheck);
    for (const account of live) {
      const check = account.record.passwordCheck!;
      if (check.strength < context.thresholds.minimumStrength) {
        findings.push(
          accountFinding(this, account, {
            severity: check.strength <= 1 ? 'action' : 'warning',
            since: passwordSetOn(account),
            evidence: `Password strength ${check.strength}/4 (minimum ${context.thresholds.minimumStrength}).`,
            action: 'Rotate to a generated password (reason security-risk, 9.10).',
          }),
        );
      }
    }
    // One group per reuse label: labels are keyed by the team secret, so they say "same password"
    // to every role and test no guess for anyone who cannot read it (issue 13, attack 9). A password
    // an administrator set has no label until a lead or dmt member next unlocks.
    const byLabel = new Map<string, typeof live>();
    for (const account of live) {
      const label = account.record.passwordCheck!.fingerprint;
      if (label === undefined) continue;
      const group = byLabel.get(label) ?? [];
      group.push(account);
      byLabel.set(label, group);
    }
    for (const group of byLabel.values()) {
      if (group.length < 2) continue;
      for (const account of group) {
        const others = group.filter((a) => a !== account).map((a) => a.label);
        findings.push({
          ...accountFinding({ id: 'reused-password', clause: 'NIST SP 800-63B' }, account, {
            severity: 'action',
            since: passwordSetOn(account),
            evidence: `The same password is used on ${others.join(', ')}.`,
            action: 'Rotate each to its own generated password (reason security-risk, 9.10).',
          }),
        });
      }
    }
    return findings;
  },
};
