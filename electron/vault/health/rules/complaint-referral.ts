import type { Finding } from '../../../../shared/domain/health.ts';
import {
  COMPLAINT_KIND_NAMES,
  REFERRAL_BODY_NAMES,
} from '../../../../shared/domain/policy-records.ts';
import { accountFinding, type HealthRule } from '../rule.ts';

/**
 * 6.4: serious complaints, issues, discrepancies and breaches "will be referred to line management
 * in the first instance and Information Security and/or the Professional Standards Department, as
 * appropriate". One not yet referred to line management is an action; a referral waiting for its
 * outcome is shown until the outcome is recorded and the complaint closed. Judged as of the day:
 * a referral, outcome or closure dated later has not happened yet.
 */
export const complaintReferralRule: HealthRule = {
  id: 'complaint-referral',
  clause: '6.4',
  evaluate(context) {
    const findings: Finding[] = [];
    for (const complaint of context.complaints) {
      const account = context.accountById.get(complaint.clear.account_id);
      if (!account || complaint.clear.received_on > context.today) continue;
      const closed = complaint.clear.closed_on;
      if (closed !== null && closed <= context.today) continue;
      const what = `${COMPLAINT_KIND_NAMES[complaint.value.kind]} received ${complaint.clear.received_on}`;
      const referrals = complaint.value.referrals.filter((r) => r.on <= context.today);
      if (!referrals.some((r) => r.to === 'line-management')) {
        findings.push(
          accountFinding(this, account, {
            severity: 'action',
            since: complaint.clear.received_on,
            evidence: `${what}, not yet referred to line management.`,
            action:
              'Refer it to line management in the first instance, then Information Security and/or Professional Standards as appropriate (6.4).',
          }),
        );
        continue;
      }
      const waiting = referrals.filter(
        (r) => r.outcomeOn === undefined || r.outcomeOn > context.today,
      );
      for (const referral of waiting) {
        findings.push(
          accountFinding(this, account, {
            severity: 'warning',
            since: referral.on,
            evidence: `${what}: open referral to ${REFERRAL_BODY_NAMES[referral.to]} since ${referral.on}${referral.reference ? ` (ref. ${referral.reference})` : ''}, no outcome recorded.`,
            action: `Record the outcome from ${REFERRAL_BODY_NAMES[referral.to]} when it comes, then close the complaint (6.4).`,
          }),
        );
      }
      if (waiting.length === 0) {
        findings.push(
          accountFinding(this, account, {
            severity: 'info',
            since:
              referrals
                .map((r) => r.outcomeOn ?? r.on)
                .sort()
                .at(-1) ?? complaint.clear.received_on,
            evidence: `${what}: every referral has its outcome, but the complaint is still open.`,
            action: 'Close the complaint with what came of it (6.4).',
          }),
        );
      }
    }
    return findings;
  },
};
