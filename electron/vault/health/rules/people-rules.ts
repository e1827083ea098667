import { addMonths } from '../../../../shared/domain/dates.ts';
import type { Finding } from '../../../../shared/domain/health.ts';
import type { PersonRecord } from '../../domain/people.ts';
import type { HealthContext } from '../context.ts';
import { accountFinding, liveAccounts, type HealthRule } from '../rule.ts';

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

/** 12.1: a record of those using their own device is kept by their line manager. */
export const personalDeviceRule: HealthRule = {
  id: 'personal-device-unrecorded',
  clause: '12.1',
  evaluate(context) {
    const people = new Map(context.people.map((p) => [p.id, p.value.name]));
    return context.devices
      .filter((d) => d.value.kind === 'personal' && !d.value.lineManagerRecordOn)
      .map((device) => ({
        account: null,
        subject: { kind: 'device' as const, id: device.id, label: device.value.label },
        rule: this.id,
        clause: this.clause,
        severity: 'action' as const,
        since: device.clear.created_at.slice(0, 10),
        evidence: `${people.get(device.clear.owner_id) ?? 'Someone'}'s personal device "${device.value.label}" reaches ${device.value.accountIds.length} account(s); no line manager record.`,
        action: 'Ask the line manager to record the personal device, then note the date (12.1).',
      }));
  },
};

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
      const current = account.memberships.filter(
        (m) => m.clear.revoked_on === null || m.clear.revoked_on > context.today,
      );
      if (account.administrators.length === 0) {
        findings.push(
          accountFinding(this, account, {
            severity: 'warning',
            since: account.createdAt.slice(0, 10),
            evidence: 'No administrator is recorded for this account.',
            action: 'Name an administrator responsible for its password and team list (10.2).',
          }),
        );
        continue;
      }
      for (const memberId of account.administrators) {
        const person = context.personOfMember.get(memberId);
        if (person && current.some((m) => m.clear.person_id === person.id)) continue;
        findings.push(
          accountFinding(this, account, {
            severity: 'warning',
            since: account.createdAt.slice(0, 10),
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
