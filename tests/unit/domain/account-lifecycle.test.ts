import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { STATUS_CHANGES } from '../../../shared/domain/account-lifecycle.ts';
import { updateAccountDetails } from '../../../electron/vault/domain/account-registry.ts';
import { createAccount } from '../../../electron/vault/domain/account-creation.ts';
import { listAccounts } from '../../../electron/vault/domain/accounts.ts';
import { addPerson } from '../../../electron/vault/domain/people.ts';
import {
  closeAccount,
  recordApproval,
  requestAccount,
} from '../../../electron/vault/domain/requests.ts';
import { VaultError } from '../../../electron/vault/errors.ts';
import { evaluateHealth } from '../../../electron/vault/health/evaluate.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

function refusal(run: () => unknown): VaultError {
  try {
    run();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const request = {
  platform: 'instagram',
  handle: 'NorfolkRuralCrime',
  force: 'norfolk',
  unitType: 'team',
  unitName: 'Rural Crime Team',
  requester: 'Kay Patel',
  purpose: 'Rural crime prevention',
  aims: 'Reach farmers',
} as const;

const individual = {
  platform: 'x',
  handle: 'SgtSolo',
  force: 'suffolk',
  unitType: 'individual',
  unitName: 'Sgt Solo',
  username: 'solo',
  password: 'Solo-Password-2014',
} as const;

describe('the account lifecycle (9.2, 9.5, 9.6, 9.8, 9.11, 9.16)', () => {
  let cleanup: () => void;
  let session: VaultSession;
  let x: string;
  beforeEach(async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const path = `${temp.dir}/lifecycle.vault`;
    [x] = (await populatedVault(path)).accounts as [string, string];
    session = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    addPerson(session, { name: 'Kay Patel' });
  });
  afterEach(() => {
    session.close();
    cleanup();
  });
  const status = (id: string) => listAccounts(session).find((a) => a.id === id)?.status;

  it('9.2, 9.5, 9.6: editing a requested account to active is refused, citing the clauses, and it stays requested', () => {
    const { id } = requestAccount(session, request);
    for (const to of ['active', 'approved'] as const) {
      const error = refusal(() => updateAccountDetails(session, id, { status: to }));
      expect(error.code, to).toBe(ErrorCode.INVALID_INPUT);
      expect(error.message, to).toMatch(/policy 9\.2, 9\.5/);
    }
    expect(status(id)).toBe('requested');
  });

  it('9.11: an account is closed only through the closure, never by editing its status', () => {
    const error = refusal(() => updateAccountDetails(session, x, { status: 'closed' }));
    expect(error.message).toMatch(/account close.*9\.11/);
    expect(status(x)).toBe('active');
  });

  it('9.5: a request is refused by the Digital Media Lead, not closed through the closure', () => {
    const { id } = requestAccount(session, request);
    expect(
      refusal(() => closeAccount(session, { account: id, consultedOn: '2026-04-01' })).message,
    ).toMatch(/still a request.*--refuse.*9\.5/);
    expect(status(id)).toBe('requested');
  });

  it('10.2: an active account may be suspended and reinstated by editing its status', () => {
    expect(updateAccountDetails(session, x, { status: 'suspended' }).status).toBe('suspended');
    expect(updateAccountDetails(session, x, { status: 'active' }).status).toBe('active');
  });

  it('9.11: a closed account stays closed', () => {
    closeAccount(session, {
      account: x,
      consultedOn: '2026-04-01',
      publicNoticeOn: '2026-04-10',
      alternativeChannel: 'facebook:NorfolkPolice',
    });
    expect(refusal(() => updateAccountDetails(session, x, { status: 'active' })).message).toMatch(
      /closed.*9\.11/,
    );
  });

  it('every status change is one row of the table, each citing its clause', () => {
    for (const change of STATUS_CHANGES) expect(change.clause).toMatch(/^\d+\.\d+/);
    const pairs = STATUS_CHANGES.map((c) => `${c.from}->${c.to}:${c.through}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(pairs).toContain('requested->approved:approval');
    expect(pairs).toContain('approved->active:set-up');
    expect(pairs).not.toContain('requested->active:edit');
  });

  it('9.8: an account registered directly has its approvals recorded later, which answers the approval-missing finding without the legacy exemption', () => {
    const missing = () =>
      evaluateHealth(session).filter((f) => f.rule === 'approval-missing' && f.account === x);
    expect(missing()).toHaveLength(1);
    recordApproval(session, {
      account: x,
      approver: 'line-manager',
      by: 'Insp Line',
      on: '2020-01-02',
    });
    recordApproval(session, { account: x, approver: 'head-of-department', by: 'Supt Head' });
    recordApproval(session, { account: x, approver: 'dml', by: 'Lena Lead' });
    expect(missing()).toEqual([]);
    expect(status(x)).toBe('active');
    expect(listAccounts(session).find((a) => a.id === x)?.approvals?.lineManager).toEqual({
      by: 'Insp Line',
      on: '2020-01-02',
    });
    // A refusal is a decision on a request; an account in use is closed through the closure (9.11).
    expect(
      refusal(() => recordApproval(session, { account: x, approver: 'dml', by: 'L', refuse: 'no' }))
        .message,
    ).toMatch(/9\.11/);
  });

  it('9.5, 9.16: the legacy flag is refused unless the account is individual and created before January 2017', () => {
    const { id } = createAccount(session, individual);
    expect(refusal(() => updateAccountDetails(session, id, { legacy: true })).message).toMatch(
      /created before January 2017.*9\.5, 9\.16/,
    );
    expect(
      refusal(() => updateAccountDetails(session, id, { legacy: true, createdOn: '2017-01-01' }))
        .message,
    ).toMatch(/2017-01-01.*9\.5, 9\.16/);
    expect(
      refusal(() => updateAccountDetails(session, x, { legacy: true, createdOn: '2012-05-01' }))
        .message,
    ).toMatch(/individual.*9\.5, 9\.16/);
    expect(
      updateAccountDetails(session, id, { legacy: true, createdOn: '2016-12-31' }),
    ).toMatchObject({ legacy: true, createdOn: '2016-12-31' });
    // Once legacy, its creation date cannot be moved past the cut-off.
    expect(
      refusal(() => updateAccountDetails(session, id, { createdOn: '2018-03-01' })).message,
    ).toMatch(/9\.5, 9\.16/);
  });

  it('9.16: the approval exemption is only for a legacy account', () => {
    expect(
      refusal(() => updateAccountDetails(session, x, { approvals: { exemption: 'old' } })).message,
    ).toMatch(/legacy.*9\.16/);
  });
});
