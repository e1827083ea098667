import { dayOf } from '../../../shared/domain/dates.ts';
import { DEFAULT_THRESHOLDS, type HealthThresholds } from '../../../shared/domain/health.ts';
import type { DeviceRecord, IncidentRecord } from '../domain/devices.ts';
import type { PersonRecord } from '../domain/people.ts';
import type { QuietPeriodRecord } from '../domain/quiet-periods.ts';
import type { ComplaintRecord } from '../domain/complaints.ts';
import type { ThirdPartyAppRecord } from '../domain/third-party-apps.ts';
import type { RotationDueDetails } from '../domain/rotation-due.ts';
import type { VaultSession } from '../session.ts';
import { settingsTable } from '../store/registry-tables.ts';
import type { RegistrySnapshot, SnapshotAccount } from './snapshot.ts';
import { isLive } from './account-status.ts';

/** An account as the rules see it: the snapshot's account, its history cut at the evaluation moment. */
export type HealthAccount = SnapshotAccount;

export interface OwedRotation extends RotationDueDetails {
  readonly accountId: string;
  readonly raisedOn: string;
}

/**
 * Everything the rules read, cut at the evaluation moment: the rules are pure functions of this,
 * so "as of next month" is the same code as "now".
 */
export interface HealthContext {
  /** The evaluation day, YYYY-MM-DD, and moment. */
  readonly today: string;
  readonly at: string;
  readonly thresholds: HealthThresholds;
  readonly accounts: readonly HealthAccount[];
  /** The accounts the rules judge (rule.ts `isLive`), in the same order. */
  readonly live: readonly HealthAccount[];
  /** Every account of `accounts` by its id, so a rule never scans for one. */
  readonly accountById: ReadonlyMap<string, HealthAccount>;
  readonly people: readonly PersonRecord[];
  readonly devices: readonly DeviceRecord[];
  readonly incidents: readonly IncidentRecord[];
  readonly quietPeriods: readonly QuietPeriodRecord[];
  readonly owedRotations: readonly OwedRotation[];
  /** Member id → the person linked to it, if any. */
  readonly personOfMember: ReadonlyMap<string, PersonRecord>;
  /** 6.4: complaints and breaches; each rule judges their dates against the day itself. */
  readonly complaints: readonly ComplaintRecord[];
  /** 6.3, 10.2: applications added to accounts. */
  readonly thirdPartyApps: readonly ThirdPartyAppRecord[];
}

export function thresholdsOf(session: VaultSession): HealthThresholds {
  const stored = settingsTable.get(session.db, session.keys.vault, 'health')?.value ?? {};
  const defined = Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_THRESHOLDS, ...defined };
}

/** What every evaluation of one snapshot shares: the latest moments in it, and its indexes. */
interface SnapshotIndex {
  /** The latest day an account was created, rotation moment and membership grant day. */
  readonly lastCreatedOn: string;
  readonly lastRotation: string;
  readonly lastGrantedOn: string;
  readonly live: readonly HealthAccount[];
  readonly accountById: ReadonlyMap<string, HealthAccount>;
  /** Every owed rotation as the rules see it, made once (a leaver bench has 25,000), with when it was answered. */
  readonly owed: readonly { readonly owed: OwedRotation; readonly resolvedAt: string | null }[];
}

const indexes = new WeakMap<RegistrySnapshot, SnapshotIndex>();

function indexOf(snapshot: RegistrySnapshot): SnapshotIndex {
  let index = indexes.get(snapshot);
  if (index) return index;
  let lastCreatedOn = '';
  let lastRotation = '';
  let lastGrantedOn = '';
  for (const account of snapshot.accounts) {
    const created = account.createdOn;
    if (created > lastCreatedOn) lastCreatedOn = created;
    const rotation = account.rotations.at(-1);
    if (rotation !== undefined && rotation > lastRotation) lastRotation = rotation;
    for (const m of account.memberships)
      if (m.clear.granted_on > lastGrantedOn) lastGrantedOn = m.clear.granted_on;
  }
  index = {
    lastCreatedOn,
    lastRotation,
    lastGrantedOn,
    live: snapshot.accounts.filter(isLive),
    accountById: new Map(snapshot.accounts.map((a) => [a.id, a])),
    owed: snapshot.owedRotations.map((o) => ({
      owed: {
        cause: o.cause,
        evidence: o.evidence,
        accountId: o.accountId,
        raisedOn: dayOf(o.raisedAt),
      },
      resolvedAt: o.resolvedAt,
    })),
  };
  indexes.set(snapshot, index);
  return index;
}

/**
 * The accounts as of the moment: those created by then, each with its history cut there. At or
 * after everything the snapshot holds (the usual "now"), that is the snapshot itself, and its
 * indexes are built once for every evaluation of it (issue 17: they were rebuilt by each rule).
 */
function accountsAt(
  snapshot: RegistrySnapshot,
  today: string,
  at: string,
): Pick<HealthContext, 'accounts' | 'live' | 'accountById'> {
  const index = indexOf(snapshot);
  if (index.lastCreatedOn <= today && index.lastRotation <= at && index.lastGrantedOn <= today)
    return { accounts: snapshot.accounts, live: index.live, accountById: index.accountById };
  const accounts: HealthAccount[] = [];
  for (const account of snapshot.accounts) {
    if (account.createdOn > today) continue;
    const lastRotation = account.rotations.at(-1);
    const rotations =
      lastRotation !== undefined && lastRotation > at
        ? account.rotations.filter((m) => m <= at)
        : account.rotations;
    const memberships = account.memberships.some((m) => m.clear.granted_on > today)
      ? account.memberships.filter((m) => m.clear.granted_on <= today)
      : account.memberships;
    accounts.push(
      rotations === account.rotations && memberships === account.memberships
        ? account
        : { ...account, rotations, memberships },
    );
  }
  return {
    accounts,
    live: accounts.filter(isLive),
    accountById: new Map(accounts.map((a) => [a.id, a])),
  };
}

export function buildHealthContext(
  snapshot: RegistrySnapshot,
  thresholds: HealthThresholds,
  at: string,
): HealthContext {
  const today = dayOf(at);
  const owedRotations = indexOf(snapshot)
    .owed.filter(
      ({ owed, resolvedAt }) => owed.raisedOn <= today && (resolvedAt === null || resolvedAt > at),
    )
    .map(({ owed }) => owed);
  const people = snapshot.people.filter((p) => dayOf(p.clear.created_at) <= today);
  const personOfMember = new Map<string, PersonRecord>();
  for (const person of people)
    if (person.value.memberId) personOfMember.set(person.value.memberId, person);
  return {
    today,
    at,
    thresholds,
    ...accountsAt(snapshot, today, at),
    people,
    // In service on the day: recorded by then and not yet retired (a retired device reaches nothing).
    devices: snapshot.devices.filter(
      (d) =>
        dayOf(d.clear.created_at) <= today &&
        (d.value.retiredOn === undefined || d.value.retiredOn > today),
    ),
    incidents: snapshot.incidents.filter((i) => i.clear.lost_on <= today),
    quietPeriods: snapshot.quietPeriods,
    owedRotations,
    personOfMember,
    complaints: snapshot.complaints,
    thirdPartyApps: snapshot.thirdPartyApps,
  };
}
