import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { grantAdministrator } from '../../../electron/vault/domain/administrators.ts';
import {
  addDevice,
  editDevice,
  reportLostDevice,
  resolveDevice,
  retireDevice,
} from '../../../electron/vault/domain/devices.ts';
import { findMemberByName } from '../../../electron/vault/domain/members.ts';
import { addPerson } from '../../../electron/vault/domain/people.ts';
import { healthReport } from '../../../electron/vault/health/service.ts';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { VaultError } from '../../../electron/vault/errors.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { auditStore } from '../../../electron/vault/store/audit-store.ts';
import { entriesOfKind, SALTED } from '../../helpers/audit.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

function fails(run: () => unknown): VaultError {
  try {
    run();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a VaultError');
}

describe('editing and retiring devices (10.1, 12.1)', () => {
  let path: string;
  let cleanup: () => void;
  let lead: VaultSession;
  let mine: string;
  let theirs: string;
  beforeEach(async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    path = `${temp.dir}/devices.vault`;
    [mine, theirs] = (await populatedVault(path)).accounts as [string, string];
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    grantAdministrator(lead, mine, findMemberByName(lead, 'Ada Admin').id);
    addPerson(lead, { name: 'Kay Patel', masterclassOn: '2026-01-05' });
    addPerson(lead, { name: 'Lee Other', masterclassOn: '2026-01-05' });
  });
  afterEach(async () => {
    expect(await verifyVault(lead)).toMatchObject({ ok: true });
    lead.close();
    cleanup();
  });

  const personalDeviceFindings = (session: VaultSession) =>
    healthReport(session).filter((f) => f.rule === 'personal-device-unrecorded');

  it("12.1: recording the line manager's record on a personal device answers the health finding, audited", () => {
    const phone = addDevice(lead, {
      owner: 'Kay Patel',
      kind: 'personal',
      label: 'Own phone',
      accounts: [mine],
    });
    expect(personalDeviceFindings(lead)).toHaveLength(1);
    const edited = editDevice(lead, { device: phone.id, lineManagerRecordOn: '2026-02-03' });
    expect(edited.value).toMatchObject({ lineManagerRecordOn: '2026-02-03', label: 'Own phone' });
    expect(personalDeviceFindings(lead)).toEqual([]);
    expect(entriesOfKind(lead, 'device.updated').map((e) => e.details)).toEqual([
      {
        device: phone.id,
        changed: ['lineManagerRecordOn'],
        owner: phone.clear.owner_id,
        accounts: [mine],
        lineManagerRecordOn: '2026-02-03',
        ...SALTED,
      },
    ]);
  });

  it('edits the label, owner and accounts; a change that changes nothing, or a bad date, is refused and writes nothing', () => {
    const phone = addDevice(lead, { owner: 'Kay Patel', kind: 'force', label: 'P1', accounts: [] });
    editDevice(lead, {
      device: 'P1',
      label: 'iPhone 15, asset 40213',
      owner: 'Lee Other',
      accounts: [mine, theirs],
    });
    const now = resolveDevice(lead, phone.id);
    expect(now.value).toMatchObject({
      label: 'iPhone 15, asset 40213',
      accountIds: [mine, theirs],
    });
    expect(now.clear.owner_id).not.toBe(phone.clear.owner_id);
    const before = auditStore.countEntries(lead.db);
    expect(
      fails(() => editDevice(lead, { device: phone.id, label: 'iPhone 15, asset 40213' })).message,
    ).toMatch(/Nothing to change/);
    expect(
      fails(() => editDevice(lead, { device: phone.id, lineManagerRecordOn: '2026-02-31' })).code,
    ).toBe(ErrorCode.INVALID_INPUT);
    expect(auditStore.countEntries(lead.db)).toBe(before);
  });

  it('10.1: retiring a device needs a reason; a retired device is not edited, retired again or reported lost, and health stops asking for its 12.1 record', () => {
    addDevice(lead, { owner: 'Kay Patel', kind: 'personal', label: 'Old phone', accounts: [mine] });
    expect(fails(() => retireDevice(lead, { device: 'Old phone', reason: '  ' })).message).toMatch(
      /Say why/,
    );
    const retired = retireDevice(lead, { device: 'Old phone', reason: 'returned to ICT, wiped' });
    expect(retired.value.retiredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(retired.value.retireReason).toBe('returned to ICT, wiped');
    expect(personalDeviceFindings(lead)).toEqual([]);
    expect(entriesOfKind(lead, 'device.retired').map((e) => e.details)).toEqual([
      {
        device: retired.id,
        retiredOn: retired.value.retiredOn!,
        reason: 'returned to ICT, wiped',
        ...SALTED,
      },
    ]);
    expect(
      fails(() => retireDevice(lead, { device: retired.id, reason: 'again' })).message,
    ).toMatch(/already retired/);
    expect(fails(() => editDevice(lead, { device: retired.id, label: 'New' })).message).toMatch(
      /was retired/,
    );
    expect(fails(() => reportLostDevice(lead, { device: retired.id })).message).toMatch(/retired/);
  });

  it('10.1: a device already reported lost is not reported again while its incident is open', () => {
    addDevice(lead, { owner: 'Kay Patel', kind: 'force', label: 'Work phone', accounts: [mine] });
    reportLostDevice(lead, { device: 'Work phone', on: '2026-11-20' });
    const again = fails(() => reportLostDevice(lead, { device: 'Work phone' }));
    expect(again.code).toBe(ErrorCode.INVALID_INPUT);
    expect(again.message).toMatch(/already reported lost \(since 2026-11-20\)/);
    expect(entriesOfKind(lead, 'device.lost')).toHaveLength(1);
  });

  it('10.2: an administrator edits and retires only devices whose accounts are all theirs, before and after', async () => {
    addDevice(lead, { owner: 'Kay Patel', kind: 'force', label: 'Mine', accounts: [mine] });
    addDevice(lead, { owner: 'Lee Other', kind: 'force', label: 'Theirs', accounts: [theirs] });
    lead.close();
    const ada = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
    const before = auditStore.countEntries(ada.db);
    expect(fails(() => editDevice(ada, { device: 'Theirs', label: 'Taken' })).code).toBe(
      ErrorCode.FORBIDDEN,
    );
    expect(fails(() => retireDevice(ada, { device: 'Theirs', reason: 'r' })).code).toBe(
      ErrorCode.FORBIDDEN,
    );
    // Nor may they make their device reach an account they do not administer.
    expect(fails(() => editDevice(ada, { device: 'Mine', accounts: [mine, theirs] })).code).toBe(
      ErrorCode.FORBIDDEN,
    );
    expect(auditStore.countEntries(ada.db)).toBe(before);
    editDevice(ada, { device: 'Mine', label: 'Mine, asset 7' });
    retireDevice(ada, { device: 'Mine, asset 7', reason: 'replaced' });
    ada.close();
    lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    expect(resolveDevice(lead, 'Mine, asset 7').value.retiredOn).toBeDefined();
  });
});
