import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import {
  changeHandleOrOwner,
  recordActivity,
} from '../../../electron/vault/domain/account-registry.ts';
import { grantAdministrator } from '../../../electron/vault/domain/administrators.ts';
import {
  addDevice,
  recordNotification,
  reportLostDevice,
} from '../../../electron/vault/domain/devices.ts';
import { findMemberByName } from '../../../electron/vault/domain/members.ts';
import { addPerson, recordTraining } from '../../../electron/vault/domain/people.ts';
import { grantAccess, revokeAccess } from '../../../electron/vault/domain/teams.ts';
import { VaultError } from '../../../electron/vault/errors.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { auditStore } from '../../../electron/vault/store/audit-store.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

function refusal(run: () => unknown): VaultError {
  try {
    run();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected the change to be refused');
}

/**
 * 10.2, 9.14: an administrator changes registry data only for the accounts they administer (they
 * hold that account's key); lead and dmt change every account; security changes none.
 */
describe('who may change which account (10.2, 9.14)', () => {
  let path: string;
  let cleanup: () => void;
  let mine: string;
  let theirs: string;
  beforeEach(async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    path = `${temp.dir}/scope.vault`;
    [mine, theirs] = (await populatedVault(path)).accounts as [string, string];
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    grantAdministrator(lead, mine, findMemberByName(lead, 'Ada Admin').id);
    addPerson(lead, { name: 'Kay Patel', masterclassOn: '2026-01-05' });
    addPerson(lead, { name: 'Lee Other', masterclassOn: '2026-01-05' });
    grantAccess(lead, { account: mine, person: 'Kay Patel' });
    grantAccess(lead, { account: theirs, person: 'Lee Other' });
    addDevice(lead, {
      owner: 'Lee Other',
      kind: 'force',
      label: 'Their phone',
      accounts: [theirs],
    });
    lead.close();
  });
  afterEach(() => cleanup());

  const as = (name: string, passphrase: string) => unlockAs(path, name, passphrase);
  const entries = (session: VaultSession) => auditStore.countEntries(session.db);

  it('10.2: an administrator is refused every registry change to an account they do not administer, and nothing is written', async () => {
    const admin = await as('Ada Admin', PASSPHRASES.admin);
    const before = entries(admin);
    const attempts: [string, () => unknown][] = [
      ['team add', () => grantAccess(admin, { account: theirs, person: 'Kay Patel' })],
      ['team remove', () => revokeAccess(admin, { account: theirs, person: 'Lee Other' })],
      ['account activity', () => recordActivity(admin, theirs, '2026-01-10')],
      ['account rename --owner', () => changeHandleOrOwner(admin, theirs, { owner: 'Kay Patel' })],
      ['account rename --handle', () => changeHandleOrOwner(admin, theirs, { handle: 'Mine' })],
      [
        'device add',
        () =>
          addDevice(admin, {
            owner: 'Kay Patel',
            kind: 'force',
            label: 'Both',
            accounts: [mine, theirs],
          }),
      ],
      ['device lost', () => reportLostDevice(admin, { device: 'Their phone' })],
      ['person train', () => recordTraining(admin, 'Lee Other', { refresherOn: '2026-02-01' })],
    ];
    for (const [what, attempt] of attempts) {
      const error = refusal(attempt);
      expect(error.code, what).toBe(ErrorCode.FORBIDDEN);
      expect(error.message, what).toMatch(/10\.2/);
    }
    expect(entries(admin)).toBe(before);
    admin.close();
  });

  it('10.2: an administrator makes the same changes to an account they administer', async () => {
    const admin = await as('Ada Admin', PASSPHRASES.admin);
    addPerson(admin, { name: 'New Starter' });
    grantAccess(admin, { account: mine, person: 'New Starter' });
    expect(revokeAccess(admin, { account: mine, person: 'New Starter' })).toBeDefined();
    recordActivity(admin, mine, '2026-01-10');
    changeHandleOrOwner(admin, mine, { owner: 'Kay Patel' });
    addDevice(admin, { owner: 'Kay Patel', kind: 'force', label: 'Mine', accounts: [mine] });
    const { id } = reportLostDevice(admin, { device: 'Mine' });
    recordNotification(admin, { incident: id, party: 'ict' });
    recordTraining(admin, 'Kay Patel', { refresherOn: '2026-02-01' });
    admin.close();
  });

  it('10.2: lead and dmt change every account; security changes none', async () => {
    const dmt = await as('Dev Dmt', PASSPHRASES.dmt);
    grantAccess(dmt, { account: theirs, person: 'Kay Patel' });
    recordActivity(dmt, theirs, '2026-01-10');
    dmt.close();
    const security = await as('Sam Security', PASSPHRASES.security);
    const before = entries(security);
    for (const attempt of [
      () => grantAccess(security, { account: mine, person: 'Lee Other' }),
      () => recordActivity(security, mine, '2026-01-11'),
      () => addPerson(security, { name: 'Someone' }),
      () => reportLostDevice(security, { device: 'Their phone' }),
    ]) {
      expect(refusal(attempt).code).toBe(ErrorCode.FORBIDDEN);
    }
    expect(entries(security)).toBe(before);
    security.close();
  });
});
