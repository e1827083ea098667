import type { Finding } from '../../../../shared/domain/health.ts';
import { APP_REACH_NAMES } from '../../../../shared/domain/policy-records.ts';
import { accountFinding, type HealthRule } from '../rule.ts';

/**
 * 10.2: "Staff should be careful about adding applications to social media accounts as they will
 * often be granting access to account information to a third party provider ... staff should
 * ensure they read the small print before signing up." An app on an account whose terms nobody
 * has recorded reading is a warning, for as long as it stays on the account.
 */
export const thirdPartyAppRule: HealthRule = {
  id: 'third-party-app-terms',
  clause: '10.2',
  evaluate(context) {
    const findings: Finding[] = [];
    for (const app of context.thirdPartyApps) {
      const account = context.accountById.get(app.clear.account_id);
      if (!account || app.clear.added_on > context.today) continue;
      if (app.clear.removed_on !== null && app.clear.removed_on <= context.today) continue;
      if (app.value.termsReadOn !== undefined && app.value.termsReadOn <= context.today) continue;
      findings.push(
        accountFinding(this, account, {
          severity: 'warning',
          since: app.clear.added_on,
          evidence: `${app.value.name} can ${app.value.reaches.map((r) => APP_REACH_NAMES[r]).join(', ')}; nobody has recorded reading its small print.`,
          action:
            "Read the app's terms (what it may do with the account's information and media) and record the day, or have it removed (10.2).",
        }),
      );
    }
    return findings;
  },
};
