import { addMonths } from '../../../../shared/domain/dates.ts';
import type { Finding } from '../../../../shared/domain/health.ts';
import type { PersonRecord } from '../../domain/people.ts';
import type { HealthAccount, HealthContext } from '../context.ts';
import { liveAccounts, type HealthRule } from '../rule.ts';

/**
 * A person's 11.1 training status: the one rule that decides it, used by the health report and by
 * the People view alike, so the two can never disagree.
 * - `no-access`: they use no account yet, so nothing is overdue (the masterclass comes before
 *   first use: the view says so, never "up to date").
 * - `up-to-date`: masterclass recorded and the annual refresher not yet due.
 * - `overdue`: no masterclass, or the refresher is due; the finding says how urgent.
 */
export type TrainingStatus =
  | { readonly status: 'no-access'; readonly finding: null }
  | { readonly status: 'up-to-date'; readonly refresherDue: string; readonly finding: null }
  | { readonly status: 'overdue'; readonly finding: Finding };

const RULE = { id: 'training', clause: '11.1' } as const;

/** One way someone reaches an account: a team membership, or administering it (10.2). */
type Access =
  | {
      readonly member: false;
      readonly personId: string;
      readonly grantedOn: string;
      readonly revokedOn: string | null;
    }
  | { readonly member: true; readonly memberId: string; readonly createdOn: string };

/**
 * Every live account's memberships and administrators in one flat list, in the order the rule
 * reads them, made once per list of live accounts (once per snapshot at "now"): the rule then
 * walks small objects of one shape instead of each account's records (issue 17).
 */
const accessLists = new WeakMap<readonly HealthAccount[], readonly Access[]>();

function accessesOf(live: readonly HealthAccount[]): readonly Access[] {
  let list = accessLists.get(live);
  if (list) return list;
  const built: Access[] = [];
  for (const account of live) {
    for (const m of account.memberships) {
      built.push({
        member: false,
        personId: m.clear.person_id,
        grantedOn: m.clear.granted_on,
        revokedOn: m.clear.revoked_on,
      });
    }
    for (const memberId of account.administrators)
      built.push({ member: true, memberId, createdOn: account.createdOn });
  }
  accessLists.set(live, (list = built));
  return list;
}

/** People who use accounts now: current team members and linked administrators, with since when. */
function accountUsers(context: HealthContext): Map<string, string> {
  const since = new Map<string, string>();
  const known = new Set(context.people.map((p) => p.id));
  for (const access of accessesOf(liveAccounts(context))) {
    if (!access.member) {
      if (access.revokedOn !== null && access.revokedOn <= context.today) continue;
      if (!known.has(access.personId)) continue;
      const earlier = since.get(access.personId);
      if (earlier === undefined || access.grantedOn < earlier)
        since.set(access.personId, access.grantedOn);
    } else {
      const person = context.personOfMember.get(access.memberId);
      if (person && !since.has(person.id)) since.set(person.id, access.createdOn);
    }
  }
  return since;
}

/** The status of one person, who has used accounts since `since` (undefined: not at all). */
export function trainingStatus(
  context: Pick<HealthContext, 'today' | 'thresholds'>,
  person: PersonRecord,
  since: string | undefined,
): TrainingStatus {
  if (since === undefined) return { status: 'no-access', finding: null };
  const t = context.thresholds;
  const subject = { kind: 'person' as const, id: person.id, label: person.value.name };
  const base = { account: null, subject, rule: RULE.id, clause: RULE.clause };
  if (!person.value.masterclassOn) {
    return {
      status: 'overdue',
      finding: {
        ...base,
        severity: 'action',
        since,
        evidence: `${person.value.name} has account access since ${since} and no masterclass recorded.`,
        action: 'Book them on the next social media masterclass (11.1).',
      },
    };
  }
  const last = person.value.refresherOn ?? person.value.masterclassOn;
  const stages = [
    { months: t.refresherBreachMonths, severity: 'breach' },
    { months: t.refresherActionMonths, severity: 'action' },
    { months: t.refresherDueMonths, severity: 'warning' },
  ] as const;
  const stage = stages.find((s) => addMonths(last, s.months) <= context.today);
  const refresherDue = addMonths(last, t.refresherDueMonths);
  if (!stage) return { status: 'up-to-date', refresherDue, finding: null };
  return {
    status: 'overdue',
    finding: {
      ...base,
      severity: stage.severity,
      since: refresherDue,
      evidence: `${person.value.name}'s last training was ${last}; the refresher is annual.`,
      action: 'Book the annual refresher; without it their accounts may be suspended (11.1).',
    },
  };
}

/** Every person's status, keyed by person id. */
export function trainingStatuses(context: HealthContext): Map<string, TrainingStatus> {
  const users = accountUsers(context);
  return new Map(
    context.people.map((person) => [
      person.id,
      trainingStatus(context, person, users.get(person.id)),
    ]),
  );
}

/**
 * 11.1: a masterclass before first use, then an annual refresher; failing either may lead to the
 * account being suspended. Severity rises with the time overdue.
 */
export const trainingRule: HealthRule = {
  ...RULE,
  evaluate(context) {
    const findings: Finding[] = [];
    for (const status of trainingStatuses(context).values())
      if (status.finding) findings.push(status.finding);
    return findings;
  },
};
