import type { AccountRecord } from '../../../shared/domain/accounts.ts';
import { accountLabel } from '../../../shared/domain/accounts.ts';
import { openAccountProfile } from '../domain/accounts.ts';
import {
  listDevices,
  listIncidents,
  type DeviceRecord,
  type IncidentRecord,
} from '../domain/devices.ts';
import { listPeople, type PersonRecord } from '../domain/people.ts';
import { listQuietPeriods, type QuietPeriodRecord } from '../domain/quiet-periods.ts';
import { openRotationDue, type RotationDueDetails } from '../domain/rotation-due.ts';
import type { MembershipRecord } from '../domain/teams.ts';
import { listComplaints, type ComplaintRecord } from '../domain/complaints.ts';
import { listThirdPartyApps, type ThirdPartyAppRecord } from '../domain/third-party-apps.ts';
import type { VaultSession } from '../session.ts';
import { accountStore } from '../store/account-store.ts';
import { membershipsTable } from '../store/registry-tables.ts';

export interface SnapshotAccount {
  readonly id: string;
  readonly createdAt: string;
  /** The day of `createdAt`, made once: rules give it as `since` to thousands of findings. */
  readonly createdOn: string;
  /** The subject of every finding about this account, one object shared by all of them. */
  readonly subject: { readonly kind: 'account'; readonly id: string; readonly label: string };
  readonly record: AccountRecord;
  readonly label: string;
  readonly hasCredentials: boolean;
  /** Rotation moments, oldest first. */
  readonly rotations: readonly string[];
  readonly memberships: readonly MembershipRecord[];
  readonly administrators: readonly string[];
}

export interface SnapshotOwedRotation extends RotationDueDetails {
  readonly accountId: string;
  readonly raisedAt: string;
  /** When the rotation that answered it happened, or null while it is owed. */
  readonly resolvedAt: string | null;
}

/**
 * The registry as opened records, read once per change of the vault (not per evaluation): health
 * over 10,000 accounts then costs array scans, not 10,000 decryptions. Holds no credential; it is
 * what every member, `security` included, may read.
 */
export interface RegistrySnapshot {
  readonly accounts: readonly SnapshotAccount[];
  readonly people: readonly PersonRecord[];
  readonly devices: readonly DeviceRecord[];
  readonly incidents: readonly IncidentRecord[];
  readonly quietPeriods: readonly QuietPeriodRecord[];
  readonly owedRotations: readonly SnapshotOwedRotation[];
  /** 6.4 complaints and breaches, and 6.3 / 10.2 apps on accounts (migration 011). */
  readonly complaints: readonly ComplaintRecord[];
  readonly thirdPartyApps: readonly ThirdPartyAppRecord[];
}

const cache = new WeakMap<VaultSession, { stamp: string; snapshot: RegistrySnapshot }>();

export function registrySnapshot(session: VaultSession): RegistrySnapshot {
  const stamp = session.dataStamp;
  const cached = cache.get(session);
  if (cached?.stamp === stamp) return cached.snapshot;
  const snapshot = loadSnapshot(session);
  cache.set(session, { stamp, snapshot });
  return snapshot;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function loadSnapshot(session: VaultSession): RegistrySnapshot {
  const { db } = session;
  const rotations = accountStore.allRotations(db);
  const rotationsByAccount = groupBy(rotations, (r) => r.account_id);
  const rotationAt = new Map(rotations.map((r) => [r.id, r.at]));
  const memberships = groupBy(
    membershipsTable.all(db, session.keys.vault),
    (m) => m.clear.account_id,
  );
  const wraps = groupBy(accountStore.allWraps(db), (w) => w.account_id);
  const withCredentials = new Set(accountStore.allCredentials(db).map((c) => c.account_id));

  const accounts = accountStore.all(db).map((row): SnapshotAccount => {
    const record = openAccountProfile(session, row);
    const label = accountLabel(record);
    return {
      id: row.id,
      createdAt: row.created_at,
      createdOn: row.created_at.slice(0, 10),
      subject: Object.freeze({ kind: 'account' as const, id: row.id, label }),
      record,
      label,
      hasCredentials: withCredentials.has(row.id),
      rotations: (rotationsByAccount.get(row.id) ?? []).map((r) => r.at).sort(),
      memberships: memberships.get(row.id) ?? [],
      administrators: (wraps.get(row.id) ?? [])
        .map((w) => w.holder)
        .filter((holder) => holder !== 'team'),
    };
  });
  const owedRotations = accountStore.allRotationDue(db).map((row) => ({
    ...openRotationDue(session, row),
    accountId: row.account_id,
    raisedAt: row.raised_at,
    resolvedAt: row.resolved_by === null ? null : (rotationAt.get(row.resolved_by) ?? null),
  }));
  return {
    accounts,
    people: listPeople(session),
    devices: listDevices(session),
    incidents: listIncidents(session),
    quietPeriods: listQuietPeriods(session),
    owedRotations,
    complaints: listComplaints(session),
    thirdPartyApps: listThirdPartyApps(session),
  };
}
