import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../../shared/domain/dates.ts';
import { NOTIFY_PARTIES } from '../../../shared/domain/registry.ts';
import { VaultError } from '../../../electron/vault/errors.ts';
import { createAccount } from '../../../electron/vault/domain/account-creation.ts';
import { changeHandleOrOwner } from '../../../electron/vault/domain/account-registry.ts';
import {
  addDevice,
  editDevice,
  judgeNotExposed,
  listIncidents,
  recordNotification,
  reportLostDevice,
  retireDevice,
} from '../../../electron/vault/domain/devices.ts';
import { addMember, removeMember } from '../../../electron/vault/domain/members.ts';
import { addPerson } from '../../../electron/vault/domain/people.ts';
import {
  declareQuietPeriod,
  endQuietPeriod,
  inForce,
} from '../../../electron/vault/domain/quiet-periods.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import { registrySnapshot } from '../../../electron/vault/health/snapshot.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import {
  storedDashboardSummary,
  type DashboardSummary,
} from '../../../electron/vault/store/dashboard-summary.ts';
import { newVault, tempDir } from '../../helpers/vault.ts';

/**
 * The dashboard's first screen comes from one sealed summary that every write keeps (issue 17,
 * ADR 0027). It must never disagree with the registry: after every step of a random sequence of
 * changes (registrations, renames, devices, losses, rotations, notifications, quiet periods, a
 * write that fails half-way, a new key epoch), the stored summary equals the dashboard worked out
 * the old way, from the whole registry opened row by row.
 */

/** The dashboard as it was computed before the summary: from the full registry snapshot. */
function fromTheWholeRegistry(session: VaultSession): DashboardSummary {
  const snapshot = registrySnapshot(session);
  const now = session.clock().toISOString();
  const devices = new Map(snapshot.devices.map((d) => [d.id, d.value.label]));
  const accounts = new Map(snapshot.accounts.map((a) => [a.id, a]));
  return {
    accounts: snapshot.accounts.length,
    openIncidents: snapshot.incidents
      .filter((i) => i.clear.resolved_at === null)
      .map((i) => ({
        device: devices.get(i.clear.device_id) ?? i.clear.device_id,
        lostOn: i.clear.lost_on,
        // 10.1: exposed, not judged safe, and no rotation after the report or on a later day.
        accountsLeft: i.value.exposedAccountIds.filter(
          (id) =>
            i.value.notExposed[id] === undefined &&
            !(accounts.get(id)?.rotations ?? []).some(
              (at) => at > i.clear.reported_at || dayOf(at) > i.clear.lost_on,
            ),
        ).length,
        partiesLeft: NOTIFY_PARTIES.filter((p) => i.value.notified[p] === undefined).length,
      })),
    quietPeriods: snapshot.quietPeriods
      .filter((q) => inForce(q, now))
      .map((q) => ({
        id: q.id,
        accounts:
          q.value.accountIds === 'all'
            ? 'every account'
            : q.value.accountIds.map((id) => accounts.get(id)?.label ?? id).join(', '),
        authority: q.value.authority,
        reason: q.value.reason,
        since: q.clear.declared_at,
      })),
  };
}

type Step =
  | { kind: 'register' }
  | { kind: 'rename'; account: number }
  | { kind: 'device'; accounts: number[] }
  | { kind: 'relabel'; device: number }
  | { kind: 'retire'; device: number }
  | { kind: 'lost'; device: number }
  | { kind: 'rotate'; account: number }
  | { kind: 'notify'; incident: number; party: number }
  | { kind: 'not-exposed'; incident: number; account: number }
  | { kind: 'quiet'; accounts: number[] | 'all' }
  | { kind: 'end-quiet'; quiet: number }
  | { kind: 'fails-half-way' }
  | { kind: 'new-epoch' };

// Few subjects, so later steps often land on what earlier ones made (a lost device relabelled).
const index = fc.nat({ max: 3 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant({ kind: 'register' as const }),
  fc.record({ kind: fc.constant('rename' as const), account: index }),
  fc.record({
    kind: fc.constant('device' as const),
    accounts: fc.array(index, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('relabel' as const), device: index }),
  fc.record({ kind: fc.constant('retire' as const), device: index }),
  fc.record({ kind: fc.constant('lost' as const), device: index }),
  fc.record({ kind: fc.constant('rotate' as const), account: index }),
  fc.record({
    kind: fc.constant('notify' as const),
    incident: index,
    party: fc.nat({ max: NOTIFY_PARTIES.length - 1 }),
  }),
  fc.record({ kind: fc.constant('not-exposed' as const), incident: index, account: index }),
  fc.record({
    kind: fc.constant('quiet' as const),
    accounts: fc.oneof(
      fc.constant('all' as const),
      fc.array(index, { minLength: 1, maxLength: 2 }),
    ),
  }),
  fc.record({ kind: fc.constant('end-quiet' as const), quiet: index }),
  fc.constant({ kind: 'fails-half-way' as const }),
  fc.constant({ kind: 'new-epoch' as const }),
);

/** What a run has made so far, to pick the subjects of later steps from. */
interface Made {
  accounts: string[];
  devices: string[];
  quiet: string[];
  person: string;
  serial: number;
}

const pick = <T>(items: readonly T[], i: number): T | undefined =>
  items.length === 0 ? undefined : items[i % items.length];

function register(session: VaultSession, serial: number): string {
  return createAccount(session, {
    platform: 'x',
    handle: `Handle${serial}`,
    force: 'norfolk',
    unitType: 'team',
    unitName: `Team ${serial % 3}`,
    username: `user${serial}`,
    password: `Granite-Willow-${serial}-Harbour`,
  }).id;
}

async function run(session: VaultSession, made: Made, s: Step): Promise<void> {
  const serial = (made.serial += 1);
  const account = (i: number) => pick(made.accounts, i);
  switch (s.kind) {
    case 'register':
      made.accounts.push(register(session, serial));
      return;
    case 'rename': {
      const id = account(s.account);
      if (id) changeHandleOrOwner(session, id, { handle: `Renamed${serial}` });
      return;
    }
    case 'device': {
      const ids = s.accounts.map(account).filter((id): id is string => id !== undefined);
      if (ids.length === 0) return;
      made.devices.push(
        addDevice(session, {
          owner: made.person,
          kind: 'force',
          label: `Phone ${serial}`,
          accounts: ids,
        }).id,
      );
      return;
    }
    case 'relabel': {
      const device = pick(made.devices, s.device);
      if (device) editDevice(session, { device, label: `Relabelled ${serial}` });
      return;
    }
    case 'retire': {
      const device = pick(made.devices, s.device);
      if (device) retireDevice(session, { device, reason: 'returned to ICT' });
      return;
    }
    case 'lost': {
      const device = pick(made.devices, s.device);
      if (device) reportLostDevice(session, { device });
      return;
    }
    case 'rotate': {
      const id = account(s.account);
      if (id) {
        rotatePassword(session, id, {
          reason: 'scheduled',
          password: `Rotated-${serial}-Copper-Lantern`,
          informed: [],
        });
      }
      return;
    }
    case 'notify': {
      const incident = pick(listIncidents(session), s.incident);
      if (incident) {
        recordNotification(session, { incident: incident.id, party: NOTIFY_PARTIES[s.party]! });
      }
      return;
    }
    case 'not-exposed': {
      const incident = pick(listIncidents(session), s.incident);
      const id = incident && pick(incident.value.exposedAccountIds, s.account);
      if (incident && id) {
        judgeNotExposed(session, { incident: incident.id, account: id, reason: 'logged out' });
      }
      return;
    }
    case 'quiet': {
      const accounts =
        s.accounts === 'all'
          ? 'all'
          : s.accounts.map(account).filter((id): id is string => id !== undefined);
      if (accounts !== 'all' && accounts.length === 0) return;
      made.quiet.push(
        declareQuietPeriod(session, {
          accounts,
          authority: 'Gold Commander',
          reason: 'Major incident',
        }).id,
      );
      return;
    }
    case 'end-quiet': {
      const id = pick(made.quiet, s.quiet);
      if (id) endQuietPeriod(session, { id, authority: 'Gold Commander', reason: 'Stood down' });
      return;
    }
    case 'fails-half-way':
      // A registration inside a write that then fails: all of it, summary included, rolls back.
      expect(() =>
        session.write(() => {
          register(session, serial);
          throw new Error('the disk filled up');
        }),
      ).toThrow('the disk filled up');
      return;
    case 'new-epoch': {
      // A removal starts a new K_vault: every sealed row, the summary's too, is sealed again.
      const name = `Temp Member ${serial}`;
      await addMember(session, { name, role: 'dmt', passphrase: `a temporary phrase ${serial}` });
      removeMember(session, name);
      return;
    }
  }
}

describe('the dashboard summary never disagrees with the registry (issue 17, ADR 0027)', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());
  let vaults = 0;
  /** Steps that changed something, by kind: the property means little if few of them did. */
  const done = new Map<string, number>();

  it('after every step of random sequences of changes, it equals the dashboard made from the whole registry', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const session = await newVault(`${dir.dir}/summary-${(vaults += 1)}.vault`);
        try {
          const made: Made = {
            accounts: [],
            devices: [],
            quiet: [],
            person: addPerson(session, { name: 'Pat Officer' }).id,
            serial: 0,
          };
          expect(storedDashboardSummary(session.db, session.keys.vault)).toEqual(
            fromTheWholeRegistry(session),
          );
          for (const s of steps) {
            try {
              await run(session, made, s);
              done.set(s.kind, (done.get(s.kind) ?? 0) + 1);
            } catch (error) {
              // A step the services refuse (a device lost twice, one retired) changes nothing.
              if (!(error instanceof VaultError)) throw error;
            }
            expect(storedDashboardSummary(session.db, session.keys.vault), s.kind).toEqual(
              fromTheWholeRegistry(session),
            );
          }
        } finally {
          session.close();
        }
      }),
      {
        numRuns: 25,
        // One sequence through every step on the same subjects, besides the random ones.
        examples: [
          [
            [
              { kind: 'register' },
              { kind: 'register' },
              { kind: 'device', accounts: [0, 1] },
              { kind: 'quiet', accounts: [1] },
              { kind: 'lost', device: 0 },
              { kind: 'relabel', device: 0 },
              { kind: 'rename', account: 1 },
              { kind: 'rotate', account: 0 },
              { kind: 'notify', incident: 0, party: 0 },
              { kind: 'new-epoch' },
              { kind: 'not-exposed', incident: 0, account: 1 },
              { kind: 'fails-half-way' },
              { kind: 'notify', incident: 0, party: 1 },
              { kind: 'notify', incident: 0, party: 2 },
              { kind: 'end-quiet', quiet: 0 },
              { kind: 'retire', device: 0 },
            ],
          ],
        ],
      },
    );
    for (const kind of ['register', 'device', 'lost', 'rotate', 'notify', 'quiet', 'end-quiet'])
      expect(done.get(kind) ?? 0, kind).toBeGreaterThan(0);
  }, 240_000);
});
