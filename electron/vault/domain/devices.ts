import { missingNotificationsOf, unansweredExposuresIn } from '../store/dashboard-summary.ts';
import { addDays, dateTimeSchema, dayOf } from '../../../shared/domain/dates.ts';
import {
  deviceSchema,
  NOTIFY_PARTIES,
  referenceSchema,
  type Device,
  type DeviceKind,
  type Incident,
  type NotifyParty,
} from '../../../shared/domain/registry.ts';
import { randomId } from '../crypto/random.ts';
import { invalidInput, notFound } from '../errors.ts';
import { registryConflict } from './conflicts.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import type { OpenedRecord } from '../store/sealed-records.ts';
import { devicesTable, incidentsTable } from '../store/registry-tables.ts';
import { requireRegistryChange } from './registry-access.ts';
import { resolveAccount } from './accounts.ts';
import { parseDate, parseInput } from './input.ts';
import { resolvePerson } from './people.ts';

export type DeviceRecord = OpenedRecord<{ owner_id: string; created_at: string }, Device>;
export type IncidentRecord = OpenedRecord<
  { device_id: string; lost_on: string; reported_at: string; resolved_at: string | null },
  Incident
>;

/** Record a device that can reach accounts: force-owned (10.1) or personal (12.1). */
export function addDevice(
  session: VaultSession,
  input: {
    owner: string;
    kind: DeviceKind;
    label: string;
    accounts: readonly string[];
    lineManagerRecordOn?: string;
  },
): DeviceRecord {
  const accountIds = [
    ...new Set(input.accounts.map((reference) => resolveAccount(session, reference).id)),
  ];
  // A device is linked to accounts: an administrator records only one that reaches theirs alone.
  requireRegistryChange(session, 'Recording a device', { accounts: accountIds });
  const owner = resolvePerson(session, input.owner);
  const device = parseInput(
    deviceSchema,
    {
      kind: input.kind,
      label: input.label,
      accountIds,
      ...(input.lineManagerRecordOn ? { lineManagerRecordOn: input.lineManagerRecordOn } : {}),
    },
    'Device',
  );
  return session.write(({ db, now, audit }) => {
    const record = devicesTable.insert(
      db,
      session.keys.vault,
      randomId(),
      { owner_id: owner.id, created_at: now },
      device,
    );
    audit({
      kind: 'device.added',
      details: { device: record.id, kind: device.kind, owner: owner.id, accounts: accountIds },
    });
    return record;
  });
}

/**
 * Correct a device's record: its label, kind, owner, the accounts it reaches, and for a personal
 * device the date of the line manager's record (12.1). An administrator may change only a device
 * whose accounts, before and after, are all theirs (10.2). A retired device is not edited: its
 * record stands as it was when it left service.
 */
export function editDevice(
  session: VaultSession,
  input: {
    device: string;
    label?: string;
    kind?: DeviceKind;
    owner?: string;
    accounts?: readonly string[];
    lineManagerRecordOn?: string | null;
    /** The version the form was opened on (ADR 0023); without it, the one read here. */
    expectedVersion?: number;
  },
): DeviceRecord {
  const record = resolveDevice(session, input.device);
  const accountIds =
    input.accounts === undefined
      ? record.value.accountIds
      : [...new Set(input.accounts.map((reference) => resolveAccount(session, reference).id))];
  requireRegistryChange(session, 'Changing a device', {
    accounts: [...record.value.accountIds, ...accountIds],
  });
  if (record.value.retiredOn !== undefined) {
    throw invalidInput(
      `${record.value.label} was retired on ${record.value.retiredOn}; its record is kept as it was. Record a new device instead.`,
    );
  }
  const owner = input.owner === undefined ? undefined : resolvePerson(session, input.owner);
  // null clears the 12.1 date (recorded by mistake); undefined keeps it.
  const lineManagerRecordOn =
    input.lineManagerRecordOn === undefined
      ? record.value.lineManagerRecordOn
      : (input.lineManagerRecordOn ?? undefined);
  const device = parseInput(
    deviceSchema,
    {
      kind: input.kind ?? record.value.kind,
      label: input.label ?? record.value.label,
      accountIds,
      ...(lineManagerRecordOn ? { lineManagerRecordOn } : {}),
    },
    'Device',
  );
  const changed: string[] = (
    ['label', 'kind', 'accountIds', 'lineManagerRecordOn'] as const
  ).filter((field) => JSON.stringify(device[field]) !== JSON.stringify(record.value[field]));
  if (owner && owner.id !== record.clear.owner_id) changed.push('owner');
  if (changed.length === 0) throw invalidInput('Nothing to change: the device already reads so.');
  return session.write(({ db, audit }) => {
    // The change was worked out from `record`: it stands only if the device is still that version,
    // and the version the form was opened on (issue 14).
    const current = devicesTable.get(db, session.keys.vault, record.id);
    const expected = input.expectedVersion ?? record.version;
    if (!current || current.version !== expected || current.version !== record.version) {
      throw registryConflict(session, db, {
        label: (current ?? record).value.label,
        id: record.id,
        version: current?.version ?? record.version,
        changes: {
          'device.updated': 'changed',
          'device.retired': 'retired',
          'device.lost': 'reported lost',
        },
        field: 'device',
      });
    }
    const updated = devicesTable.update(
      db,
      session.keys.vault,
      record,
      owner ? { ...record.clear, owner_id: owner.id } : record.clear,
      device,
    );
    audit({
      kind: 'device.updated',
      details: {
        device: record.id,
        changed,
        owner: updated.clear.owner_id,
        accounts: accountIds,
        lineManagerRecordOn: device.lineManagerRecordOn ?? null,
      },
    });
    return updated;
  });
}

/**
 * Take a device out of service (wiped, returned, replaced), with the reason: from that day it
 * reaches no account, so health no longer asks for its 12.1 record. Its incidents stay as they are:
 * retiring a lost phone does not answer the loss (10.1).
 */
export function retireDevice(
  session: VaultSession,
  input: { device: string; reason: string; on?: string },
): DeviceRecord {
  const record = resolveDevice(session, input.device);
  requireRegistryChange(session, 'Retiring a device', { accounts: record.value.accountIds });
  if (record.value.retiredOn !== undefined) {
    throw invalidInput(`${record.value.label} was already retired on ${record.value.retiredOn}.`);
  }
  const reason = input.reason.trim();
  if (reason.length === 0)
    throw invalidInput('Say why the device is retired (e.g. "returned to ICT, wiped").');
  return session.write(({ db, now, audit }) => {
    const retiredOn = input.on === undefined ? dayOf(now) : parseDate(input.on, 'The date');
    if (retiredOn < dayOf(record.clear.created_at)) {
      throw invalidInput(
        `A device cannot be retired before it was recorded (${dayOf(record.clear.created_at)}).`,
      );
    }
    const value = parseInput(
      deviceSchema,
      { ...record.value, retiredOn, retireReason: reason },
      'Device',
    );
    const updated = devicesTable.update(db, session.keys.vault, record, record.clear, value);
    audit({ kind: 'device.retired', details: { device: record.id, retiredOn, reason } });
    return updated;
  });
}

/** The device's open lost-device incident (10.1), if it has one. */
export function openIncidentOf(
  session: VaultSession,
  deviceId: string,
): IncidentRecord | undefined {
  return listIncidents(session).find(
    (i) => i.clear.device_id === deviceId && i.clear.resolved_at === null,
  );
}

export function listDevices(session: VaultSession): DeviceRecord[] {
  return devicesTable.all(session.db, session.keys.vault);
}

export function resolveDevice(session: VaultSession, reference: string): DeviceRecord {
  const byId = devicesTable.get(session.db, session.keys.vault, reference);
  if (byId) return byId;
  const wanted = reference.trim().toLowerCase();
  const matches = listDevices(session).filter((d) => d.value.label.toLowerCase() === wanted);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1)
    throw invalidInput(`"${reference}" names ${matches.length} devices; use the device id.`);
  throw notFound(`No device "${reference}"; see \`custodian device list\`.`);
}

/**
 * Report a lost device (10.1): the incident lists every account the device could reach as
 * exposed, and stays open until each is rotated after the loss (or judged not exposed, with a
 * reason) and ICT, Information Security and Corporate Communications have all been told.
 */
export function reportLostDevice(
  session: VaultSession,
  input: { device: string; on?: string },
): IncidentRecord {
  const device = resolveDevice(session, input.device);
  requireRegistryChange(session, 'Reporting a lost device', { accounts: device.value.accountIds });
  if (device.value.retiredOn !== undefined) {
    throw invalidInput(
      `${device.value.label} was retired on ${device.value.retiredOn} and reaches no account; nothing was recorded.`,
    );
  }
  const open = openIncidentOf(session, device.id);
  if (open) {
    throw invalidInput(
      `${device.value.label} is already reported lost (since ${open.clear.lost_on}); finish that incident in Devices instead.`,
    );
  }
  return session.write(({ db, now, audit }) => {
    const lostOn = input.on === undefined ? dayOf(now) : parseDate(input.on, 'The date');
    // A day ahead of UTC is allowed: the member's own calendar may already be on tomorrow.
    if (lostOn > addDays(dayOf(now), 1)) {
      throw invalidInput(
        `${device.value.label} cannot have been lost on ${lostOn}, a day still to come; enter the day it was lost.`,
      );
    }
    const record = incidentsTable.insert(
      db,
      session.keys.vault,
      randomId(),
      { device_id: device.id, lost_on: lostOn, reported_at: now, resolved_at: null },
      {
        reportedBy: session.member.name,
        exposedAccountIds: device.value.accountIds,
        notExposed: {},
        notified: {},
      },
    );
    audit({
      kind: 'device.lost',
      details: { incident: record.id, device: device.id, lostOn, exposed: device.value.accountIds },
    });
    return record;
  });
}

export function resolveIncident(session: VaultSession, reference: string): IncidentRecord {
  const incident = incidentsTable.get(session.db, session.keys.vault, reference);
  if (incident) return incident;
  // An unambiguous name: the lost device's label.
  const matches = listIncidents(session).filter((i) => {
    const device = devicesTable.get(session.db, session.keys.vault, i.clear.device_id);
    return device?.value.label.toLowerCase() === reference.trim().toLowerCase();
  });
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1)
    throw invalidInput(`"${reference}" names ${matches.length} incidents; use the incident id.`);
  throw notFound(`No incident "${reference}"; \`custodian device lost\` prints an incident's id.`);
}

export function listIncidents(session: VaultSession): IncidentRecord[] {
  return incidentsTable.all(session.db, session.keys.vault);
}

/**
 * Record that a party was told (10.1), at a given moment or now, with the reference they gave
 * (a ticket or case number) if any.
 */
export function recordNotification(
  session: VaultSession,
  input: { incident: string; party: NotifyParty; at?: string; reference?: string },
): IncidentRecord {
  if (!NOTIFY_PARTIES.includes(input.party))
    throw invalidInput(`Party must be one of ${NOTIFY_PARTIES.join(', ')}.`);
  const reference =
    input.reference === undefined || input.reference.trim() === ''
      ? undefined
      : parseInput(referenceSchema, input.reference, 'Reference');
  const found = resolveIncident(session, input.incident);
  requireRegistryChange(session, 'Recording a notification', {
    accounts: found.value.exposedAccountIds,
  });
  return session.write((context) => {
    const at = input.at === undefined ? context.now : parseInput(dateTimeSchema, input.at, 'Time');
    // Told before the device was lost cannot be: a mistyped time is refused, not recorded.
    if (dayOf(at) < found.clear.lost_on) {
      throw invalidInput(
        `The time ${at} is before the device was lost (${found.clear.lost_on}); enter when ${input.party} was told.`,
      );
    }
    // Read again inside the transaction (issue 14): another party's notification recorded since
    // `found` was read is kept, and the exposures checked are the ones there now.
    const incident = incidentsTable.get(context.db, session.keys.vault, found.id);
    if (!incident) throw notFound('The incident is no longer in the vault; nothing was saved.');
    if (incident.value.exposedAccountIds.join() !== found.value.exposedAccountIds.join()) {
      requireRegistryChange(session, 'Recording a notification', {
        accounts: incident.value.exposedAccountIds,
      });
    }
    const updated = incidentsTable.update(
      context.db,
      session.keys.vault,
      incident,
      incident.clear,
      {
        ...incident.value,
        notified: { ...incident.value.notified, [input.party]: at },
        ...(reference === undefined
          ? {}
          : { references: { ...incident.value.references, [input.party]: reference } }),
      },
    );
    context.audit({
      kind: 'incident.notified',
      details: {
        incident: incident.id,
        party: input.party,
        at,
        ...(reference === undefined ? {} : { reference }),
      },
    });
    return settleIncident(session, context, updated);
  });
}

/** Judge an exposed account not exposed after all (e.g. it was logged out), with the reason. */
export function judgeNotExposed(
  session: VaultSession,
  input: { incident: string; account: string; reason: string },
): IncidentRecord {
  const incident = resolveIncident(session, input.incident);
  const account = resolveAccount(session, input.account);
  requireRegistryChange(session, 'Judging an account not exposed', {
    accounts: [account.id],
  });
  if (!incident.value.exposedAccountIds.includes(account.id)) {
    throw invalidInput('That account is not one this incident exposes.');
  }
  const reason = input.reason.trim();
  if (reason.length === 0) throw invalidInput('Say why the account is not exposed.');
  return session.write((context) => {
    const updated = incidentsTable.update(
      context.db,
      session.keys.vault,
      incident,
      incident.clear,
      {
        ...incident.value,
        notExposed: { ...incident.value.notExposed, [account.id]: reason },
      },
    );
    context.audit({
      kind: 'incident.not-exposed',
      account: account.id,
      details: { incident: incident.id, reason },
    });
    return settleIncident(session, context, updated);
  });
}

/** Exposed accounts that still need a rotation, not judged safe (the rule: store/dashboard-summary.ts). */
export function unansweredExposures(session: VaultSession, incident: IncidentRecord): string[] {
  return unansweredExposuresIn(session.db, incident);
}

export function missingNotifications(incident: IncidentRecord): NotifyParty[] {
  return missingNotificationsOf(incident);
}

/** Close an incident once nothing is left to do; called after every change that could finish it. */
export function settleIncident(
  session: VaultSession,
  context: WriteContext,
  incident: IncidentRecord,
): IncidentRecord {
  if (incident.clear.resolved_at !== null) return incident;
  if (
    unansweredExposures(session, incident).length > 0 ||
    missingNotifications(incident).length > 0
  )
    return incident;
  const resolved = incidentsTable.update(
    context.db,
    session.keys.vault,
    incident,
    { ...incident.clear, resolved_at: context.now },
    incident.value,
  );
  context.audit({ kind: 'incident.resolved', details: { incident: incident.id } });
  return resolved;
}

/** After a rotation: settle every open incident that exposed the account. */
export function settleIncidentsFor(
  session: VaultSession,
  context: WriteContext,
  accountId: string,
): void {
  for (const incident of listIncidents(session)) {
    if (
      incident.clear.resolved_at === null &&
      incident.value.exposedAccountIds.includes(accountId)
    ) {
      settleIncident(session, context, incident);
    }
  }
}
