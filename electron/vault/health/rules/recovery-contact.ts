import type { Finding } from '../../../../shared/domain/health.ts';
import { accountFinding, liveAccounts, type HealthRule } from '../rule.ts';

/**
 * Whether an e-mail address is the force's: its domain is one of the force's domains or below
 * one (digital.suffolk.police.uk under suffolk.police.uk), compared whole and without case, so
 * `evilsuffolk.police.uk` and `suffolk.police.uk.example.com` are not.
 */
export function isForceEmail(email: string, forceDomains: readonly string[]): boolean {
  const at = email.lastIndexOf('@');
  if (at < 1) return false;
  const domain = email.slice(at + 1).toLowerCase();
  return forceDomains.some((d) => {
    const force = d.toLowerCase();
    return domain === force || domain.endsWith(`.${force}`);
  });
}

/**
 * 9.8 / 9.16: accounts are the force's property, registered so they can be recovered if hacked.
 * A recovery e-mail or phone that is not the force's (a personal address, a private mobile) lets
 * whoever holds it take the account back, a leaver included, whatever the DMT rotates.
 * - e-mail: the force's when at one of the force's domains (settings: `forceEmailDomains`,
 *   by default the Norfolk and Suffolk police.uk and pnn.police.uk domains);
 * - phone: a number cannot be told apart by its digits, so the DMT records that it is a
 *   force-issued number (`account set --recovery-phone-force`); until then it is a finding.
 * An account with neither recorded is not judged here (the platform may have none).
 */
export const recoveryContactRule: HealthRule = {
  id: 'recovery-not-force',
  clause: '9.8, 9.16',
  evaluate(context) {
    const domains = context.thresholds.forceEmailDomains;
    const findings: Finding[] = [];
    for (const account of liveAccounts(context)) {
      const { recoveryEmail, recoveryPhone, recoveryPhoneIsForce } = account.record;
      const problems: string[] = [];
      if (recoveryEmail !== undefined && !isForceEmail(recoveryEmail, domains)) {
        const domain = recoveryEmail.slice(recoveryEmail.lastIndexOf('@') + 1);
        problems.push(`the recovery e-mail is at ${domain}, not a force domain`);
      }
      if (recoveryPhone !== undefined && recoveryPhoneIsForce !== true)
        problems.push('the recovery phone is not recorded as a force number');
      if (problems.length === 0) continue;
      findings.push(
        accountFinding(this, account, {
          severity: 'action',
          since: account.createdOn,
          evidence: `${problems.join('; ')}: whoever holds it can take the account back.`.replace(
            /^t/,
            'T',
          ),
          action:
            "Change the recovery e-mail or phone on the platform to a force mailbox or force-issued number, then record it in the account's details.",
        }),
      );
    }
    return findings;
  },
};
