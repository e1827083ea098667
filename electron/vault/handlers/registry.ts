import { accountLabel } from '../../../shared/domain/accounts.ts';
import { listAccounts } from '../domain/accounts.ts';
import {
  addDevice,
  editDevice,
  listDevices,
  retireDevice,
  listIncidents,
  recordNotification,
  reportLostDevice,
  unansweredExposures,
} from '../domain/devices.ts';
import { addMember, changeOwnPassphrase, listMembers, removeMember } from '../domain/members.ts';
import { addPerson, currentAccountsOf, listPeople, recordTraining } from '../domain/people.ts';
import { trainingNow } from '../health/service.ts';
import type { TrainingStatus } from '../health/rules/training.ts';
import { registryEditCheck } from '../domain/registry-access.ts';
import { definedOnly, type HandlerContext, type Handlers } from './types.ts';

/** People and training (11.1), vault members, devices and lost-device incidents (10.1). */
export function registryHandlers(
  ctx: HandlerContext,
): Handlers<'people' | 'members' | 'devices' | 'incidents'> {
  return {
    'people.list': () => {
      const session = ctx.session();
      const training = trainingNow(session);
      const may = registryEditCheck(session);
      return listPeople(session).map((p) => ({
        id: p.id,
        person: p.value,
        training: trainingSummary(training.get(p.id), p.value.masterclassOn),
        canTrain: may.person(currentAccountsOf(session, p.id)),
      }));
    },
    'people.add': (r) => ({ id: addPerson(ctx.session(), definedOnly(r)).id }),
    'people.train': (r) => {
      recordTraining(
        ctx.session(),
        r.person,
        definedOnly({ masterclassOn: r.masterclassOn, refresherOn: r.refresherOn }),
      );
      return {};
    },
    'members.list': () =>
      listMembers(ctx.session()).map((m) => ({
        id: m.id,
        name: m.name,
        role: m.role,
        addedAt: m.addedAt,
        removedAt: m.removedAt,
      })),
    'members.add': async (r) => {
      const m = await addMember(ctx.session(), r);
      return { id: m.id, name: m.name, role: m.role };
    },
    'members.remove': (r) => removeMember(ctx.session(), r.name),
    'members.change-passphrase': async (r) => {
      await changeOwnPassphrase(ctx.session(), r.passphrase);
      return {};
    },
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
      return {
        devices: devices.map((d) => ({
          id: d.id,
          label: d.value.label,
          kind: d.value.kind,
          owner: people.get(d.clear.owner_id) ?? d.clear.owner_id,
          ownerId: d.clear.owner_id,
          accounts: d.value.accountIds.map(label),
          lineManagerRecordOn: d.value.lineManagerRecordOn ?? null,
          retiredOn: d.value.retiredOn ?? null,
          retireReason: d.value.retireReason ?? null,
          lostOn: lostOn.get(d.id) ?? null,
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
              exposed: i.value.exposedAccountIds.map((id) => ({
                ...label(id),
                answered: !open.has(id),
              })),
              notified: i.value.notified,
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
    'devices.edit': (r) => {
      editDevice(ctx.session(), definedOnly(r));
      return {};
    },
    'devices.retire': (r) => {
      retireDevice(ctx.session(), definedOnly(r));
      return {};
    },
    'devices.report-lost': (r) => ({
      incident: reportLostDevice(ctx.session(), {
        device: r.device,
        ...(r.lostOn ? { on: r.lostOn } : {}),
      }).id,
    }),
    'incidents.notify': (r) => {
      recordNotification(ctx.session(), {
        incident: r.incident,
        party: r.party,
        ...(r.at ? { at: r.at } : {}),
      });
      return {};
    },
  };
}

/** What the People view shows for a person's 11.1 status, in words. */
function trainingSummary(status: TrainingStatus | undefined, masterclassOn: string | undefined) {
  if (status === undefined || status.status === 'no-access') {
    return {
      status: 'no-access' as const,
      severity: null,
      summary: masterclassOn
        ? 'No account access yet; masterclass done.'
        : 'No account access yet; the masterclass comes before first use (11.1).',
    };
  }
  if (status.status === 'up-to-date') {
    return {
      status: 'up-to-date' as const,
      severity: null,
      summary: `Up to date; refresher due by ${status.refresherDue}.`,
    };
  }
  return {
    status: 'overdue' as const,
    severity: status.finding.severity,
    summary: status.finding.evidence,
  };
}
