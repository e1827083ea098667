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
    const byFingerprint = new Map<string, typeof live>();
    for (const account of live) {
      const group = byFingerprint.get(account.record.passwordCheck!.fingerprint) ?? [];
      group.push(account);
      byFingerprint.set(account.record.passwordCheck!.fingerprint, group);
    }
    for (const group of byFingerprint.values()) {
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
