import type { Finding } from '../../../../shared/domain/health.ts';
import type { HealthAccount } from '../context.ts';
import { accountFinding, liveAccounts, passwordSetOn, type HealthRule } from '../rule.ts';

interface PasswordFacts {
  /** The live accounts whose password has been checked. */
  readonly checked: readonly HealthAccount[];
  /** The accounts of each reuse label held by two or more, in the order labels are first seen. */
  readonly reused: readonly (readonly HealthAccount[])[];
}

/**
 * Made once per list of live accounts (once per snapshot at "now", issue 17). One group per reuse
 * label: labels are keyed by the team secret, so they say "same password" to every role and test
 * no guess for anyone who cannot read it (issue 13, attack 9). A password an administrator set
 * has no label until a lead or dmt member next unlocks.
 */
const factsOf = new WeakMap<readonly HealthAccount[], PasswordFacts>();

function passwordFacts(live: readonly HealthAccount[]): PasswordFacts {
  let facts = factsOf.get(live);
  if (facts) return facts;
  const checked = live.filter((a) => a.record.passwordCheck);
  // A label seen once keeps its account, not an array: most labels are.
  const byLabel = new Map<string, HealthAccount | HealthAccount[]>();
  for (const account of checked) {
    const label = account.record.passwordCheck!.fingerprint;
    if (label === undefined) continue;
    const seen = byLabel.get(label);
    if (seen === undefined) byLabel.set(label, account);
    else if (Array.isArray(seen)) seen.push(account);
    else byLabel.set(label, [seen, account]);
  }
  const reused = [...byLabel.values()].filter((group) => Array.isArray(group));
  factsOf.set(live, (facts = { checked, reused }));
  return facts;
}

/**
 * Weak passwords (zxcvbn) and one password on several accounts, judged from stored facts only.
 * The policy names no clause for these; the clause field says where the rule comes from instead.
 */
export const passwordQualityRule: HealthRule = {
  id: 'weak-password',
  clause: 'NIST SP 800-63B',
  evaluate(context) {
    const findings: Finding[] = [];
    const { checked, reused } = passwordFacts(liveAccounts(context));
    for (const account of checked) {
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
    for (const group of reused) {
      for (const account of group) {
        const others = group.filter((a) => a !== account).map((a) => a.label);
        findings.push(
          accountFinding({ id: 'reused-password', clause: 'NIST SP 800-63B' }, account, {
            severity: 'action',
            since: passwordSetOn(account),
            evidence: `The same password is used on ${others.join(', ')}.`,
            action: 'Rotate each to its own generated password (reason security-risk, 9.10).',
          }),
        );
      }
    }
    return findings;
  },
};
