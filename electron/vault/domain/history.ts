import type { AuditDetails } from '../../../shared/domain/audit.ts';
import { dayOf } from '../../../shared/domain/dates.ts';
import type { VaultSession } from '../session.ts';
import { accountStore } from '../store/account-store.ts';
import { auditStore, type AuditEntryRow } from '../store/audit-store.ts';
import { accountChangesTable, complaintsTable, devicesTable } from '../store/registry-tables.ts';
import {
  COMPLAINT_KIND_NAMES,
  REFERRAL_BODY_NAMES,
  type ReferralBody,
} from '../../../shared/domain/policy-records.ts';
import { assertNever } from '../../../shared/errors.ts';
import { openAuditDetails } from '../store/audit-entry-codec.ts';
import { resolveAccount } from './accounts.ts';
import { openRotationRecord } from './rotations.ts';
import { listIncidents } from './devices.ts';
import { memberName } from './member-records.ts';
import { listPeople } from './people.ts';
import { membershipsOf } from './teams.ts';

export interface HistoryEvent {
  /** When it was recorded (ISO 8601 with the time of day, UTC): the moment of its audit entry. */
  readonly at: string;
  readonly kind:
    | 'registered'
    | 'rotation'
    | 'renamed'
    | 'owner-changed'
    | 'access-granted'
    | 'access-revoked'
    | 'device-lost'
    | 'closure'
    | 'complaint'
    | 'third-party-app';
  readonly summary: string;
}

/** An event and where it falls in the trail: its audit entry's seq, or just after the entry before it. */
interface Placed extends HistoryEvent {
  readonly order: number;
}

/**
 * One account's story in the order the audit trail recorded it, each event at the moment it was
 * recorded: registration, rotations (9.9, 9.10, 10.2), name and owner changes (9.9), team changes
 * (10.2), complaints and their referrals (6.4), third-party apps added and removed (6.3, 10.2)
 * and lost devices that exposed it (10.1). No secret in it. (Trials, 3.4, are on channels the
 * forces do not use yet, so they belong to no account: Requests shows them.)
 *
 * The order is the trail's, not the dates people gave: a grant or revoke carries only a day (it
 * may be given as an earlier date), so sorting by it put a grant after a revoke recorded later
 * the same day. Each event is placed by the audit entry written in its own transaction; a date
 * given apart from the moment of recording is said in the summary.
 */
export function accountHistory(session: VaultSession, reference: string): HistoryEvent[] {
  const account = resolveAccount(session, reference);
  const people = new Map(listPeople(session).map((p) => [p.id, p.value.name]));
  const who = (id: string) => people.get(id) ?? id;
  const trail = new AccountTrail(session, auditStore.entriesForAccount(session.db, account.id));
  const events: Placed[] = [
    {
      at: account.created_at,
      kind: 'registered',
      summary: 'registered in the vault',
      order: 0,
    },
  ];
  for (const row of accountStore.rotationsFor(session.db, account.id)) {
    const rotation = openRotationRecord(session, row);
    const informed =
      rotation.informed.length > 0 ? `; informed ${rotation.informed.join(', ')}` : '';
    const entry = trail.take('credential.rotated', (d) => d['rotation'] === row.id);
    events.push({
      at: entry?.at ?? row.at,
      kind: 'rotation',
      summary: `password rotated (${rotation.reason}) by ${memberName(session, row.actor_id)}${informed}`,
      order: entry?.seq ?? trail.placeAt(row.at),
    });
  }
  for (const change of accountChangesTable.all(session.db, session.keys.vault, {
    column: 'account_id',
    equals: account.id,
  })) {
    const { field, from, to } = change.value;
    const place = { at: change.clear.at, order: trail.placeAt(change.clear.at) };
    events.push(
      field === 'handle'
        ? { ...place, kind: 'renamed', summary: `renamed from ${from} to ${to}` }
        : {
            ...place,
            kind: 'owner-changed',
            summary: `owner changed from ${from ? who(from) : 'nobody'} to ${who(to)}`,
          },
    );
  }
  for (const membership of membershipsOf(session, account.id)) {
    const person = membership.clear.person_id;
    const name = who(person);
    const { granted_on: grantedOn, revoked_on: revokedOn } = membership.clear;
    const granted = trail.take(
      'team.granted',
      (d) => d['person'] === person && d['on'] === grantedOn,
    );
    events.push({
      ...placed(trail, granted, grantedOn),
      kind: 'access-granted',
      summary: `${name} given access by ${membership.value.grantedBy}${effective(granted, grantedOn)}`,
    });
    if (revokedOn !== null) {
      const revoked = trail.take(
        'team.revoked',
        (d) => d['person'] === person && d['on'] === revokedOn,
      );
      events.push({
        ...placed(trail, revoked, revokedOn),
        kind: 'access-revoked',
        summary: `${name}'s access revoked by ${membership.value.revokedBy ?? 'unknown'}${effective(revoked, revokedOn)}`,
      });
    }
  }
  // 9.11, 9.12: each step of a closure, or a hand-over, as its audit entry recorded it.
  for (const entry of trail.all('account.closed')) {
    events.push({
      at: entry.row.at,
      kind: 'closure',
      summary: closureSummary(entry.details, who),
      order: entry.row.seq,
    });
  }
  // 6.4: complaints and breaches, each step as its entry recorded it.
  for (const kind of COMPLAINT_KINDS_IN_TRAIL) {
    for (const entry of trail.all(kind)) {
      events.push({
        at: entry.row.at,
        kind: 'complaint',
        summary: complaintSummary(kind, entry.details, complaintKindOf(session, entry.details)),
        order: entry.row.seq,
      });
    }
  }
  // 6.3, 10.2: applications added to the account and taken off it.
  for (const kind of APP_KINDS_IN_TRAIL) {
    for (const entry of trail.all(kind)) {
      events.push({
        at: entry.row.at,
        kind: 'third-party-app',
        summary: appSummary(kind, entry.details),
        order: entry.row.seq,
      });
    }
  }
  for (const incident of listIncidents(session)) {
    if (!incident.value.exposedAccountIds.includes(account.id)) continue;
    const device = devicesTable.get(session.db, session.keys.vault, incident.clear.device_id);
    const lostOn = incident.clear.lost_on;
    const noted = lostOn === dayOf(incident.clear.reported_at) ? '' : ` on ${lostOn}`;
    events.push({
      at: incident.clear.reported_at,
      kind: 'device-lost',
      summary: `exposed by lost device ${device?.value.label ?? incident.clear.device_id}${noted} (incident ${incident.id})`,
      // The loss is audited without an account (it may expose many): it falls where its moment does.
      order: trail.placeAt(incident.clear.reported_at),
    });
  }
  return events
    .sort((a, b) => a.order - b.order)
    .map(({ at, kind, summary }) => ({ at, kind, summary }));
}

/** A closure step in words, from its audit entry's details (requests.ts closeAccount). */
function closureSummary(details: AuditDetails, who: (id: string) => string): string {
  const consulted = `Corporate Communications consulted on ${String(details['consultedOn'])}`;
  if (details['handedOver'] === true) {
    const to =
      typeof details['continuedBy'] === 'string' ? ` to ${who(details['continuedBy'])}` : '';
    return `handed over${to}, to be continued (9.12); ${consulted}`;
  }
  return details['status'] === 'closed'
    ? `closed (9.11); ${consulted}, the public told where to go instead`
    : `closure begun (9.11); ${consulted}; closed once the public is told where to go instead`;
}

const COMPLAINT_KINDS_IN_TRAIL = [
  'complaint.recorded',
  'complaint.referred',
  'complaint.outcome',
  'complaint.closed',
] as const;

const APP_KINDS_IN_TRAIL = ['third-party-app.added', 'third-party-app.removed'] as const;

/** What the complaint is ("Breach of the policy"), from its record; "Complaint" if it is gone. */
function complaintKindOf(session: VaultSession, details: AuditDetails): string {
  const id = details['complaint'];
  const record =
    typeof id === 'string' ? complaintsTable.get(session.db, session.keys.vault, id) : undefined;
  return record ? COMPLAINT_KIND_NAMES[record.value.kind] : 'Complaint';
}

function bodyName(to: unknown): string {
  return typeof to === 'string' && to in REFERRAL_BODY_NAMES
    ? REFERRAL_BODY_NAMES[to as ReferralBody]
    : String(to);
}

/** A complaint's step in words (complaints.ts): recorded, referred, an outcome, closed. */
function complaintSummary(
  kind: (typeof COMPLAINT_KINDS_IN_TRAIL)[number],
  details: AuditDetails,
  what: string,
): string {
  switch (kind) {
    case 'complaint.recorded':
      return `${what} recorded, received ${String(details['receivedOn'])} (6.4)`;
    case 'complaint.referred':
      return `${what} referred to ${bodyName(details['to'])} on ${String(details['on'])} (6.4)`;
    case 'complaint.outcome':
      return `${what}: the outcome from ${bodyName(details['to'])} recorded, ${String(details['on'])} (6.4)`;
    case 'complaint.closed':
      return `${what} closed on ${String(details['on'])} (6.4)`;
    default:
      return assertNever(kind);
  }
}

/** An app's addition or removal in words (third-party-apps.ts). */
function appSummary(kind: (typeof APP_KINDS_IN_TRAIL)[number], details: AuditDetails): string {
  const name = String(details['name']);
  switch (kind) {
    case 'third-party-app.added': {
      const reaches = Array.isArray(details['reaches']) ? details['reaches'].join(', ') : '';
      return `third-party app ${name} added by ${String(details['addedByName'])} on ${String(details['addedOn'])}${reaches ? `, reaching ${reaches}` : ''} (6.3, 10.2)`;
    }
    case 'third-party-app.removed':
      return `third-party app ${name} removed: ${String(details['reason'])} (6.3)`;
    default:
      return assertNever(kind);
  }
}

function placed(trail: AccountTrail, entry: AuditEntryRow | undefined, day: string) {
  return { at: entry?.at ?? day, order: entry?.seq ?? trail.placeAt(day) };
}

/** ", from 2026-01-02" when the day given is not the day it was recorded. */
function effective(entry: AuditEntryRow | undefined, day: string): string {
  return entry && dayOf(entry.at) !== day ? `, from ${day}` : '';
}

/** The account's own audit entries in seq order, each matched to at most one event. */
class AccountTrail {
  readonly #session: VaultSession;
  readonly #entries: readonly AuditEntryRow[];
  readonly #taken = new Set<number>();
  readonly #details = new Map<number, AuditDetails>();

  constructor(session: VaultSession, entries: readonly AuditEntryRow[]) {
    this.#session = session;
    this.#entries = entries;
  }

  /** Every entry of this kind not yet matched, with its details, taking them all. */
  all(kind: string): { row: AuditEntryRow; details: AuditDetails }[] {
    return this.#entries
      .filter((e) => e.kind === kind && !this.#taken.has(e.seq))
      .map((row) => {
        this.#taken.add(row.seq);
        return { row, details: this.#detailsOf(row) };
      });
  }

  /** The first entry not yet matched of this kind whose details satisfy `match`. */
  take(kind: string, match: (details: AuditDetails) => boolean): AuditEntryRow | undefined {
    const entry = this.#entries.find(
      (e) => e.kind === kind && !this.#taken.has(e.seq) && match(this.#detailsOf(e)),
    );
    if (entry) this.#taken.add(entry.seq);
    return entry;
  }

  /**
   * Where something recorded at `moment` falls among the account's entries: just after the last
   * one recorded at or before it (a day alone falls before that day's first entry).
   */
  placeAt(moment: string): number {
    let order = 0;
    for (const entry of this.#entries) {
      if (entry.at > moment) break;
      order = entry.seq;
    }
    return order + 0.5;
  }

  #detailsOf(entry: AuditEntryRow): AuditDetails {
    let details = this.#details.get(entry.seq);
    if (!details) {
      details = openAuditDetails(this.#session.keys.vault, entry);
      this.#details.set(entry.seq, details);
    }
    return details;
  }
}
