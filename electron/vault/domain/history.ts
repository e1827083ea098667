import { dayOf } from '../../../shared/domain/dates.ts';
import type { VaultSession } from '../session.ts';
import { accountStore } from '../store/account-store.ts';
import { accountChangesTable, devicesTable } from '../store/registry-tables.ts';
import { resolveAccount } from './accounts.ts';
import { openRotationRecord } from './credentials.ts';
import { listIncidents } from './devices.ts';
import { memberName } from './member-records.ts';
import { listPeople } from './people.ts';
import { membershipsOf } from './teams.ts';

export interface HistoryEvent {
  readonly at: string;
  readonly kind:
    | 'registered'
    | 'rotation'
    | 'renamed'
    | 'owner-changed'
    | 'access-granted'
    | 'access-revoked'
    | 'device-lost';
  readonly summary: string;
}

/**
 * One account's story in date order: registration, rotations (9.9, 9.10, 10.2), name and owner
 * changes (9.9), team changes (10.2) and lost devices that exposed it (10.1). No secret in it.
 */
export function accountHistory(session: VaultSession, reference: string): HistoryEvent[] {
  const account = resolveAccount(session, reference);
  const people = new Map(listPeople(session).map((p) => [p.id, p.value.name]));
  const who = (id: string) => people.get(id) ?? id;
  const events: HistoryEvent[] = [
    { at: account.created_at, kind: 'registered', summary: 'registered in the vault' },
  ];
  for (const row of accountStore.rotationsFor(session.db, account.id)) {
    const rotation = openRotationRecord(session, row);
    const informed =
      rotation.informed.length > 0 ? `; informed ${rotation.informed.join(', ')}` : '';
    events.push({
      at: row.at,
      kind: 'rotation',
      summary: `password rotated (${rotation.reason}) by ${memberName(session, row.actor_id)}${informed}`,
    });
  }
  for (const change of accountChangesTable.all(session.db, session.keys.vault, {
    column: 'account_id',
    equals: account.id,
  })) {
    const { field, from, to } = change.value;
    events.push(
      field === 'handle'
        ? { at: change.clear.at, kind: 'renamed', summary: `renamed from ${from} to ${to}` }
        : {
            at: change.clear.at,
            kind: 'owner-changed',
            summary: `owner changed from ${from ? who(from) : 'nobody'} to ${who(to)}`,
          },
    );
  }
  for (const membership of membershipsOf(session, account.id)) {
    const name = who(membership.clear.person_id);
    events.push({
      at: membership.clear.granted_on,
      kind: 'access-granted',
      summary: `${name} given access by ${membership.value.grantedBy}`,
    });
    if (membership.clear.revoked_on !== null) {
      events.push({
        at: membership.clear.revoked_on,
        kind: 'access-revoked',
        summary: `${name}'s access revoked by ${membership.value.revokedBy ?? 'unknown'}`,
      });
    }
  }
  for (const incident of listIncidents(session)) {
    if (!incident.value.exposedAccountIds.includes(account.id)) continue;
    const device = devicesTable.get(session.db, session.keys.vault, incident.clear.device_id);
    events.push({
      at: incident.clear.lost_on,
      kind: 'device-lost',
      summary: `exposed by lost device ${device?.value.label ?? incident.clear.device_id} (incident ${incident.id})`,
    });
  }
  // Some events carry a day, others a moment. Within a day: registration, then the day-only
  // events (a grant, a revoke, a loss: what later moments that day respond to), then the moments.
  const rank = (e: HistoryEvent) => (e.kind === 'registered' ? 0 : e.at.length === 10 ? 1 : 2);
  return events.sort(
    (a, b) =>
      dayOf(a.at).localeCompare(dayOf(b.at)) || rank(a) - rank(b) || a.at.localeCompare(b.at),
  );
}
