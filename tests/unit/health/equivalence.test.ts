import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVERITIES, type Finding } from '../../../shared/domain/health.ts';
import {
  changeHandleOrOwner,
  recordActivity,
  updateAccountDetails,
} from '../../../electron/vault/domain/account-registry.ts';
import { createAccount } from '../../../electron/vault/domain/account-creation.ts';
import { grantAdministrator } from '../../../electron/vault/domain/administrators.ts';
import {
  addDevice,
  judgeNotExposed,
  recordNotification,
  reportLostDevice,
  retireDevice,
} from '../../../electron/vault/domain/devices.ts';
import { addMember, removeMember } from '../../../electron/vault/domain/members.ts';
import { addPerson, recordTraining } from '../../../electron/vault/domain/people.ts';
import {
  declareQuietPeriod,
  endQuietPeriod,
} from '../../../electron/vault/domain/quiet-periods.ts';
import {
  closeAccount,
  recordApproval,
  requestAccount,
  setUpAccount,
} from '../../../electron/vault/domain/requests.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import { grantAccess, revokeAccess } from '../../../electron/vault/domain/teams.ts';
import { evaluateHealth, HEALTH_RULES } from '../../../electron/vault/health/evaluate.ts';
import { buildHealthContext, thresholdsOf } from '../../../electron/vault/health/context.ts';
import { registrySnapshot } from '../../../electron/vault/health/snapshot.ts';
import { setHealthThresholds } from '../../../electron/vault/health/service.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { createVault } from '../../../electron/vault/vault.ts';
import { TEST_KDF, tempDir } from '../../helpers/vault.ts';

/** A seeded generator (mulberry32), so the vault is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLATFORMS = ['x', 'facebook', 'instagram', 'tiktok', 'youtube'] as const;
const UNIT_TYPES = ['team', 'department', 'district', 'individual'] as const;
const day = (offset: number) =>
  new Date(Date.UTC(2026, 5, 1) + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * A varied registry through the real services, on a clock that steps a minute a call from
 * 2026-06-01: accounts of every kind (weak, reused and strong passwords, approvals in part,
 * 2FA or not, recovery contacts, activity, individual and legacy), requests, closures, people
 * trained or not and linked to members, grants and revokes, administrators, a removed member,
 * rotations, devices (personal, retired), lost devices with some notifications and a judgement,
 * and quiet periods.
 */
async function variedVault(path: string): Promise<VaultSession> {
  let tick = Date.UTC(2026, 5, 1, 9);
  const session = await createVault(path, {
    founderName: 'Lena Lead',
    passphrase: 'lead passphrase one',
    kdf: TEST_KDF,
    clock: () => new Date((tick += 60_000)),
  });
  const random = seeded(17);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const ada = await addMember(session, {
    name: 'Ada Admin',
    role: 'admin',
    passphrase: 'admin passphrase three',
  });
  await addMember(session, { name: 'Dev Dmt', role: 'dmt', passphrase: 'dmt passphrase two' });
  const people: string[] = [];
  for (let i = 0; i < 14; i++) {
    const trained = random();
    people.push(
      addPerson(session, {
        name: `Person ${i}`,
        ...(trained < 0.6 ? { masterclassOn: day(-Math.floor(random() * 700)) } : {}),
        ...(trained < 0.3 ? { refresherOn: day(-Math.floor(random() * 400)) } : {}),
        ...(i === 0 ? { memberId: ada.id } : {}),
      }).value.name,
    );
  }
  const accounts: string[] = [];
  for (let i = 0; i < 36; i++) {
    const unitType = i % 9 === 4 ? 'individual' : pick(UNIT_TYPES.slice(0, 3));
    const legacy = unitType === 'individual' && i % 2 === 0;
    const password =
      i % 7 === 0 ? 'password1' : i % 11 === 0 ? 'Summer2024!' : `Strong-${i}-Qx9v#Lm2@Pt`;
    const { id } = createAccount(
      session,
      {
        platform: pick(PLATFORMS),
        handle: `Handle${i}`,
        force: i % 2 ? 'norfolk' : 'suffolk',
        unitType,
        unitName: `Unit ${i % 5}`,
        username: `user${i}`,
        password,
      },
      legacy ? { legacy: true, createdOn: '2015-03-01' } : {},
    );
    accounts.push(id);
    const details = random();
    updateAccountDetails(session, id, {
      ...(details < 0.5 ? { twoFactor: pick(['sms', 'authenticator-app', 'none'] as const) } : {}),
      ...(details < 0.2 ? { recoveryEmail: `team${i}@gmail.com` } : {}),
      ...(details > 0.8 ? { recoveryEmail: `team${i}@norfolk.pnn.police.uk` } : {}),
      ...(details > 0.6 && details < 0.7 ? { recoveryPhone: '07700 900123' } : {}),
      ...(legacy && i % 4 === 0 ? { approvals: { exemption: 'Pre-2017 (9.16)' } } : {}),
    });
    if (random() < 0.7) recordActivity(session, id, day(-Math.floor(random() * 300)));
    // The DML decides after the other two (9.2, 9.5): some accounts have none, some part, some all.
    const approvals = (['line-manager', 'head-of-department', 'dml'] as const).slice(
      0,
      Math.floor(random() * 4),
    );
    for (const approver of approvals)
      recordApproval(session, { account: id, approver, by: 'Someone', on: day(-30) });
  }
  for (const id of accounts.slice(0, 6)) grantAdministrator(session, id, ada.id);
  for (let i = 0; i < 70; i++) {
    const account = pick(accounts);
    const person = pick(people);
    try {
      grantAccess(session, { account, person, on: day(-Math.floor(random() * 200)) });
      if (random() < 0.4)
        revokeAccess(session, { account, person, on: day(-Math.floor(random() * 20)) });
    } catch {
      // Already on the team: the service refuses, and the vault is unchanged.
    }
  }
  for (let i = 0; i < 8; i++) {
    rotatePassword(session, accounts[i * 4]!, {
      reason: pick(['scheduled', 'membership-change', 'security-risk'] as const),
      password: `Rotated-${i}-Vb7#Kw3$Zq`,
    });
  }
  removeMember(session, 'Dev Dmt');
  for (let i = 0; i < 5; i++)
    rotatePassword(session, accounts[i * 7 + 1]!, {
      reason: 'membership-change',
      password: `After-${i}-Tp8!Rm`,
    });
  const devices = [];
  for (let i = 0; i < 7; i++) {
    devices.push(
      addDevice(session, {
        owner: pick(people),
        kind: i % 3 ? 'force' : 'personal',
        label: `Device ${i}`,
        accounts: [pick(accounts), pick(accounts), pick(accounts)],
        ...(i === 3 ? { lineManagerRecordOn: day(-5) } : {}),
      }),
    );
  }
  retireDevice(session, { device: 'Device 6', reason: 'returned to ICT, wiped' });
  const lost = reportLostDevice(session, { device: 'Device 1', on: day(-3) });
  recordNotification(session, { incident: lost.id, party: 'ict' });
  judgeNotExposed(session, {
    incident: lost.id,
    account: devices[1]!.value.accountIds[0]!,
    reason: 'logged out remotely',
  });
  const lost2 = reportLostDevice(session, { device: 'Device 2' });
  for (const party of ['ict', 'infosec'] as const)
    recordNotification(session, { incident: lost2.id, party });
  rotatePassword(session, devices[2]!.value.accountIds[0]!, {
    reason: 'lost-device',
    password: 'Lost-Rotated-Gh5%',
  });
  requestAccount(session, {
    platform: 'youtube',
    handle: 'RequestedVideo',
    force: 'norfolk',
    unitType: 'department',
    unitName: 'Comms',
    requester: people[2]!,
    purpose: 'Appeals',
    aims: 'Reach',
  });
  const { id: approved } = requestAccount(session, {
    platform: 'tiktok',
    handle: 'ApprovedTok',
    force: 'suffolk',
    unitType: 'team',
    unitName: 'Youth',
    requester: people[3]!,
    purpose: 'Youth engagement',
    aims: 'Reach',
  });
  for (const approver of ['line-manager', 'head-of-department', 'dml'] as const) {
    recordApproval(session, { account: approved, approver, by: 'Someone' });
  }
  const { id: setUp } = requestAccount(session, {
    platform: 'instagram',
    handle: 'SetUpGram',
    force: 'norfolk',
    unitType: 'team',
    unitName: 'Rural',
    requester: people[4]!,
    purpose: 'Rural crime',
    aims: 'Reach',
  });
  for (const approver of ['line-manager', 'head-of-department', 'dml'] as const)
    recordApproval(session, { account: setUp, approver, by: 'Someone' });
  setUpAccount(session, { account: setUp, username: 'gram', password: 'password1' });
  closeAccount(session, { account: accounts[5]!, consultedOn: day(-2) });
  closeAccount(session, {
    account: accounts[9]!,
    consultedOn: day(-10),
    publicNoticeOn: day(-1),
    alternativeChannel: 'facebook:NorfolkPolice',
  });
  changeHandleOrOwner(session, accounts[10]!, { handle: 'RenamedHandle' });
  declareQuietPeriod(session, {
    accounts: [accounts[11]!, accounts[12]!],
    authority: 'Gold',
    reason: 'Major incident',
  });
  const ended = declareQuietPeriod(session, {
    accounts: 'all',
    authority: 'Gold',
    reason: 'Election',
  });
  endQuietPeriod(session, { id: ended.id, authority: 'Gold', reason: 'Stood down' });
  recordTraining(session, people[5]!, { masterclassOn: day(-1) });
  // The optional password age (off by default), so that rule is judged too.
  setHealthThresholds(session, { maxPasswordAgeDays: 200 });
  return session;
}

/** Findings with every random id replaced by what it names, in one order whatever the ids. */
function normalised(session: VaultSession, findings: readonly Finding[]): string[] {
  const snapshot = registrySnapshot(session);
  const names = new Map<string, string>();
  for (const a of snapshot.accounts) names.set(a.id, `account ${a.label}`);
  for (const p of snapshot.people) names.set(p.id, `person ${p.value.name}`);
  for (const d of snapshot.devices) names.set(d.id, `device ${d.value.label}`);
  for (const i of snapshot.incidents)
    names.set(i.id, `incident of ${names.get(i.clear.device_id)}`);
  const text = JSON.stringify(findings, null, 1).replace(
    /\b[0-9a-f]{32}\b/g,
    (id) => names.get(id) ?? 'unknown id',
  );
  return (JSON.parse(text) as unknown[]).map((f) => JSON.stringify(f)).sort();
}

describe('health findings stay exactly as they were (issue 17: the evaluation was made faster)', () => {
  let dir: ReturnType<typeof tempDir>;
  let session: VaultSession;
  beforeAll(async () => {
    dir = tempDir();
    session = await variedVault(`${dir.dir}/varied.vault`);
  });
  afterAll(() => {
    session.close();
    dir.cleanup();
  });

  it('gives the findings recorded from the code before, at four moments', async () => {
    const moments = [
      '2026-05-20T12:00:00.000Z', // before the vault existed: nothing is judged
      '2026-06-01T12:00:00.000Z', // part-way through building it
      '2026-06-02T12:00:00.000Z', // after
      '2027-03-01T23:59:59.999Z', // months on: refreshers, inactivity, grace periods
    ];
    const all = Object.fromEntries(
      moments.map((at) => [at, normalised(session, evaluateHealth(session, { at }))]),
    );
    // Every finding kind but credentials-not-registered (the services never leave an active
    // account without its login) is in the record by the last moment.
    expect(new Set(all[moments[3]!]!.map((f) => (JSON.parse(f) as Finding).rule)).size).toBe(16);
    await expect(JSON.stringify(all, null, 1)).toMatchFileSnapshot(
      './__snapshots__/equivalence.findings.json',
    );
  });

  it("orders them as a stable sort by severity, then since, then rule, ties in the rules' order", () => {
    const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
    const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    for (const at of ['2026-06-02T12:00:00.000Z', '2027-03-01T23:59:59.999Z']) {
      const context = buildHealthContext(registrySnapshot(session), thresholdsOf(session), at);
      const expected = HEALTH_RULES.flatMap((rule) => rule.evaluate(context)).sort(
        (a, b) => rank(b) - rank(a) || order(a.since, b.since) || order(a.rule, b.rule),
      );
      expect(evaluateHealth(session, { at })).toEqual(expected);
    }
  });

  it('gives one account the findings the whole report gives it', () => {
    const at = '2026-12-01T12:00:00.000Z';
    const every = evaluateHealth(session, { at });
    for (const account of registrySnapshot(session).accounts.slice(0, 12)) {
      expect(evaluateHealth(session, { at, account: account.id })).toEqual(
        every.filter((f) => f.account === account.id),
      );
    }
  });
});
