import { legacyRefusal } from '../../../../shared/domain/account-lifecycle.ts';
import { accountFinding, liveAccounts, type HealthRule } from '../rule.ts';

/** 9.5: no individual accounts except those set up before January 2017. */
export const individualAccountRule: HealthRule = {
  id: 'individual-not-allowed',
  clause: '9.5',
  evaluate(context) {
    return (
      liveAccounts(context)
        // The flag answers it only as the core accepts it: individual, created before 2017 (9.16).
        .filter(
          (a) =>
            a.record.unitType === 'individual' &&
            (!a.record.legacy || legacyRefusal(a.record) !== null),
        )
        .map((account) =>
          accountFinding(this, account, {
            severity: 'breach',
            since: account.createdOn,
            evidence: 'An individual account without the pre-January 2017 legacy flag.',
            action:
              'Confirm it predates January 2017 and mark it legacy, or move it to a team or district account (9.5, 9.16).',
          }),
        )
    );
  },
};
