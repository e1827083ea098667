import type { AccountSummary } from '../../../shared/domain/accounts.ts';
import { accountLabel } from '../../../shared/domain/accounts.ts';
import { dayOf } from '../../../shared/domain/dates.ts';
import { DEFAULT_THRESHOLDS, type HealthThresholds } from '../../../shared/domain/health.ts';
import { openAccountProfile } from '../domain/accounts.ts';
import type { DeviceRecord, IncidentRecord } from '../domain/devices.ts';
import { listDevices, listIncidents } from '../domain/devices.ts';
import type { PersonRecord } from '../domain/people.ts';
import { listPeople } from '../domain/people.ts';
import type { QuietPeriodRecord } from '../domain/quiet-periods.ts';
import { listQuietPeriods } from '../domain/quiet-periods.ts';
import { openRotationDue, type RotationDueDetails } from '../domain/rotation-due.ts';
import type { MembershipRecord } from '../domain/teams.ts';
import type { VaultSession } from '../session.ts';
import { accountStore } from '../store/account-store.ts';
import { membershipsTable, settingsTable } from '../store/registry-tables.ts';

export interface HealthAccount extends AccountSummary {
  readonly label: string;
  readonly hasCredentials: boolean;
  /** Rotation moments (ISO) up to the evaluation time, oldest first. */
  readonly rotations: readonly string[];
  readonly memberships: readonly MembershipRecord[];
  /** Member ids of its administrators (holders of their own key wrap, 10.2). */
  readonly administrators: readonly string[];
}

export interface OwedRotation extends RotationDueDetails {
  readonly accountId: string;
  readonly raisedOn: string;
}

/**
 * Everything the rules read, gathered once and cut at the evaluation date: the rules are pure
 * functions of this, so "as of next month" is the same code as "now".
 */
export interface HealthContext {
  /** The evaluation day, YYYY-MM-DD, and moment (end of that day unless it is now). */
  readonly today: string;
  readonly at: string;
  readonly thresholds: HealthThresholds;
  readonly accounts: readonly HealthAccount[];
  readonly people: readonly PersonRecord[];
  readonly devices: readonly DeviceRecord[];
  readonly incidents: readonly IncidentRecord[];
  readonly quietPeriods: readonly QuietPeriodRecord[];
  readonly owedRotations: readonly OwedRotation[];
  /** Member id → the person linked to it, if any. */
  readonly personOfMember: ReadonlyMap<string, PersonRecord>;
}

export function thresholdsOf(session: VaultSession): HealthThresholds {
  const stored = settingsTable.get(session.db, session.keys.vault, 'health')?.value ?? {};
  const defined = Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_THRESHOLDS, ...defined };
}

export function buildHealthContext(session: VaultSession, at: string): HealthContext {
  const { db } = session;
  const today = dayOf(at);
  const rotationAt = new Map<string, string>();
  for (const row of accountStore.allRotations(db)) rotationAt.set(row.id, row.at);

  const accounts: HealthAccount[] = accountStore
    .all(db)
    .filter((row) => dayOf(row.created_at) <= today)
    .map((row) => {
      const record = openAccountProfile(session, row);
      const rotations = accountStore
        .rotationsFor(db, row.id)
        .map((r) => r.at)
        .filter((moment) => moment <= at);
      const memberships = membershipsTable
        .all(db, session.keys.vault, { column: 'account_id', equals: row.id })
        .filter((m) => m.clear.granted_on <= today);
      const administrators = accountStore
        .wrapsFor(db, row.id)
        .map((w) => w.holder)
        .filter((holder) => holder !== 'team');
      return {
        ...record,
        id: row.id,
        createdAt: row.created_at,
        rotationDueSince: null,
        lastRotatedAt: rotations.at(-1) ?? null,
        label: accountLabel(record),
        hasCredentials: accountStore.credential(db, row.id) !== undefined,
        rotations,
        memberships,
        administrators,
      };
    });

  const owedRotations: OwedRotation[] = accountStore
    .allRotationDue(db)
    .filter((row) => dayOf(row.raised_at) <= today)
    .filter((row) => row.resolved_by === null || (rotationAt.get(row.resolved_by) ?? '') > at)
    .map((row) => ({
      ...openRotationDue(session, row),
      accountId: row.account_id,
      raisedOn: dayOf(row.raised_at),
    }));

  const people = listPeople(session).filter((p) => dayOf(p.clear.created_at) <= today);
  const personOfMember = new Map<string, PersonRecord>();
  for (const person of people)
    if (person.value.memberId) personOfMember.set(person.value.memberId, person);

  return {
    today,
    at,
    thresholds: thresholdsOf(session),
    accounts,
    people,
    devices: listDevices(session).filter((d) => dayOf(d.clear.created_at) <= today),
    incidents: listIncidents(session).filter((i) => i.clear.lost_on <= today),
    quietPeriods: listQuietPeriods(session),
    owedRotations,
    personOfMember,
  };
}
