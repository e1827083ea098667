import { addMonths } from '../../../../shared/domain/dates.ts';
import type { Finding } from '../../../../shared/domain/health.ts';
import { accountFinding, liveAccounts, type HealthRule } from '../rule.ts';

/**
 * 9.13: accounts must be used regularly. Three months unused: offer guidance or training; six:
 * send a reminder; a further month: Corporate Communications may close it.
 */
export const inactivityRule: HealthRule = {
  id: 'inactivity',
  clause: '9.13',
  evaluate(context) {
    const t = context.thresholds;
    const findings: Finding[] = [];
    const stages = [
      {
        months: t.inactivityClosureMonths,
        severity: 'action',
        action:
          'No contact after the reminder: Corporate Communications may close the account (9.13).',
      },
      {
        months: t.inactivityReminderMonths,
        severity: 'warning',
        action: 'Send the account owner a reminder that the account is unused (9.13).',
      },
      {
        months: t.inactivityGuidanceMonths,
        severity: 'info',
        action: 'Offer the owner guidance and, if needed, training to encourage activity (9.13).',
      },
    ] as const;
    const stageOf = new Map<string, ((typeof stages)[number] & { since: string }) | null>();
    for (const account of liveAccounts(context)) {
      const lastUsed =
        account.record.lastActivityOn ?? account.record.createdOn ?? account.createdOn;
      // Thousands of accounts share a few hundred days: each day's stage is worked out once.
      let stage = stageOf.get(lastUsed);
      if (stage === undefined) {
        const found = stages.find((s) => addMonths(lastUsed, s.months) <= context.today);
        stage = found ? { ...found, since: addMonths(lastUsed, found.months) } : null;
        stageOf.set(lastUsed, stage);
      }
      if (!stage) continue;
      findings.push(
        accountFinding(this, account, {
          severity: stage.severity,
          since: stage.since,
          evidence: `${account.record.lastActivityOn ? 'Last used' : 'No activity recorded since it was set up on'} ${lastUsed}; unused for ${stage.months}+ months.`,
          action: stage.action,
        }),
      );
    }
    return findings;
  },
};
