import type { Finding } from '../../../../shared/domain/health.ts';
import { legacyRefusal } from '../../../../shared/domain/account-lifecycle.ts';
import { accountFinding, liveAccounts, type HealthRule } from '../rule.ts';

/** 9.2 / 9.5: an active account has line manager, Head of Department and DML approval recorded. */
export const approvalRule: HealthRule = {
  id: 'approval-missing',
  clause: '9.2, 9.5',
  evaluate(context) {
    const findings: Finding[] = [];
    for (const account of liveAccounts(context)) {
      const approvals = account.record.approvals ?? {};
      // The exemption stands only on a true legacy account (9.16), as the core accepts it.
      if (account.record.legacy && approvals.exemption && legacyRefusal(account.record) === null)
        continue;
      if (approvals.lineManager && approvals.headOfDepartment && approvals.digitalMediaLead)
        continue;
      const missing: string[] = [];
      if (!approvals.lineManager) missing.push('line manager');
      if (!approvals.headOfDepartment) missing.push('Head of Department');
      if (!approvals.digitalMediaLead) missing.push('Digital Media Lead');
      if (missing.length === 0) continue;
      findings.push(
        accountFinding(this, account, {
          severity: 'warning',
          since: account.createdOn,
          evidence: `No ${missing.join(', ')} approval recorded.`,
          action: account.record.legacy
            ? 'Record the approvals (Requests), or the legacy exemption (9.16).'
            : 'Record the approvals, documented for audit (Requests; 9.2, 9.5, 6.6).',
        }),
      );
    }
    return findings;
  },
};
