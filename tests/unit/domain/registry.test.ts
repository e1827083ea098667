import { Secret, TOTP } from 'otpauth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import {
  changeHandleOrOwner,
  recordActivity,
  updateAccountDetails,
} from '../../../electron/vault/domain/account-registry.ts';
import { createAccount } from '../../../electron/vault/domain/account-creation.ts';
import { listAccounts, resolveAccount } from '../../../electron/vault/domain/accounts.ts';
import { currentTotpCode, revealPassword } from '../../../electron/vault/domain/reveal.ts';
import { openCredential } from '../../../electron/vault/domain/credentials.ts';
import { setCredentialExtras } from '../../../electron/vault/domain/credential-extras.ts';
import { openRotationRecord, rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import {
  addDevice,
  judgeNotExposed,
  listIncidents,
  missingNotifications,
  recordNotification,
  reportLostDevice,
  resolveIncident,
  unansweredExposures,
} from '../../../electron/vault/domain/devices.ts';
import { accountHistory } from '../../../electron/vault/domain/history.ts';
import { addPerson, recordTraining, resolvePerson } from '../../../electron/vault/domain/people.ts';
import {
  declareQuietPeriod,
  endQuietPeriod,
  quietPeriodsFor,
} from '../../../electron/vault/domain/quiet-periods.ts';
import {
  closeAccount,
  recordApproval,
  requestAccount,
  setUpAccount,
} from '../../../electron/vault/domain/requests.ts';
import { grantAccess, revokeAccess } from '../../../electron/vault/domain/teams.ts';
import { accountStore } from '../../../electron/vault/store/account-store.ts';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { VaultError } from '../../../electron/vault/errors.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';
import { entriesOfKind } from '../../helpers/audit.ts';

function fails(run: () => unknown): VaultError {
  try {
    run();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a VaultError');
}

describe('the account registry', () => {
  let cleanup: () => void;
  let session: VaultSession;
  let x: string;
  let fb: string;
  beforeEach(async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const path = `${temp.dir}/registry.vault`;
    [x, fb] = (await populatedVault(path)).accounts as [string, string];
    session = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    addPerson(session, { name: 'Kay Patel', staffNo: 'C1234', masterclassOn: '2025-02-01' });
    addPerson(session, { name: 'Max Manager', role: 'Inspector' });
  });
  afterEach(async () => {
    expect(await verifyVault(session)).toMatchObject({ ok: true });
    session.close();
    cleanup();
  });

  describe('requests and approvals (9.1-9.7)', () => {
    const request = {
      platform: 'instagram',
      handle: 'NorfolkRuralCrime',
      force: 'norfolk',
      unitType: 'team',
      unitName: 'Rural Crime Team',
      requester: 'Kay Patel',
      purpose: 'Rural crime prevention',
      aims: 'Reach farmers; cut machinery theft',
    } as const;

    it('9.3: a request records who asks, its purpose and its aims and objectives', () => {
      const { id } = requestAccount(session, request);
      const account = listAccounts(session).find((a) => a.id === id)!;
      expect(account).toMatchObject({
        status: 'requested',
        purpose: 'Rural crime prevention',
        aims: request.aims,
      });
      expect(account.ownerId).toBe(resolvePerson(session, 'Kay Patel').id);
    });

    it('9.5: a new individual account is refused, citing 9.5', () => {
      const error = fails(() => requestAccount(session, { ...request, unitType: 'individual' }));
      expect(error.code).toBe(ErrorCode.INVALID_INPUT);
      expect(error.message).toMatch(/policy 9\.5/);
    });

    it('9.2 / 9.5: the DML decides only after the line manager and Head of Department approve', () => {
      const { id } = requestAccount(session, request);
      expect(
        fails(() => recordApproval(session, { account: id, approver: 'dml', by: 'Lena Lead' }))
          .message,
      ).toMatch(/9\.2, 9\.5/);
      recordApproval(session, {
        account: id,
        approver: 'line-manager',
        by: 'Max Manager',
        on: '2026-03-01',
      });
      recordApproval(session, {
        account: id,
        approver: 'head-of-department',
        by: 'Supt Head',
        on: '2026-03-02',
      });
      const approved = recordApproval(session, {
        account: id,
        approver: 'dml',
        by: 'Lena Lead',
        on: '2026-03-03',
      });
      expect(approved.status).toBe('approved');
      expect(approved.approvals?.digitalMediaLead).toEqual({ by: 'Lena Lead', on: '2026-03-03' });
    });

    it('9.5: the DML may refuse and suggest another platform', () => {
      const { id } = requestAccount(session, request);
      recordApproval(session, { account: id, approver: 'line-manager', by: 'Max Manager' });
      recordApproval(session, { account: id, approver: 'head-of-department', by: 'Supt Head' });
      const refused = recordApproval(session, {
        account: id,
        approver: 'dml',
        by: 'Lena Lead',
        refuse: 'audience is on Facebook',
        suggest: 'facebook',
      });
      expect(refused.status).toBe('closed');
      expect(refused.notes).toMatch(/suggested facebook/);
    });

    it('9.6 / 9.8: only an approved request is set up, which registers its login and makes it active', () => {
      const { id } = requestAccount(session, request);
      expect(fails(() => revealPassword(session, id, 'x')).message).toMatch(
        /No username or password is registered.*9\.8/,
      );
      expect(
        fails(() =>
          setUpAccount(session, { account: id, username: 'rural', password: 'Rural-Pass-123' }),
        ).message,
      ).toMatch(/approved/);
      recordApproval(session, { account: id, approver: 'line-manager', by: 'M' });
      recordApproval(session, { account: id, approver: 'head-of-department', by: 'H' });
      recordApproval(session, { account: id, approver: 'dml', by: 'L' });
      expect(
        setUpAccount(session, {
          account: id,
          username: 'rural',
          password: 'Rural-Pass-123',
          on: '2026-03-05',
        }),
      ).toMatchObject({
        status: 'active',
        createdOn: '2026-03-05',
      });
      expect(revealPassword(session, id, 'check').expose()).toBe('Rural-Pass-123');
    });
  });

  it('9.9: a change of handle or owner is recorded, with who was told', () => {
    changeHandleOrOwner(session, x, { handle: 'NorfolkConstab', informed: ['Max Manager'] });
    changeHandleOrOwner(session, 'x:NorfolkConstab', { owner: 'Kay Patel' });
    const kinds = accountHistory(session, x).map((e) => [e.kind, e.summary]);
    expect(kinds).toContainEqual(['renamed', 'renamed from NorfolkPolice to NorfolkConstab']);
    expect(kinds).toContainEqual(['owner-changed', 'owner changed from nobody to Kay Patel']);
  });

  it('9.10: a rotation for a security risk records the people informed', () => {
    rotatePassword(session, x, {
      reason: 'security-risk',
      password: 'Risk-Rotated-1',
      informed: ['Max Manager', 'Kay Patel'],
    });
    expect(accountHistory(session, x).at(-1)?.summary).toMatch(
      /security-risk.*informed Max Manager, Kay Patel/,
    );
  });

  it('9.11: closure needs consultation; it stays "closing" until the public notice and alternative are recorded', () => {
    expect(closeAccount(session, { account: x, consultedOn: '2026-04-01' }).status).toBe('closing');
    const closed = closeAccount(session, {
      account: x,
      consultedOn: '2026-04-01',
      publicNoticeOn: '2026-04-10',
      alternativeChannel: 'facebook:NorfolkPolice',
    });
    expect(closed).toMatchObject({
      status: 'closed',
      closure: { publicNoticeOn: '2026-04-10', alternativeChannel: 'facebook:NorfolkPolice' },
    });
  });

  it('9.12: an account handed over names who continues it and stays open', () => {
    const handed = closeAccount(session, {
      account: fb,
      consultedOn: '2026-04-01',
      continuedBy: 'Kay Patel',
    });
    expect(handed.status).toBe('active');
    expect(handed.ownerId).toBe(resolvePerson(session, 'Kay Patel').id);
  });

  it('9.13: the last activity date is recorded; an earlier or a future date is refused', () => {
    expect(recordActivity(session, x, '2026-05-01').lastActivityOn).toBe('2026-05-01');
    expect(fails(() => recordActivity(session, x, '2026-04-01')).message).toMatch(
      /already recorded/,
    );
    expect(fails(() => recordActivity(session, x, '2999-01-01')).message).toMatch(/future/);
    expect(fails(() => recordActivity(session, x, '01/05/2026')).message).toMatch(
      /"01\/05\/2026".*YYYY-MM-DD/,
    );
  });

  it('9.16: a legacy individual account carries its flag and exemption', () => {
    const { id } = createAccount(
      session,
      {
        platform: 'x',
        handle: 'SgtLegacy',
        force: 'suffolk',
        unitType: 'individual',
        unitName: 'Sgt Legacy',
        username: 'sgt',
        password: 'Legacy-Pass-1',
      },
      { legacy: true, createdOn: '2014-06-01' },
    );
    updateAccountDetails(session, id, {
      approvals: { exemption: 'Pre-2017 individual account (9.16)' },
    });
    expect(listAccounts(session).find((a) => a.id === id)).toMatchObject({
      legacy: true,
      approvals: { exemption: expect.stringMatching(/9\.16/) },
    });
  });

  describe('team membership (10.2)', () => {
    it('10.2: a revoke after the last rotation makes the account rotation due, and the rotation answers it', () => {
      grantAccess(session, {
        account: x,
        person: 'Kay Patel',
        on: '2026-01-02',
        why: 'joined the comms team',
      });
      expect(
        revokeAccess(session, { account: x, person: 'Kay Patel', why: 'left' }).rotationDue,
      ).toBe(true);
      expect(listAccounts(session).find((a) => a.id === x)?.rotationDueSince).not.toBeNull();
      rotatePassword(session, x, { reason: 'membership-change', password: 'After-Leaver-10-2' });
      expect(listAccounts(session).find((a) => a.id === x)?.rotationDueSince).toBeNull();
    });

    it('10.2: a revoke dated before the last rotation owes nothing', () => {
      grantAccess(session, { account: x, person: 'Kay Patel', on: '2020-01-02' });
      expect(
        revokeAccess(session, { account: x, person: 'Kay Patel', on: '2020-06-01' }).rotationDue,
      ).toBe(false);
    });

    it('10.2: revoking someone who never had access, or granting twice, is refused and writes nothing', () => {
      expect(
        fails(() => revokeAccess(session, { account: x, person: 'Kay Patel' })).message,
      ).toMatch(/no current access/);
      grantAccess(session, { account: x, person: 'Kay Patel' });
      expect(
        fails(() => grantAccess(session, { account: x, person: 'Kay Patel' })).message,
      ).toMatch(/already has access/);
      expect(
        fails(() => revokeAccess(session, { account: x, person: 'Kay Patel', on: '1999-01-01' }))
          .message,
      ).toMatch(/before access was granted/);
    });
  });

  describe('lost devices (10.1)', () => {
    it('10.1: an incident resolves only when every exposed account is rotated or judged safe and all three parties are told', () => {
      addDevice(session, {
        owner: 'Kay Patel',
        kind: 'force',
        label: 'iPhone asset 40213',
        accounts: [x, fb],
      });
      const incident = reportLostDevice(session, {
        device: 'iPhone asset 40213',
        on: '2026-11-20',
      });
      expect(unansweredExposures(session, incident)).toEqual([x, fb]);
      recordNotification(session, {
        incident: incident.id,
        party: 'ict',
        at: '2026-11-20T09:00:00Z',
      });
      recordNotification(session, {
        incident: incident.id,
        party: 'infosec',
        at: '2026-11-20T09:05:00Z',
      });
      rotatePassword(session, x, { reason: 'lost-device', password: 'Lost-Device-Rotated' });
      let current = resolveIncident(session, incident.id);
      expect(current.clear.resolved_at).toBeNull();
      expect(missingNotifications(current)).toEqual(['corporate-comms']);
      recordNotification(session, { incident: incident.id, party: 'corporate-comms' });
      expect(resolveIncident(session, incident.id).clear.resolved_at).toBeNull();
      current = judgeNotExposed(session, {
        incident: incident.id,
        account: fb,
        reason: 'Facebook app was logged out remotely',
      });
      expect(current.clear.resolved_at).not.toBeNull();
    });

    it('10.1: a notification keeps the reference the party gave, in the record and the trail', () => {
      addDevice(session, { owner: 'Kay Patel', kind: 'force', label: 'Tablet 3', accounts: [x] });
      const incident = reportLostDevice(session, { device: 'Tablet 3', on: '2026-11-20' });
      recordNotification(session, {
        incident: incident.id,
        party: 'ict',
        at: '2026-11-20T09:15:00Z',
        reference: '  INC0048213 ',
      });
      const current = resolveIncident(session, incident.id);
      expect(current.value.notified.ict).toBe('2026-11-20T09:15:00Z');
      expect(current.value.references).toEqual({ ict: 'INC0048213' });
      const entry = entriesOfKind(session, 'incident.notified').at(-1);
      expect(entry?.details).toMatchObject({ party: 'ict', reference: 'INC0048213' });
    });

    it('10.1: a time before the loss, a reference with a line break, or a loss still to come is refused and nothing is written', () => {
      addDevice(session, { owner: 'Kay Patel', kind: 'force', label: 'Tablet 4', accounts: [x] });
      const incident = reportLostDevice(session, { device: 'Tablet 4', on: '2026-11-20' });
      expect(
        fails(() =>
          recordNotification(session, {
            incident: incident.id,
            party: 'ict',
            at: '2026-11-19T23:00:00Z',
          }),
        ).message,
      ).toMatch(/before the device was lost \(2026-11-20\)/);
      expect(
        fails(() =>
          recordNotification(session, { incident: incident.id, party: 'ict', reference: 'A\nB' }),
        ).code,
      ).toBe(ErrorCode.INVALID_INPUT);
      expect(resolveIncident(session, incident.id).value.notified).toEqual({});
      addDevice(session, { owner: 'Kay Patel', kind: 'force', label: 'Tablet 5', accounts: [x] });
      expect(
        fails(() => reportLostDevice(session, { device: 'Tablet 5', on: '2999-01-01' })).message,
      ).toMatch(/a day still to come/);
      expect(listIncidents(session)).toHaveLength(1);
    });

    it('10.1: a rotation records the lost-device incident it answers', () => {
      addDevice(session, { owner: 'Kay Patel', kind: 'force', label: 'Laptop 7', accounts: [x] });
      const incident = reportLostDevice(session, { device: 'Laptop 7' });
      grantAccess(session, { account: x, person: 'Max Manager', on: '2026-01-01' });
      revokeAccess(session, { account: x, person: 'Max Manager' });
      rotatePassword(session, x, { reason: 'lost-device', password: 'Answers-Incident-1' });
      const [rotation] = accountStore.rotationsFor(session.db, resolveAccount(session, x).id);
      const answers = openRotationRecord(session, rotation!).answers;
      expect(answers).toContain(`incident:${incident.id}`);
      expect(answers.filter((a) => a.startsWith('rotation-due:'))).toHaveLength(1);
      expect(unansweredExposures(session, resolveIncident(session, incident.id))).toEqual([]);
    });
  });

  it("11.1: a person's masterclass and refresher dates are recorded", () => {
    const kay = recordTraining(session, 'Kay Patel', { refresherOn: '2026-02-01' });
    expect(kay.value).toMatchObject({ masterclassOn: '2025-02-01', refresherOn: '2026-02-01' });
    expect(
      fails(() => recordTraining(session, 'Kay Patel', { refresherOn: '2026-02-31' })).code,
    ).toBe(ErrorCode.INVALID_INPUT);
  });

  it("12.1: a personal device records when the line manager's record was made", () => {
    const device = addDevice(session, {
      owner: 'Kay Patel',
      kind: 'personal',
      label: 'Own phone',
      accounts: [fb],
      lineManagerRecordOn: '2026-01-10',
    });
    expect(device.value).toMatchObject({
      kind: 'personal',
      lineManagerRecordOn: '2026-01-10',
      accountIds: [fb],
    });
  });

  it('6.6: a quiet period covers the named accounts (or all) until it is ended', () => {
    const one = declareQuietPeriod(session, {
      accounts: [x],
      authority: 'Gold Commander',
      reason: 'Major incident',
    });
    const now = new Date().toISOString();
    expect(quietPeriodsFor(session, x, now)).toHaveLength(1);
    expect(quietPeriodsFor(session, fb, now)).toHaveLength(0);
    declareQuietPeriod(session, {
      accounts: 'all',
      authority: 'Chief Constable',
      reason: 'National mourning',
    });
    expect(quietPeriodsFor(session, fb, new Date().toISOString())).toHaveLength(1);
    endQuietPeriod(session, { id: one.id, authority: 'Gold Commander', reason: 'Stood down' });
    expect(quietPeriodsFor(session, x, new Date(Date.now() + 1000).toISOString())).toHaveLength(1);
  });

  it('9.8: the TOTP code shown is the one the platform expects, and recovery codes are kept with the login', () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DP';
    setCredentialExtras(session, x, {
      totpSecret: secret,
      recoveryCodes: ['aaaa-1111', 'bbbb-2222', ''],
    });
    const at = new Date('2026-06-01T12:00:00Z');
    const expected = new TOTP({
      secret: Secret.fromBase32(secret),
      digits: 6,
      period: 30,
    }).generate({ timestamp: at.getTime() });
    expect(currentTotpCode(session, x, 'logging in to post', at).expose()).toBe(expected);
    expect(openCredential(session, resolveAccount(session, x).id)).toMatchObject({
      recoveryCodes: ['aaaa-1111', 'bbbb-2222'],
      password: 'first-Password-1',
    });
    expect(fails(() => setCredentialExtras(session, x, { totpSecret: 'not base32!' })).code).toBe(
      ErrorCode.INVALID_INPUT,
    );
  });

  it('9.8: a TOTP secret may be set as an otpauth:// link (KeePassXC, Bitwarden) and is kept as its base32 secret; other code shapes are refused without echoing the secret', () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DP';
    setCredentialExtras(session, x, {
      totpSecret: `otpauth://totp/Force:comms?secret=${secret.toLowerCase()}&issuer=X&period=30`,
    });
    expect(openCredential(session, resolveAccount(session, x).id).totpSecret).toBe(secret);
    for (const [uri, says] of [
      [`otpauth://totp/F:c?secret=${secret}&digits=8`, /8 digits/],
      [`otpauth://totp/F:c?secret=${secret}&algorithm=SHA256`, /SHA256/],
      [`otpauth://hotp/F:c?secret=${secret}&counter=1`, /counter-based/],
      ['   ', /empty/],
    ] as const) {
      const error = fails(() => setCredentialExtras(session, fb, { totpSecret: uri }));
      expect(error.code).toBe(ErrorCode.INVALID_INPUT);
      expect(error.message).toMatch(says);
      expect(error.message).toMatch(/nothing was changed/);
      expect(error.message).not.toContain(secret);
    }
    expect(openCredential(session, resolveAccount(session, fb).id).totpSecret ?? null).toBeNull();
  });

  it('strength and reuse fingerprints are recorded at every change, without the password', () => {
    rotatePassword(session, fb, { reason: 'scheduled', password: 'first-Password-1' });
    const [a, b] = listAccounts(session);
    expect(a!.passwordCheck?.fingerprint).toBe(b!.passwordCheck?.fingerprint);
    expect(a!.passwordCheck?.fingerprint).not.toContain('first');
    rotatePassword(session, fb, { reason: 'scheduled', password: 'password' });
    expect(listAccounts(session)[1]!.passwordCheck?.strength).toBe(0);
  });
});
