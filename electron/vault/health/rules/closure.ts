import type { Finding } from '../../../../shared/domain/health.ts';
import { inForce } from '../../domain/quiet-periods.ts';
import { accountFinding, type HealthRule } from '../rule.ts';

/** 9.11: closure only with the public told of an alternative channel. 6.6: quiet periods. */
export const closureRule: HealthRule = {
  id: 'closure-without-notice',
  clause: '9.11',
  evaluate(context) {
    const findings: Finding[] = [];
    for (const account of context.accounts) {
      if (
        account.record.status === 'closing' &&
        (!account.record.closure?.publicNoticeOn || !account.record.closure.alternativeChannel)
      ) {
        findings.push(
          accountFinding(this, account, {
            severity: 'action',
            since: account.record.closure?.consultedOn ?? account.createdOn,
            evidence: 'Closing, but no public notice of an alternative channel is recorded.',
            action:
              'Tell followers the account is closing and where to go instead, then record it (9.11).',
          }),
        );
      }
      for (const quiet of context.quietPeriods) {
        if (
          !inForce(quiet, context.at) ||
          (quiet.value.accountIds !== 'all' && !quiet.value.accountIds.includes(account.id))
        )
          continue;
        findings.push(
          accountFinding({ id: 'quiet-period', clause: '6.6' }, account, {
            severity: 'info',
            since: quiet.clear.declared_at.slice(0, 10),
            evidence: `Quiet period ordered by ${quiet.value.authority}: ${quiet.value.reason}.`,
            action: 'Do not post until the quiet period ends (6.6).',
          }),
        );
      }
    }
    return findings;
  },
};
