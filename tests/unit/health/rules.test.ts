import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../../shared/domain/dates.ts';
import { DEFAULT_THRESHOLDS, type Finding } from '../../../shared/domain/health.ts';
import {
  changeHandleOrOwner,
  recordActivity,
  updateAccountDetails,
} from '../../../electron/vault/domain/account-registry.ts';
import { createAccount } from '../../../electron/vault/domain/account-creation.ts';
import { openAccountProfile, writeAccountRecord } from '../../../electron/vault/domain/accounts.ts';
import { accountStore } from '../../../electron/vault/store/account-store.ts';
import { grantAdministrator } from '../../../electron/vault/domain/administrators.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import {
  addDevice,
  judgeNotExposed,
  recordNotification,
  reportLostDevice,
} from '../../../electron/vault/domain/devices.ts';
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
import { grantAccess, revokeAccess } from '../../../electron/vault/domain/teams.ts';
import { findMemberByName, removeMember } from '../../../electron/vault/domain/members.ts';
import { evaluateHealth } from '../../../electron/vault/health/evaluate.ts';
import { isForceEmail } from '../../../electron/vault/health/rules/recovery-contact.ts';
import {
  healthReport,
  healthTrend,
  setHealthThresholds,
} from '../../../electron/vault/health/service.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

const TODAY = new Date().toISOString().slice(0, 10);
const endOf = (day: string) => `${day}T23:59:59.999Z`;

describe('account health rules', () => {
  let cleanup: () => void;
  let session: VaultSession;
  let x: string;
  let fb: string;
  const findings = (rule: string, at = new Date().toISOString()): Finding[] =>
    evaluateHealth(session, { at }).filter((f) => f.rule === rule);

  beforeEach(async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const path = `${temp.dir}/health.vault`;
    [x, fb] = (await populatedVault(path)).accounts as [string, string];
    session = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    addPerson(session, { name: 'Kay Patel', masterclassOn: TODAY });
  });
  afterEach(() => {
    session.close();
    cleanup();
  });

  it('9.13: unused 3 months offers guidance, 6 a reminder, a further month may close; new activity clears it', () => {
    recordActivity(session, x, TODAY);
    expect(findings('inactivity', endOf(addMonths(TODAY, 2)))).toEqual([]);
    const at = (months: number) =>
      findings('inactivity', endOf(addMonths(TODAY, months))).find((f) => f.account === x);
    expect(at(3)).toMatchObject({
      clause: '9.13',
      severity: 'info',
      since: addMonths(TODAY, 3),
      action: expect.stringMatching(/guidance/),
    });
    expect(at(6)).toMatchObject({ severity: 'warning', action: expect.stringMatching(/reminder/) });
    expect(at(7)).toMatchObject({ severity: 'action', action: expect.stringMatching(/may close/) });
    expect(at(7)?.evidence).toMatch(new RegExp(`Last used ${TODAY}`));
    recordActivity(session, fb, addMonths(TODAY, -8));
    expect(findings('inactivity').find((f) => f.account === fb)?.severity).toBe('action');
    recordActivity(session, fb, TODAY);
    expect(findings('inactivity')).toEqual([]);
  });

  it('9.13: thresholds come from vault settings, and changing them is audited', () => {
    setHealthThresholds(session, { inactivityGuidanceMonths: 1 });
    expect(findings('inactivity', endOf(addMonths(TODAY, 1)))).toHaveLength(2);
    const entry = session.db
      .prepare("SELECT COUNT(*) AS n FROM audit_entries WHERE kind = 'settings.changed'")
      .get() as { n: number };
    expect(entry.n).toBe(1);
  });

  it('10.2: access revoked after the last rotation is a finding with its evidence; rotating answers it', () => {
    grantAccess(session, { account: x, person: 'Kay Patel', on: '2026-01-02' });
    revokeAccess(session, { account: x, person: 'Kay Patel' });
    const [finding] = findings('leaver-rotation-due');
    expect(finding).toMatchObject({ account: x, clause: '10.2', severity: 'action', since: TODAY });
    expect(finding!.evidence).toMatch(
      new RegExp(`Kay Patel's access revoked ${TODAY}; last password change ${TODAY}`),
    );
    expect(findings('leaver-rotation-due', endOf(addDays(TODAY, 8)))[0]?.severity).toBe('breach');
    rotatePassword(session, x, { reason: 'membership-change', password: 'After-Kay-Left-1' });
    expect(findings('leaver-rotation-due')).toEqual([]);
  });

  it('10.2: a removed dmt member leaves every account they could read owed a rotation', () => {
    removeMember(session, 'Dev Dmt');
    expect(
      findings('leaver-rotation-due')
        .map((f) => f.account)
        .sort(),
    ).toEqual([x, fb].sort());
  });

  it('10.1: exposed accounts and missing notifications are findings until rotated and recorded', () => {
    addDevice(session, { owner: 'Kay Patel', kind: 'force', label: 'Phone 1', accounts: [x, fb] });
    const incident = reportLostDevice(session, { device: 'Phone 1' });
    expect(findings('lost-device-exposure').map((f) => [f.account, f.severity, f.clause])).toEqual([
      [x, 'breach', '10.1'],
      [fb, 'breach', '10.1'],
    ]);
    expect(findings('lost-device-notification')[0]).toMatchObject({
      severity: 'breach',
      evidence: expect.stringMatching(/ICT, Information Security, Corporate Communications/),
    });
    recordNotification(session, { incident: incident.id, party: 'ict' });
    recordNotification(session, { incident: incident.id, party: 'infosec' });
    expect(findings('lost-device-notification')[0]).toMatchObject({
      severity: 'action',
      evidence: 'Not recorded as told: Corporate Communications.',
    });
    recordNotification(session, { incident: incident.id, party: 'corporate-comms' });
    expect(findings('lost-device-notification')).toEqual([]);
    rotatePassword(session, x, { reason: 'lost-device', password: 'Lost-Phone-Rotated' });
    judgeNotExposed(session, { incident: incident.id, account: fb, reason: 'logged out remotely' });
    expect(findings('lost-device-exposure')).toEqual([]);
  });

  it('9.8: an active account without credentials is a breach; set-up answers it', () => {
    const { id } = requestAccount(session, {
      platform: 'youtube',
      handle: 'NorfolkVideo',
      force: 'norfolk',
      unitType: 'department',
      unitName: 'Comms',
      requester: 'Kay Patel',
      purpose: 'Video',
      aims: 'Appeals',
    });
    expect(findings('credentials-not-registered')).toEqual([]); // a request is not yet an account in use
    // No step makes an account active without its login (9.2-9.6, 9.8), so this state comes only
    // from a record written outside the lifecycle (an older vault): the rule still catches it.
    const row = accountStore.byId(session.db, id)!;
    session.write(({ db, audit }) => {
      audit({ kind: 'account.updated', account: id });
      writeAccountRecord(session, db, row, {
        ...openAccountProfile(session, row),
        status: 'active',
      });
    });
    expect(findings('credentials-not-registered')[0]).toMatchObject({
      account: id,
      clause: '9.8',
      severity: 'breach',
    });
    const active = accountStore.byId(session.db, id)!;
    session.write(({ db, audit }) => {
      audit({ kind: 'account.updated', account: id });
      writeAccountRecord(session, db, active, {
        ...openAccountProfile(session, active),
        status: 'approved',
      });
    });
    setUpAccount(session, { account: id, username: 'video', password: 'Video-Pass-123' });
    expect(findings('credentials-not-registered')).toEqual([]);
  });

  it('9.2 / 9.5: approvals missing are a finding; recording them, or a legacy exemption, answers it', () => {
    expect(findings('approval-missing').map((f) => f.account)).toEqual([x, fb]);
    const { id } = requestAccount(session, {
      platform: 'tiktok',
      handle: 'NorfolkTok',
      force: 'norfolk',
      unitType: 'team',
      unitName: 'Youth',
      requester: 'Kay Patel',
      purpose: 'Youth',
      aims: 'Reach',
    });
    for (const approver of ['line-manager', 'head-of-department', 'dml'] as const)
      recordApproval(session, { account: id, approver, by: 'Someone' });
    setUpAccount(session, { account: id, username: 'tok', password: 'Tok-Password-42' });
    expect(findings('approval-missing').map((f) => f.account)).not.toContain(id);
    // fb was registered directly (9.8): its approvals are recorded afterwards.
    for (const approver of ['line-manager', 'head-of-department', 'dml'] as const)
      recordApproval(session, { account: fb, approver, by: 'Someone', on: '2020-01-01' });
    expect(findings('approval-missing').map((f) => f.account)).toEqual([x]);
    const { id: legacy } = createAccount(
      session,
      {
        platform: 'x',
        handle: 'PCOld',
        force: 'norfolk',
        unitType: 'individual',
        unitName: 'PC Old',
        username: 'o',
        password: 'Old-Pass-0987',
      },
      { legacy: true, createdOn: '2015-03-01' },
    );
    expect(findings('approval-missing').map((f) => f.account)).toEqual([x, legacy]);
    updateAccountDetails(session, legacy, { approvals: { exemption: 'Pre-2017 (9.16)' } });
    expect(findings('approval-missing').map((f) => f.account)).toEqual([x]);
  });

  it('9.5: an individual account without the legacy flag is a breach; the flag answers it', () => {
    const { id } = createAccount(session, {
      platform: 'x',
      handle: 'PCSolo',
      force: 'norfolk',
      unitType: 'individual',
      unitName: 'PC Solo',
      username: 's',
      password: 'Solo-Pass-0987',
    });
    expect(findings('individual-not-allowed')).toEqual([
      expect.objectContaining({ account: id, severity: 'breach', clause: '9.5' }),
    ]);
    updateAccountDetails(session, id, { legacy: true, createdOn: '2016-11-01' });
    expect(findings('individual-not-allowed')).toEqual([]);
  });

  it('11.1: no masterclass, or a refresher over 12 months old, with severity rising; training answers it', () => {
    addPerson(session, { name: 'Ned New' });
    grantAccess(session, { account: x, person: 'Ned New' });
    expect(findings('training')).toEqual([
      expect.objectContaining({
        subject: expect.objectContaining({ label: 'Ned New' }),
        severity: 'action',
      }),
    ]);
    recordTraining(session, 'Ned New', { masterclassOn: TODAY });
    expect(findings('training')).toEqual([]);
    const at = (months: number) =>
      findings('training', endOf(addMonths(TODAY, months)))[0]?.severity;
    expect([at(11), at(12), at(15), at(18)]).toEqual([undefined, 'warning', 'action', 'breach']);
    recordTraining(session, 'Ned New', { refresherOn: TODAY });
    expect(findings('training', endOf(addMonths(TODAY, 11)))).toEqual([]);
  });

  it("9.8 / 9.16: a recovery e-mail that is not the force's, or a phone not recorded as a force number, is a finding; the force's answer it", () => {
    updateAccountDetails(session, x, { recoveryEmail: 'kay.patel1987@gmail.com' });
    updateAccountDetails(session, fb, { recoveryEmail: 'roads.team@suffolk.pnn.police.uk' });
    expect(findings('recovery-not-force')).toEqual([
      expect.objectContaining({
        account: x,
        clause: '9.8, 9.16',
        severity: 'action',
        evidence: expect.stringMatching(/gmail\.com/),
      }),
    ]);
    updateAccountDetails(session, x, { recoveryEmail: 'comms@norfolk.pnn.police.uk' });
    expect(findings('recovery-not-force')).toEqual([]);
    updateAccountDetails(session, fb, { recoveryPhone: '07700 900123' });
    expect(findings('recovery-not-force').map((f) => [f.account, f.evidence])).toEqual([
      [fb, expect.stringMatching(/phone.*not recorded as a force number/)],
    ]);
    updateAccountDetails(session, fb, { recoveryPhoneIsForce: true });
    expect(findings('recovery-not-force')).toEqual([]);
    // The force's domains are a setting (the lead's, audited): a new one answers its addresses.
    updateAccountDetails(session, x, { recoveryEmail: 'comms@constabulary.example' });
    expect(findings('recovery-not-force')).toHaveLength(1);
    setHealthThresholds(session, {
      forceEmailDomains: [...DEFAULT_THRESHOLDS.forceEmailDomains, 'constabulary.example'],
    });
    expect(findings('recovery-not-force')).toEqual([]);
    expect(() => setHealthThresholds(session, { forceEmailDomains: ['@gmail'] })).toThrow(
      /forceEmailDomains.*must be an e-mail domain such as norfolk\.police\.uk/,
    );
  });

  it('9.8 / 9.16: a force address is one at a force domain or below it, matched whole and without case', () => {
    const domains = ['norfolk.pnn.police.uk', 'suffolk.police.uk'];
    expect(isForceEmail('Comms@Norfolk.PNN.Police.UK', domains)).toBe(true);
    expect(isForceEmail('a@digital.suffolk.police.uk', domains)).toBe(true);
    expect(isForceEmail('a@evilsuffolk.police.uk', domains)).toBe(false);
    expect(isForceEmail('a@norfolk.pnn.police.uk.attacker.com', domains)).toBe(false);
    expect(isForceEmail('suffolk.police.uk@gmail.com', domains)).toBe(false);
    expect(isForceEmail('no-at-sign', domains)).toBe(false);
  });

  it("12.1: a personal device without the line manager's record is a finding", () => {
    addDevice(session, { owner: 'Kay Patel', kind: 'personal', label: 'Own phone', accounts: [x] });
    addDevice(session, {
      owner: 'Kay Patel',
      kind: 'personal',
      label: 'Own tablet',
      accounts: [x],
      lineManagerRecordOn: TODAY,
    });
    addDevice(session, { owner: 'Kay Patel', kind: 'force', label: 'Force phone', accounts: [x] });
    expect(findings('personal-device-unrecorded').map((f) => f.subject.label)).toEqual([
      'Own phone',
    ]);
  });

  it('weak and reused passwords are found from stored facts, for security staff too', async () => {
    rotatePassword(session, fb, { reason: 'scheduled', password: 'first-Password-1' });
    rotatePassword(session, x, { reason: 'scheduled', password: 'password' });
    session.close();
    session = await unlockAs(session.path, 'Sam Security', PASSPHRASES.security);
    expect(findings('weak-password').map((f) => f.account)).toEqual([x]);
    expect(findings('reused-password')).toEqual([]);
    session.close();
    session = await unlockAs(session.path, 'Lena Lead', PASSPHRASES.lead);
    rotatePassword(session, x, { reason: 'security-risk', password: 'first-Password-1' });
    expect(
      findings('reused-password')
        .map((f) => f.account)
        .sort(),
    ).toEqual([x, fb].sort());
    rotatePassword(session, x, {
      reason: 'security-risk',
      password: 'Distinct-Strong-Passphrase-77',
    });
    expect(findings('reused-password')).toEqual([]);
  });

  it('password age is off by default and, when set, flags old passwords until rotated', () => {
    expect(findings('password-age', endOf(addMonths(TODAY, 36)))).toEqual([]);
    setHealthThresholds(session, { maxPasswordAgeDays: 90 });
    expect(findings('password-age', endOf(addDays(TODAY, 91))).map((f) => f.account)).toEqual([
      x,
      fb,
    ]);
  });

  it('no 2FA recorded is a finding; recording the method answers it', () => {
    expect(findings('no-2fa').map((f) => f.account)).toEqual([x, fb]);
    updateAccountDetails(session, x, { twoFactor: 'authenticator-app' });
    updateAccountDetails(session, fb, { twoFactor: 'none' });
    expect(findings('no-2fa')).toEqual([
      expect.objectContaining({ account: fb, evidence: 'Two-factor authentication is off.' }),
    ]);
  });

  it('10.2 / 9.14: no administrator, or one not on the team, is a finding', () => {
    expect(findings('administrator').map((f) => f.account)).toEqual([x, fb]);
    const ada = findMemberByName(session, 'Ada Admin').id;
    grantAdministrator(session, x, ada);
    expect(findings('administrator').find((f) => f.account === x)?.evidence).toMatch(/not linked/);
    addPerson(session, { name: 'Ada Admin', memberId: ada, masterclassOn: TODAY });
    expect(findings('administrator').find((f) => f.account === x)?.evidence).toMatch(
      /Ada Admin is not on the account's team/,
    );
    grantAccess(session, { account: x, person: 'Ada Admin' });
    expect(findings('administrator').map((f) => f.account)).toEqual([fb]);
  });

  it('9.11 / 6.6: closing without public notice, and a quiet period in force (info)', () => {
    closeAccount(session, { account: x, consultedOn: TODAY });
    expect(findings('closure-without-notice')).toEqual([
      expect.objectContaining({ account: x, severity: 'action' }),
    ]);
    closeAccount(session, {
      account: x,
      consultedOn: TODAY,
      publicNoticeOn: TODAY,
      alternativeChannel: 'facebook:NorfolkPolice',
    });
    expect(findings('closure-without-notice')).toEqual([]);
    const quiet = declareQuietPeriod(session, {
      accounts: [fb],
      authority: 'Gold Commander',
      reason: 'Major incident',
    });
    expect(findings('quiet-period')).toEqual([
      expect.objectContaining({ account: fb, severity: 'info', clause: '6.6' }),
    ]);
    endQuietPeriod(session, { id: quiet.id, authority: 'Gold Commander', reason: 'Stood down' });
    expect(findings('quiet-period', endOf(addDays(TODAY, 1)))).toEqual([]);
  });

  it('a daily summary is kept when health is evaluated now, not for another day', () => {
    healthReport(session, { at: addDays(TODAY, 30) });
    expect(healthTrend(session)).toEqual([]);
    const now = healthReport(session);
    expect(healthTrend(session)).toEqual([
      { day: TODAY, summary: expect.objectContaining({ total: now.length }) },
    ]);
    changeHandleOrOwner(session, x, { handle: 'Renamed' });
    healthReport(session);
    expect(healthTrend(session)).toHaveLength(1);
  });
});
