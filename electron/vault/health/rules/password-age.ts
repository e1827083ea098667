import { addDays, daysBetween } from '../../../../shared/domain/dates.ts';
import { accountFinding, liveAccounts, passwordSetOn, type HealthRule } from '../rule.ts';

/** Optional maximum password age (off by default: NIST SP 800-63B rotates on evidence). */
export const passwordAgeRule: HealthRule = {
  id: 'password-age',
  clause: 'NIST SP 800-63B',
  evaluate(context) {
    const maxDays = context.thresholds.maxPasswordAgeDays;
    if (maxDays === null) return [];
    return liveAccounts(context)
      .filter((a) => a.hasCredentials && daysBetween(passwordSetOn(a), context.today) > maxDays)
      .map((account) =>
        accountFinding(this, account, {
          severity: 'warning',
          since: addDays(passwordSetOn(account), maxDays),
          evidence: `Password set ${passwordSetOn(account)}, over the ${maxDays}-day maximum this vault sets.`,
          action: 'Rotate the password (reason scheduled).',
        }),
      );
  },
};
