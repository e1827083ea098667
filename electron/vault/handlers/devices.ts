import { accountLabel } from '../../../shared/domain/accounts.ts';
import { listAccounts } from '../domain/accounts.ts';
import {
  addDevice,
  editDevice,
  listDevices,
  retireDevice,
  listIncidents,
  reportLostDevice,
  unansweredExposures,
} from '../domain/devices.ts';
import { listPeople } from '../domain/people.ts';
import { registryEditCheck } from '../domain/registry-access.ts';
import { definedOnly, type HandlerContext, type Handlers } from './types.ts';

/** Devices that reach accounts (10.1, 12.1), with the lost-device incidents they had. */
export function devicesHandlers(ctx: HandlerContext): Handlers<'devices'> {
  return {
    'devices.list': () => {
      const session = ctx.session();
      const accounts = new Map(listAccounts(session).map((a) => [a.id, accountLabel(a)]));
      const people = new Map(listPeople(session).map((p) => [p.id, p.value.name]));
      const devices = listDevices(session);
      const deviceLabel = new Map(devices.map((d) => [d.id, d.value.label]));
      const label = (id: string) => ({ id, label: accounts.get(id) ?? id });
      const may = registryEditCheck(session);
      const incidents = listIncidents(session);
      const lostOn = new Map(
        incidents
          .filter((i) => i.clear.resolved_at === null)
          .map((i) => [i.clear.device_id, i.clear.lost_on]),
      );
      // Each device's latest resolved loss, for a device with no open incident (10.1).
      const lostResolved = new Map<string, { lostOn: string; resolvedAt: string }>();
      for (const i of [...incidents].sort((a, b) =>
        a.clear.reported_at.localeCompare(b.clear.reported_at),
      )) {
        if (i.clear.resolved_at !== null)
          lostResolved.set(i.clear.device_id, {
            lostOn: i.clear.lost_on,
            resolvedAt: i.clear.resolved_at,
          });
      }
      return {
        devices: devices.map((d) => ({
          id: d.id,
          version: d.version,
          label: d.value.label,
          kind: d.value.kind,
          owner: people.get(d.clear.owner_id) ?? d.clear.owner_id,
          ownerId: d.clear.owner_id,
          accounts: d.value.accountIds.map(label),
          lineManagerRecordOn: d.value.lineManagerRecordOn ?? null,
          retiredOn: d.value.retiredOn ?? null,
          retireReason: d.value.retireReason ?? null,
          lostOn: lostOn.get(d.id) ?? null,
          lostResolved: lostOn.has(d.id) ? null : (lostResolved.get(d.id) ?? null),
          canEdit: may.accounts(d.value.accountIds),
        })),
        incidents: incidents
          .map((i) => {
            const open = new Set(unansweredExposures(session, i));
            return {
              id: i.id,
              device: deviceLabel.get(i.clear.device_id) ?? i.clear.device_id,
              lostOn: i.clear.lost_on,
              reportedAt: i.clear.reported_at,
              resolvedAt: i.clear.resolved_at,
              reportedBy: i.value.reportedBy,
              exposed: i.value.exposedAccountIds.map((id) => ({
                ...label(id),
                answered: !open.has(id),
                notExposed: i.value.notExposed[id] ?? null,
              })),
              notified: i.value.notified,
              references: i.value.references ?? {},
              canEdit: may.accounts(i.value.exposedAccountIds),
            };
          })
          .sort(
            (a, b) =>
              Number(a.resolvedAt !== null) - Number(b.resolvedAt !== null) ||
              b.reportedAt.localeCompare(a.reportedAt),
          ),
      };
    },
    'devices.add': (r) => ({ id: addDevice(ctx.session(), definedOnly(r)).id }),
    'devices.edit': (r) => ({ label: editDevice(ctx.session(), definedOnly(r)).value.label }),
    'devices.retire': (r) => {
      const { value } = retireDevice(ctx.session(), definedOnly(r));
      return { label: value.label, retiredOn: value.retiredOn ?? '' };
    },
    'devices.report-lost': (r) => ({
      incident: reportLostDevice(ctx.session(), {
        device: r.device,
        ...(r.lostOn ? { on: r.lostOn } : {}),
      }).id,
    }),
  };
}
