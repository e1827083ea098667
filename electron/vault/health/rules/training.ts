import { addMonths } from '../../../../shared/domain/dates.ts';
import type { Finding } from '../../../../shared/domain/health.ts';
import type { PersonRecord } from '../../domain/people.ts';
import type { HealthContext } from '../context.ts';
import { liveAccounts, type HealthRule } from '../rule.ts';

/** People who use accounts now: current team members and linked administrators. */
function accountUsers(
  context: HealthContext,
): Map<string, { person: PersonRecord; since: string }> {
  const users = new Map<string, { person: PersonRecord; since: string }>();
  const byId = new Map(context.people.map((p) => [p.id, p]));
  for (const account of liveAccounts(context)) {
    for (const m of account.memberships) {
      if (m.clear.revoked_on !== null && m.clear.revoked_on <= context.today) continue;
      const person = byId.get(m.clear.person_id);
      if (!person) continue;
      const earlier = users.get(person.id);
      if (!earlier || m.clear.granted_on < earlier.since)
        users.set(person.id, { person, since: m.clear.granted_on });
    }
    for (const memberId of account.administrators) {
      const person = context.personOfMember.get(memberId);
      if (person && !users.has(person.id))
        users.set(person.id, { person, since: account.createdAt.slice(0, 10) });
    }
  }
  return users;
}

/**
 * 11.1: a masterclass before first use, then an annual refresher; failing either may lead to the
 * account being suspended. Severity rises with the time overdue.
 */
export const trainingRule: HealthRule = {
  id: 'training',
  clause: '11.1',
  evaluate(context) {
    const t = context.thresholds;
    const findings: Finding[] = [];
    for (const { person, since } of accountUsers(context).values()) {
      const subject = { kind: 'person' as const, id: person.id, label: person.value.name };
      const base = { account: null, subject, rule: this.id, clause: this.clause };
      if (!person.value.masterclassOn) {
        findings.push({
          ...base,
          severity: 'action',
          since,
          evidence: `${person.value.name} has account access since ${since} and no masterclass recorded.`,
          action: 'Book them on the next social media masterclass (11.1).',
        });
        continue;
      }
      const last = person.value.refresherOn ?? person.value.masterclassOn;
      const stages = [
        { months: t.refresherBreachMonths, severity: 'breach' },
        { months: t.refresherActionMonths, severity: 'action' },
        { months: t.refresherDueMonths, severity: 'warning' },
      ] as const;
      const stage = stages.find((s) => addMonths(last, s.months) <= context.today);
      if (!stage) continue;
      findings.push({
        ...base,
        severity: stage.severity,
        since: addMonths(last, t.refresherDueMonths),
        evidence: `${person.value.name}'s last training was ${last}; the refresher is annual.`,
        action: 'Book the annual refresher; without it their accounts may be suspended (11.1).',
      });
    }
    return findings;
  },
};
