import type { Finding } from '../../../../shared/domain/health.ts';
import { accountFinding, liveAccounts, type HealthRule } from '../rule.ts';

/** 10.2 / 9.14: every account has a current administrator, and its administrators are on its team. */
export const administratorRule: HealthRule = {
  id: 'administrator',
  // 10.2 makes the administrator responsible for the password and the team list; 9.14 makes the
  // line manager's team answerable for the account. The finding is filed under 9.14 so that the
  // 10.2 findings are exactly the owed rotations.
  clause: '9.14',
  evaluate(context) {
    const findings: Finding[] = [];
    for (const account of liveAccounts(context)) {
      if (account.administrators.length === 0) {
        findings.push(
          accountFinding(this, account, {
            severity: 'warning',
            since: account.createdOn,
            evidence: 'No administrator is recorded for this account.',
            action: 'Name an administrator responsible for its password and team list (10.2).',
          }),
        );
        continue;
      }
      const current = account.memberships.filter(
        (m) => m.clear.revoked_on === null || m.clear.revoked_on > context.today,
      );
      for (const memberId of account.administrators) {
        const person = context.personOfMember.get(memberId);
        if (person && current.some((m) => m.clear.person_id === person.id)) continue;
        findings.push(
          accountFinding(this, account, {
            severity: 'warning',
            since: account.createdOn,
            evidence: person
              ? `Administrator ${person.value.name} is not on the account's team list.`
              : 'An administrator is not linked to anyone in the staff register.',
            action: 'Add them to the team list, or end their administration (10.2, 9.14).',
          }),
        );
      }
    }
    return findings;
  },
};
