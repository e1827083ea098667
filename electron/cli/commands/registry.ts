import type { Command } from 'commander';
import { Option } from 'commander';
import { momentText } from '../../../shared/domain/dates.ts';
import {
  accountLabel,
  FORCES,
  PLATFORMS,
  UNIT_TYPES,
  type Force,
  type Platform,
  type UnitType,
} from '../../../shared/domain/accounts.ts';
import {
  ACCOUNT_STATUSES,
  DEVICE_KINDS,
  NOTIFY_PARTIES,
  TWO_FACTOR_METHODS,
  type AccountDetails,
  type AccountStatus,
  type DeviceKind,
  type NotifyParty,
  type TwoFactorMethod,
} from '../../../shared/domain/registry.ts';
import {
  changeHandleOrOwner,
  recordActivity,
  updateAccountDetails,
} from '../../vault/domain/account-registry.ts';
import { openAccountProfile, resolveAccount, summarise } from '../../vault/domain/accounts.ts';
import { setCredentialExtras } from '../../vault/domain/credential-extras.ts';
import {
  addDevice,
  editDevice,
  retireDevice,
  judgeNotExposed,
  listDevices,
  listIncidents,
  missingNotifications,
  recordNotification,
  reportLostDevice,
  resolveIncident,
  unansweredExposures,
  type IncidentRecord,
} from '../../vault/domain/devices.ts';
import { accountHistory } from '../../vault/domain/history.ts';
import { addPerson, listPeople, recordTraining, resolvePerson } from '../../vault/domain/people.ts';
import {
  declareQuietPeriod,
  endQuietPeriod,
  listQuietPeriods,
  quietPeriodsFor,
} from '../../vault/domain/quiet-periods.ts';
import {
  APPROVERS,
  closeAccount,
  recordApproval,
  requestAccount,
  setUpAccount,
  type Approver,
} from '../../vault/domain/requests.ts';
import { grantAccess, membershipsOf, revokeAccess } from '../../vault/domain/teams.ts';
import type { VaultSession } from '../../vault/session.ts';
import { findMemberByName } from '../../vault/domain/members.ts';
import {
  asOption,
  commaList,
  newPassword,
  oneOf,
  output,
  readInputFile,
  withSession,
  type Io,
} from '../support.ts';

type Json = { json?: boolean; as?: string };

export function registerPeople(program: Command, io: Io): void {
  const person = program.command('person').description('the staff register (policy 11.1, 12.1)');
  person
    .command('add')
    .description('add a person; prints their id')
    .argument('<vault>')
    .requiredOption('--name <name>')
    .option('--staff-no <number>', 'staff or collar number')
    .option('--force <force>', FORCES.join('|'), oneOf(FORCES, 'force'))
    .option('--department <name>')
    .option('--line-manager <person>', 'id or name of their line manager (already registered)')
    .option('--role <role>', 'their job role')
    .option('--masterclass <date>', 'social media masterclass attended (YYYY-MM-DD, 11.1)')
    .option('--refresher <date>', 'last annual refresher (YYYY-MM-DD, 11.1)')
    .option('--member <name>', 'the vault member this person is, if any')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        o: {
          name: string;
          staffNo?: string;
          force?: Force;
          department?: string;
          lineManager?: string;
          role?: string;
          masterclass?: string;
          refresher?: string;
          member?: string;
          as?: string;
        },
      ) => {
        await withSession(vault, o, (session) => {
          const lineManagerId =
            o.lineManager === undefined ? undefined : resolvePerson(session, o.lineManager).id;
          const memberId =
            o.member === undefined ? undefined : findMemberByName(session, o.member).id;
          const record = addPerson(session, {
            name: o.name,
            ...(o.staffNo ? { staffNo: o.staffNo } : {}),
            ...(o.force ? { force: o.force } : {}),
            ...(o.department ? { department: o.department } : {}),
            ...(lineManagerId ? { lineManagerId } : {}),
            ...(o.role ? { role: o.role } : {}),
            ...(o.masterclass ? { masterclassOn: o.masterclass } : {}),
            ...(o.refresher ? { refresherOn: o.refresher } : {}),
            ...(memberId ? { memberId } : {}),
          });
          io.out(record.id);
        });
      },
    );
  person
    .command('train')
    .description('record a masterclass or refresher (11.1)')
    .argument('<vault>')
    .argument('<person>', 'id or name')
    .option('--masterclass <date>')
    .option('--refresher <date>')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: { masterclass?: string; refresher?: string; as?: string },
      ) => {
        await withSession(vault, o, (session) => {
          recordTraining(session, reference, {
            ...(o.masterclass ? { masterclassOn: o.masterclass } : {}),
            ...(o.refresher ? { refresherOn: o.refresher } : {}),
          });
          io.out(`Training recorded for ${reference}.`);
        });
      },
    );
  person
    .command('list')
    .argument('<vault>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, o: Json) => {
      await withSession(vault, o, (session) => {
        const people = listPeople(session).map((p) => ({ id: p.id, ...p.value }));
        output(io, o.json, people, () =>
          people.map(
            (p) =>
              `${p.id}\t${p.name}\tmasterclass ${p.masterclassOn ?? 'none'}\trefresher ${p.refresherOn ?? 'none'}`,
          ),
        );
      });
    });
}

export function registerTeams(program: Command, io: Io): void {
  const team = program
    .command('team')
    .description(
      'who has access to each account (policy 10.2); an administrator changes only the accounts they administer',
    );
  type Change = { account: string; person: string; on?: string; why?: string };
  /** `team add` and `team remove` take the same arguments; only the service and the reply differ. */
  const teamChange = (
    name: string,
    description: string,
    apply: (session: VaultSession, change: Change) => string,
  ) =>
    team
      .command(name)
      .description(description)
      .argument('<vault>')
      .argument('<account>', 'id or platform:handle')
      .requiredOption('--person <person>', 'id or name')
      .option('--on <date>', 'YYYY-MM-DD (default today)')
      .option('--why <text>')
      .addOption(asOption())
      .action(
        async (
          vault: string,
          account: string,
          o: { person: string; on?: string; why?: string; as?: string },
        ) => {
          await withSession(vault, o, (session) => {
            io.out(
              apply(session, {
                account,
                person: o.person,
                ...(o.on ? { on: o.on } : {}),
                ...(o.why ? { why: o.why } : {}),
              }),
            );
          });
        },
      );
  teamChange('add', 'record that a person was given access', (session, change) => {
    grantAccess(session, change);
    return `${change.person} has access to ${change.account}.`;
  });
  teamChange(
    'remove',
    'record that a person lost access; after the last rotation, the account becomes rotation due',
    (session, change) => {
      const { rotationDue } = revokeAccess(session, change);
      return `${change.person}'s access to ${change.account} revoked.${rotationDue ? ' The account is now rotation due (policy 10.2).' : ''}`;
    },
  );
  team
    .command('list')
    .argument('<vault>')
    .argument('<account>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, account: string, o: Json) => {
      await withSession(vault, o, (session) => {
        const people = new Map(listPeople(session).map((p) => [p.id, p.value.name]));
        const rows = membershipsOf(session, resolveAccount(session, account).id).map((m) => ({
          person: people.get(m.clear.person_id) ?? m.clear.person_id,
          grantedOn: m.clear.granted_on,
          revokedOn: m.clear.revoked_on,
          grantedBy: m.value.grantedBy,
        }));
        output(io, o.json, rows, () =>
          rows.map(
            (r) =>
              `${r.person}\tfrom ${r.grantedOn}${r.revokedOn ? `\tuntil ${r.revokedOn}` : '\tcurrent'}`,
          ),
        );
      });
    });
}

function incidentView(session: VaultSession, incident: IncidentRecord) {
  const label = (id: string) => {
    try {
      return accountLabel(openAccountProfile(session, resolveAccount(session, id)));
    } catch {
      return id;
    }
  };
  return {
    id: incident.id,
    deviceId: incident.clear.device_id,
    lostOn: incident.clear.lost_on,
    resolvedAt: incident.clear.resolved_at,
    reportedBy: incident.value.reportedBy,
    exposed: incident.value.exposedAccountIds.map(label),
    awaitingRotation: unansweredExposures(session, incident).map(label),
    notExposed: Object.fromEntries(
      Object.entries(incident.value.notExposed).map(([id, why]) => [label(id), why]),
    ),
    notified: incident.value.notified,
    awaitingNotification: missingNotifications(incident),
  };
}

export function registerDevices(program: Command, io: Io): void {
  const device = program
    .command('device')
    .description(
      'devices that reach accounts (policy 10.1, 12.1); an administrator records and reports only devices that reach accounts they administer',
    );
  device
    .command('add')
    .description('record a device; prints its id')
    .argument('<vault>')
    .requiredOption('--owner <person>', 'id or name')
    .requiredOption('--kind <kind>', DEVICE_KINDS.join('|'), oneOf(DEVICE_KINDS, 'kind'))
    .requiredOption('--label <label>', 'e.g. "iPhone 15, asset 40213"')
    .requiredOption(
      '--accounts <list>',
      'accounts it can reach: ids or platform:handle, comma-separated',
      commaList,
    )
    .option(
      '--line-manager-record <date>',
      "for a personal device, when the line manager's record was made (12.1)",
    )
    .addOption(asOption())
    .action(
      async (
        vault: string,
        o: {
          owner: string;
          kind: DeviceKind;
          label: string;
          accounts: string[];
          lineManagerRecord?: string;
          as?: string;
        },
      ) => {
        await withSession(vault, o, (session) => {
          const record = addDevice(session, {
            owner: o.owner,
            kind: o.kind,
            label: o.label,
            accounts: o.accounts,
            ...(o.lineManagerRecord ? { lineManagerRecordOn: o.lineManagerRecord } : {}),
          });
          io.out(record.id);
        });
      },
    );
  device
    .command('edit')
    .description(
      "correct a device's record: label, kind, owner, accounts, and a personal device's line manager record (12.1)",
    )
    .argument('<vault>')
    .argument('<device>', 'id or label')
    .option('--owner <person>', 'id or name')
    .option('--kind <kind>', DEVICE_KINDS.join('|'), oneOf(DEVICE_KINDS, 'kind'))
    .option('--label <label>')
    .option('--accounts <list>', 'every account it can reach now, comma-separated', commaList)
    .option('--line-manager-record <date>', "when the line manager's record was made (12.1)")
    .option('--no-line-manager-record', 'clear a line manager record entered by mistake')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: {
          owner?: string;
          kind?: DeviceKind;
          label?: string;
          accounts?: string[];
          lineManagerRecord?: string | false;
          as?: string;
        },
      ) => {
        await withSession(vault, o, (session) => {
          const record = editDevice(session, {
            device: reference,
            ...(o.owner === undefined ? {} : { owner: o.owner }),
            ...(o.kind === undefined ? {} : { kind: o.kind }),
            ...(o.label === undefined ? {} : { label: o.label }),
            ...(o.accounts === undefined ? {} : { accounts: o.accounts }),
            ...(o.lineManagerRecord === undefined
              ? {}
              : {
                  lineManagerRecordOn: o.lineManagerRecord === false ? null : o.lineManagerRecord,
                }),
          });
          io.out(`${record.value.label} updated.`);
        });
      },
    );
  device
    .command('retire')
    .description('take a device out of service, with the reason; its record and incidents are kept')
    .argument('<vault>')
    .argument('<device>', 'id or label')
    .requiredOption('--reason <text>', 'e.g. "returned to ICT and wiped"')
    .option('--on <date>', 'YYYY-MM-DD (default today)')
    .addOption(asOption())
    .action(
      async (vault: string, reference: string, o: { reason: string; on?: string; as?: string }) => {
        await withSession(vault, o, (session) => {
          const record = retireDevice(session, {
            device: reference,
            reason: o.reason,
            ...(o.on ? { on: o.on } : {}),
          });
          io.out(`${record.value.label} retired on ${record.value.retiredOn ?? ''}.`);
        });
      },
    );
  device
    .command('list')
    .argument('<vault>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, o: Json) => {
      await withSession(vault, o, (session) => {
        const rows = listDevices(session).map((d) => ({
          id: d.id,
          ownerId: d.clear.owner_id,
          ...d.value,
        }));
        output(io, o.json, rows, () =>
          rows.map((d) => `${d.id}\t${d.kind}\t${d.label}\t${d.accountIds.length} account(s)`),
        );
      });
    });
  device
    .command('lost')
    .description('report a lost device (10.1); prints the incident id and the exposed accounts')
    .argument('<vault>')
    .argument('<device>', 'id or label')
    .option('--on <date>', 'YYYY-MM-DD (default today)')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, reference: string, o: Json & { on?: string }) => {
      await withSession(vault, o, (session) => {
        const view = incidentView(
          session,
          reportLostDevice(session, { device: reference, ...(o.on ? { on: o.on } : {}) }),
        );
        output(io, o.json, view, () => [
          view.id,
          ...view.exposed.map((label) => `exposed: ${label}`),
          'Report to ICT and Information Security now, then Corporate Communications (policy 10.1).',
        ]);
      });
    });

  const incident = program.command('incident').description('lost-device incidents (policy 10.1)');
  incident
    .command('show')
    .argument('<vault>')
    .argument('<incident>', 'id or the lost device label')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, reference: string, o: Json) => {
      await withSession(vault, o, (session) => {
        const view = incidentView(session, resolveIncident(session, reference));
        output(io, o.json, view, () => [
          `incident ${view.id}: device lost ${view.lostOn}, ${view.resolvedAt ? `resolved ${view.resolvedAt}` : 'open'}`,
          ...view.exposed.map(
            (label) =>
              `  exposed: ${label}${view.awaitingRotation.includes(label) ? ' (awaiting rotation)' : ''}`,
          ),
          ...NOTIFY_PARTIES.map((party) => `  ${party}: ${view.notified[party] ?? 'not yet told'}`),
        ]);
      });
    });
  incident
    .command('list')
    .argument('<vault>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, o: Json) => {
      await withSession(vault, o, (session) => {
        const views = listIncidents(session).map((i) => incidentView(session, i));
        output(io, o.json, views, () =>
          views.map((v) => `${v.id}\tlost ${v.lostOn}\t${v.resolvedAt ? 'resolved' : 'open'}`),
        );
      });
    });
  incident
    .command('notify')
    .description('record that ICT, Information Security or Corporate Communications was told')
    .argument('<vault>')
    .argument('<incident>')
    .requiredOption('--party <party>', NOTIFY_PARTIES.join('|'), oneOf(NOTIFY_PARTIES, 'party'))
    .option('--at <datetime>', 'ISO 8601 with zone, e.g. 2026-03-02T09:15:00Z (default now)')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: { party: NotifyParty; at?: string; as?: string },
      ) => {
        await withSession(vault, o, (session) => {
          const updated = recordNotification(session, {
            incident: reference,
            party: o.party,
            ...(o.at ? { at: o.at } : {}),
          });
          io.out(
            `${o.party} notified.${updated.clear.resolved_at ? ' The incident is resolved.' : ''}`,
          );
        });
      },
    );
  incident
    .command('not-exposed')
    .description('judge an exposed account not exposed after all, with the reason')
    .argument('<vault>')
    .argument('<incident>')
    .requiredOption('--account <account>')
    .requiredOption('--reason <text>')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: { account: string; reason: string; as?: string },
      ) => {
        await withSession(vault, o, (session) => {
          const updated = judgeNotExposed(session, {
            incident: reference,
            account: o.account,
            reason: o.reason,
          });
          io.out(`Recorded.${updated.clear.resolved_at ? ' The incident is resolved.' : ''}`);
        });
      },
    );
}

export function registerAccountRegistry(account: Command, io: Io): void {
  account
    .command('show')
    .argument('<vault>')
    .argument('<account>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, reference: string, o: Json) => {
      await withSession(vault, o, (session) => {
        const summary = summarise(session, resolveAccount(session, reference));
        const { passwordCheck, ...shown } = summary;
        const quiet = quietPeriodsFor(session, summary.id, session.clock().toISOString());
        const view = {
          ...shown,
          passwordStrength: passwordCheck?.strength ?? null,
          passwordSetOn: passwordCheck?.setOn ?? null,
          // 6.6: while a quiet period lasts, the account says so, with the authority named.
          doNotPost: quiet.map(
            (q) => `DO NOT POST: quiet period ordered by ${q.value.authority} (${q.value.reason})`,
          ),
        };
        output(io, o.json, view, () =>
          Object.entries(view).map(
            ([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
          ),
        );
      });
    });
  account
    .command('set')
    .description('edit registry details (not the handle or owner: see rename)')
    .argument('<vault>')
    .argument('<account>')
    .option('--profile-url <url>')
    .option('--purpose <text>', 'purpose (9.3)')
    .option('--aims <text>', 'aims and objectives (9.3)')
    .addOption(
      new Option(
        '--status <status>',
        'suspend an active account or reinstate it (10.2); an account becomes approved and active only through `request approve` and `request setup` (9.2, 9.5, 9.6), and closed through `account close` (9.11)',
      ).choices(ACCOUNT_STATUSES),
    )
    .option('--created-on <date>')
    .option(
      '--legacy',
      'an individual account set up before January 2017 (9.5, 9.16); needs --created-on before 2017-01-01',
    )
    .option(
      '--exemption <text>',
      'recorded approval exemption, for a legacy account only (9.16); otherwise record the approvals with `request approve`',
    )
    .addOption(new Option('--two-factor <method>').choices(TWO_FACTOR_METHODS))
    .option(
      '--recovery-email <email>',
      "the platform's recovery e-mail: a force mailbox, or it is a finding (9.8, 9.16)",
    )
    .option('--recovery-phone <phone>', "the platform's recovery phone")
    .option(
      '--recovery-phone-force',
      'the recovery phone is a force-issued number (checked by the DMT); a new --recovery-phone without it is not (9.8, 9.16)',
    )
    .option('--line-manager <person>')
    .option('--notes <text>')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: {
          profileUrl?: string;
          purpose?: string;
          aims?: string;
          status?: AccountStatus;
          createdOn?: string;
          legacy?: boolean;
          exemption?: string;
          twoFactor?: TwoFactorMethod;
          recoveryEmail?: string;
          recoveryPhone?: string;
          recoveryPhoneForce?: boolean;
          lineManager?: string;
          notes?: string;
          as?: string;
        },
      ) => {
        await withSession(vault, o, (session) => {
          const changes: Omit<AccountDetails, 'ownerId'> = {
            ...(o.profileUrl ? { profileUrl: o.profileUrl } : {}),
            ...(o.purpose ? { purpose: o.purpose } : {}),
            ...(o.aims ? { aims: o.aims } : {}),
            ...(o.status ? { status: o.status } : {}),
            ...(o.createdOn ? { createdOn: o.createdOn } : {}),
            ...(o.legacy ? { legacy: true } : {}),
            ...(o.exemption ? { approvals: { exemption: o.exemption } } : {}),
            ...(o.twoFactor ? { twoFactor: o.twoFactor } : {}),
            ...(o.recoveryEmail ? { recoveryEmail: o.recoveryEmail } : {}),
            ...(o.recoveryPhone
              ? {
                  recoveryPhone: o.recoveryPhone,
                  recoveryPhoneIsForce: o.recoveryPhoneForce === true,
                }
              : o.recoveryPhoneForce
                ? { recoveryPhoneIsForce: true }
                : {}),
            ...(o.lineManager ? { lineManagerId: resolvePerson(session, o.lineManager).id } : {}),
            ...(o.notes ? { notes: o.notes } : {}),
          };
          updateAccountDetails(session, reference, changes);
          io.out(`Updated ${reference}.`);
        });
      },
    );
  account
    .command('rename')
    .description(
      'record a new handle or owner when it changes (9.9); an administrator only for accounts they administer (10.2)',
    )
    .argument('<vault>')
    .argument('<account>')
    .option('--handle <handle>')
    .option('--owner <person>')
    .option('--informed <names...>', 'people told of the change')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: { handle?: string; owner?: string; informed?: string[]; as?: string },
      ) => {
        await withSession(vault, o, (session) => {
          const next = changeHandleOrOwner(session, reference, {
            ...(o.handle ? { handle: o.handle } : {}),
            ...(o.owner ? { owner: o.owner } : {}),
            informed: o.informed ?? [],
          });
          io.out(`Recorded: ${accountLabel(next)} (policy 9.9).`);
        });
      },
    );
  account
    .command('activity')
    .description(
      'record the last day the account was used (9.13); an administrator only for accounts they administer (10.2)',
    )
    .argument('<vault>')
    .argument('<account>')
    .requiredOption('--on <date>', 'YYYY-MM-DD')
    .addOption(asOption())
    .action(async (vault: string, reference: string, o: { on: string; as?: string }) => {
      await withSession(vault, o, (session) => {
        recordActivity(session, reference, o.on);
        io.out(`Activity on ${o.on} recorded.`);
      });
    });
  account
    .command('history')
    .description(
      'rotations, name and owner changes, team changes and incidents, in the order the audit trail recorded them, each with its time (UTC)',
    )
    .argument('<vault>')
    .argument('<account>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, reference: string, o: Json) => {
      await withSession(vault, o, (session) => {
        const events = accountHistory(session, reference);
        output(io, o.json, events, () =>
          events.map((e) => `${momentText(e.at)}\t${e.kind}\t${e.summary}`),
        );
      });
    });
  account
    .command('close')
    .description('close (9.11) or hand over (9.12) an account')
    .argument('<vault>')
    .argument('<account>')
    .requiredOption('--consulted-on <date>', 'consultation with Corporate Communications (9.11)')
    .option('--notice-on <date>', 'when followers were told')
    .option('--alternative <channel>', 'the channel followers were pointed to')
    .option('--continued-by <person>', 'who continues the account instead (9.12)')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: {
          consultedOn: string;
          noticeOn?: string;
          alternative?: string;
          continuedBy?: string;
          as?: string;
        },
      ) => {
        await withSession(vault, o, (session) => {
          const next = closeAccount(session, {
            account: reference,
            consultedOn: o.consultedOn,
            ...(o.noticeOn ? { publicNoticeOn: o.noticeOn } : {}),
            ...(o.alternative ? { alternativeChannel: o.alternative } : {}),
            ...(o.continuedBy ? { continuedBy: o.continuedBy } : {}),
          });
          io.out(
            next.status === 'closing'
              ? 'Closing: record the public notice and alternative channel to close it (9.11).'
              : `Account is ${next.status ?? 'active'}.`,
          );
        });
      },
    );
}

export function registerRequests(program: Command, io: Io): void {
  const request = program
    .command('request')
    .description('requests for new accounts (policy 9.1-9.6)');
  request
    .command('add')
    .description('record a request; prints the account id')
    .argument('<vault>')
    .requiredOption('--platform <platform>', PLATFORMS.join('|'), oneOf(PLATFORMS, 'platform'))
    .requiredOption('--handle <handle>', 'proposed handle')
    .requiredOption('--force <force>', FORCES.join('|'), oneOf(FORCES, 'force'))
    .requiredOption('--unit-type <type>', UNIT_TYPES.join('|'), oneOf(UNIT_TYPES, 'unit type'))
    .requiredOption('--unit <name>')
    .requiredOption('--requester <person>')
    .requiredOption('--purpose <text>', '9.3')
    .requiredOption('--aims <text>', 'aims and objectives (9.3)')
    .option('--line-manager <person>')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        o: {
          platform: Platform;
          handle: string;
          force: Force;
          unitType: UnitType;
          unit: string;
          requester: string;
          purpose: string;
          aims: string;
          lineManager?: string;
          as?: string;
        },
      ) => {
        await withSession(vault, o, (session) => {
          const { id } = requestAccount(session, {
            platform: o.platform,
            handle: o.handle,
            force: o.force,
            unitType: o.unitType,
            unitName: o.unit,
            requester: o.requester,
            purpose: o.purpose,
            aims: o.aims,
            ...(o.lineManager ? { lineManager: o.lineManager } : {}),
          });
          io.out(id);
        });
      },
    );
  request
    .command('approve')
    .description(
      'record an approval: line manager, Head of Department (9.2), then the DML (9.5); also for an account registered directly (9.8), whose approvals are recorded afterwards',
    )
    .argument('<vault>')
    .argument('<account>')
    .requiredOption('--approver <who>', APPROVERS.join('|'), oneOf(APPROVERS, 'approver'))
    .requiredOption('--by <name>', 'name of the person approving')
    .option('--on <date>')
    .option('--refuse <reason>', 'the DML refuses, with the reason')
    .option(
      '--suggest <platform>',
      'the DML suggests another platform',
      oneOf(PLATFORMS, 'platform'),
    )
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: {
          approver: Approver;
          by: string;
          on?: string;
          refuse?: string;
          suggest?: Platform;
          as?: string;
        },
      ) => {
        await withSession(vault, o, (session) => {
          const next = recordApproval(session, {
            account: reference,
            approver: o.approver,
            by: o.by,
            ...(o.on ? { on: o.on } : {}),
            ...(o.refuse ? { refuse: o.refuse } : {}),
            ...(o.suggest ? { suggest: o.suggest } : {}),
          });
          io.out(`Recorded; the request is ${next.status ?? 'active'}.`);
        });
      },
    );
  request
    .command('setup')
    .description('set up an approved account and register its login (9.6, 9.8)')
    .argument('<vault>')
    .argument('<account>')
    .requiredOption('--username <username>')
    .option('--password-file <file>')
    .option('--generate')
    .option('--on <date>', 'the day it was created on the platform')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: {
          username: string;
          passwordFile?: string;
          generate?: boolean;
          on?: string;
          as?: string;
        },
      ) => {
        const password = newPassword(o);
        await withSession(vault, o, (session) => {
          setUpAccount(session, {
            account: reference,
            username: o.username,
            password,
            ...(o.on ? { on: o.on } : {}),
          });
          io.out(`${reference} is set up and active.`);
        });
      },
    );
}

export function registerQuietPeriods(program: Command, io: Io): void {
  const quiet = program
    .command('quiet')
    .description('quiet periods during a major incident (policy 6.6)');
  quiet
    .command('declare')
    .description('"do not post" on the named accounts, or all; prints its id')
    .argument('<vault>')
    .option('--all', 'every account')
    .option('--accounts <list>', 'comma-separated ids or platform:handle', commaList)
    .requiredOption('--authority <who>', 'who ordered it, e.g. "Gold Commander"')
    .requiredOption('--reason <text>')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        o: { all?: boolean; accounts?: string[]; authority: string; reason: string; as?: string },
      ) => {
        await withSession(vault, o, (session) => {
          const accounts = o.all ? 'all' : (o.accounts ?? []);
          const record = declareQuietPeriod(session, {
            accounts,
            authority: o.authority,
            reason: o.reason,
          });
          io.out(record.id);
        });
      },
    );
  quiet
    .command('end')
    .description('end a quiet period: on whose authority and why, as declaring it (6.6; audited)')
    .argument('<vault>')
    .argument('<id>', 'as printed by `quiet declare` or `quiet list`')
    .requiredOption('--authority <who>', 'who lifted it, e.g. "SIO DCI Grey"')
    .requiredOption('--reason <text>', 'why posting may resume')
    .addOption(asOption())
    .action(
      async (vault: string, id: string, o: { authority: string; reason: string; as?: string }) => {
        await withSession(vault, o, (session) => {
          endQuietPeriod(session, { id, authority: o.authority, reason: o.reason });
          io.out('Quiet period ended; the accounts may post again.');
        });
      },
    );
  quiet
    .command('list')
    .argument('<vault>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, o: Json) => {
      await withSession(vault, o, (session) => {
        const rows = listQuietPeriods(session).map((q) => ({
          id: q.id,
          declaredAt: q.clear.declared_at,
          endedAt: q.clear.ended_at,
          ...q.value,
        }));
        output(io, o.json, rows, () =>
          rows.map(
            (q) =>
              `${q.id}\t${q.endedAt ? 'ended' : 'IN FORCE'}\t${q.authority}\t${q.accountIds === 'all' ? 'all accounts' : `${q.accountIds.length} account(s)`}`,
          ),
        );
      });
    });
}

export function registerCredentials(program: Command, io: Io): void {
  const credential = program
    .command('credential')
    .description('2FA secrets and recovery codes (policy 9.8)');
  credential
    .command('set')
    .description(
      'set the login username, the TOTP secret or the recovery codes, or clear the TOTP secret; every field not named is kept (9.8, 9.9)',
    )
    .argument('<vault>')
    .argument('<account>')
    .option('--username <username>', 'the new login username (the platform changed it)')
    .option('--totp-secret-file <file>', 'file holding the base32 TOTP secret')
    .option('--clear-totp', 'remove the TOTP secret (2FA turned off or moved to another method)')
    .option('--recovery-codes-file <file>', 'file with one recovery code per line')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: {
          username?: string;
          totpSecretFile?: string;
          clearTotp?: boolean;
          recoveryCodesFile?: string;
          as?: string;
        },
      ) => {
        const totpSecret = o.totpSecretFile
          ? readInputFile(o.totpSecretFile, 'the TOTP secret file').trim()
          : undefined;
        const recoveryCodes = o.recoveryCodesFile
          ? readInputFile(o.recoveryCodesFile, 'the recovery codes file').split(/\r?\n/)
          : undefined;
        await withSession(vault, o, (session) => {
          setCredentialExtras(session, reference, {
            ...(o.username !== undefined ? { username: o.username } : {}),
            ...(totpSecret !== undefined ? { totpSecret } : {}),
            ...(o.clearTotp ? { clearTotp: true } : {}),
            ...(recoveryCodes ? { recoveryCodes } : {}),
          });
          io.out(`Updated ${reference}.`);
        });
      },
    );
}
