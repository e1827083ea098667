import { addDays } from '../../../../shared/domain/dates.ts';
import type { Finding } from '../../../../shared/domain/health.ts';
import { accountFinding, type HealthRule } from '../rule.ts';

/**
 * 10.2: change passwords when team membership changes. Someone who knew the password left (access
 * revoked, or a vault member removed) after the last rotation: the account is owed a rotation.
 */
export const leaverRotationRule: HealthRule = {
  id: 'leaver-rotation-due',
  clause: '10.2',
  evaluate(context) {
    const findings: Finding[] = [];
    const breachOnFor = new Map<string, string>();
    for (const owed of context.owedRotations) {
      const account = context.accountById.get(owed.accountId);
      if (!account || account.record.status === 'closed') continue;
      // 125,000 owed rotations at 50,000 accounts are raised on a few hundred days.
      let breachOn = breachOnFor.get(owed.raisedOn);
      if (breachOn === undefined) {
        breachOn = addDays(owed.raisedOn, context.thresholds.leaverRotationGraceDays);
        breachOnFor.set(owed.raisedOn, breachOn);
      }
      findings.push(
        accountFinding(this, account, {
          severity: breachOn <= context.today ? 'breach' : 'action',
          since: owed.raisedOn,
          evidence: owed.evidence,
          action:
            'Rotate the password (reason membership-change) and tell the people who still need it (10.2, 9.10).',
        }),
      );
    }
    return findings;
  },
};
