import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/ipc/contract.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import { unlockAt } from '../helpers/router.ts';
import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { setCredentialExtras } from '../../electron/vault/domain/credential-extras.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { ManualTimers } from '../helpers/timers.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';

/** V8's full collection, exposed for this test (vitest does not run with --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Reveal through the router and keep only a weak reference to its answer. */
async function weaklyHeldReveal(router: VaultRouter, account: string): Promise<WeakRef<object>> {
  const result = await router.invoke('credentials.reveal', { account, reason: 'router check' });
  if (!result.ok) throw new Error(result.error.message);
  return new WeakRef(result.value as object);
}

/** Issue 11 through the IPC contract: reveal by field, ending a grant, refused attempts recorded. */
describe('credential channels of the IPC router', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  let accounts: string[];
  let router: VaultRouter;
  let clipboard: MemoryClipboard;
  let ada: string;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/ipc.vault`;
    ({ accounts } = await populatedVault(path));
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    setCredentialExtras(lead, accounts[0]!, { recoveryCodes: ['aaaa-1111', 'bbbb-2222'] });
    ada = findMemberByName(lead, 'Ada Admin').id;
    grantAdministrator(lead, accounts[0]!, ada);
    lead.close();
    clipboard = new MemoryClipboard();
    router = new VaultRouter({ clipboard, timers: new ManualTimers(), files: typedPathChooser });
  });
  afterEach(() => {
    router.lock('quit');
    dir.cleanup();
  });

  const as = async (name: string, passphrase: string) => {
    router.lock('asked');
    const result = await unlockAt(router, path, name, passphrase);
    expect(result.ok).toBe(true);
  };
  const refusals = async () => {
    const page = await router.invoke('audit.page', {
      offset: 0,
      limit: 500,
      filters: { kind: 'credential.refused' },
    });
    expect(page.ok).toBe(true);
    return page.ok ? (page.value as ResponseOf<'audit.page'>).rows : [];
  };

  it('9.8: credentials.reveal gives the recovery codes or the username when asked, the password by default', async () => {
    await as('Dev Dmt', PASSPHRASES.dmt);
    const reason = 'account hacked';
    expect(
      await router.invoke('credentials.reveal', {
        account: accounts[0],
        reason,
        field: 'recovery-codes',
      }),
    ).toEqual({
      ok: true,
      value: { field: 'recovery-codes', value: 'aaaa-1111\nbbbb-2222', doNotPost: [] },
    });
    expect(
      await router.invoke('credentials.reveal', {
        account: accounts[0],
        reason,
        field: 'username',
      }),
    ).toEqual({ ok: true, value: { field: 'username', value: 'norfolk-comms', doNotPost: [] } });
    expect(await router.invoke('credentials.reveal', { account: accounts[0], reason })).toEqual({
      ok: true,
      value: { field: 'password', value: 'first-Password-1', doNotPost: [] },
    });
    expect(
      await router.invoke('credentials.reveal', { account: accounts[0], reason, field: 'totp' }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('a reveal, copy or TOTP code refused to a security member over IPC is an audit entry security staff can see', async () => {
    await as('Sam Security', PASSPHRASES.security);
    const reason = 'curious';
    for (const [channel, payload] of [
      ['credentials.reveal', { account: accounts[0], reason, field: 'recovery-codes' }],
      ['credentials.copy', { account: accounts[1], field: 'username', reason }],
      ['credentials.totp', { account: 'x:NorfolkPolice', reason }],
    ] as const) {
      expect(await router.invoke(channel, payload)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(clipboard.text).toBe('');
    const rows = await refusals();
    expect(rows.map((r) => [r.actor, r.account, r.reason, r.details])).toEqual([
      // No "field: null" fragment: a TOTP code has no field (issue 15).
      ['Sam Security', 'x:NorfolkPolice', 'curious', 'asked: totp; role: security'],
      [
        'Sam Security',
        'facebook:SuffolkRoadsPolicing',
        'curious',
        'asked: copy; field: username; role: security',
      ],
      [
        'Sam Security',
        'x:NorfolkPolice',
        'curious',
        'asked: reveal; field: recovery-codes; role: security',
      ],
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/aaaa-1111|first-Password-1|norfolk-comms/);
    const verify = await router.invoke('audit.verify', {});
    expect(verify).toMatchObject({ ok: true, value: { ok: true } });
  });

  it('an administrator refused an account they do not administer is recorded; their own account is not', async () => {
    await as('Ada Admin', PASSPHRASES.admin);
    expect(
      await router.invoke('credentials.reveal', { account: accounts[1], reason: 'curious' }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await router.invoke('credentials.reveal', { account: accounts[0], reason: 'posting' }),
    ).toMatchObject({ ok: true });
    const rows = await refusals();
    expect(rows.map((r) => [r.account, r.details])).toEqual([
      ['facebook:SuffolkRoadsPolicing', 'asked: reveal; field: password; role: admin'],
    ]);
  });

  it('10.2: accounts.grant-admin names an admin member for the lead or dmt only, and the detail offers only admin members not yet granted', async () => {
    await as('Ada Admin', PASSPHRASES.admin);
    expect(
      await router.invoke('accounts.grant-admin', { account: accounts[1], member: ada }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await router.invoke('accounts.detail', { account: accounts[0] })).toMatchObject({
      ok: true,
      value: { adminCandidates: [] },
    });
    await as('Dev Dmt', PASSPHRASES.dmt);
    expect(await router.invoke('accounts.detail', { account: accounts[1] })).toMatchObject({
      ok: true,
      value: { administrators: [], adminCandidates: [{ id: ada, name: 'Ada Admin' }] },
    });
    const dev = (await router.invoke('vault.status', {})) as {
      ok: true;
      value: { member: { id: string } };
    };
    expect(
      await router.invoke('accounts.grant-admin', {
        account: accounts[1],
        member: dev.value.member.id,
      }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: /role admin/ } });
    expect(
      await router.invoke('accounts.grant-admin', { account: accounts[1], member: ada }),
    ).toEqual({ ok: true, value: {} });
    expect(await router.invoke('accounts.detail', { account: accounts[1] })).toMatchObject({
      ok: true,
      value: { administrators: [{ id: ada, name: 'Ada Admin' }], adminCandidates: [] },
    });
    await as('Ada Admin', PASSPHRASES.admin);
    expect(
      await router.invoke('credentials.reveal', { account: accounts[1], reason: 'posting' }),
    ).toMatchObject({ ok: true });
  });

  it('10.2: accounts.revoke-admin ends a grant for the lead or dmt, and the detail lists who administers', async () => {
    await as('Ada Admin', PASSPHRASES.admin);
    expect(
      await router.invoke('accounts.revoke-admin', { account: accounts[0], member: ada }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await as('Dev Dmt', PASSPHRASES.dmt);
    expect(await router.invoke('accounts.detail', { account: accounts[0] })).toMatchObject({
      ok: true,
      value: { administrators: [{ id: ada, name: 'Ada Admin' }] },
    });
    expect(
      await router.invoke('accounts.revoke-admin', { account: accounts[0], member: ada }),
    ).toEqual({ ok: true, value: { rotationDue: true } });
    const detail = await router.invoke('accounts.detail', { account: accounts[0] });
    expect(detail).toMatchObject({ ok: true, value: { administrators: [] } });
    expect(
      detail.ok && (detail.value as ResponseOf<'accounts.detail'>).account.rotationDueSince,
    ).toBeTruthy();
    expect(
      await router.invoke('accounts.revoke-admin', { account: accounts[0], member: ada }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /does not administer/ },
    });
    await as('Ada Admin', PASSPHRASES.admin);
    expect(
      await router.invoke('credentials.reveal', { account: accounts[0], reason: 'posting' }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('keeps nothing of an answer once given: a revealed password is not held until the next call (issue 13, attack 13)', async () => {
    await as('Dev Dmt', PASSPHRASES.dmt);
    const answer = await weaklyHeldReveal(router, accounts[0]!);
    // A weakly held object is kept until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(answer.deref()).toBeUndefined();
  });
});
