import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS, MAX_PAYLOAD_CHARS } from '../../shared/ipc/contract.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';
import { ManualTimers } from '../helpers/timers.ts';

describe('the IPC router (DESIGN.md "Process model")', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  let accounts: string[];
  let timers: ManualTimers;
  let clipboard: MemoryClipboard;
  let router: VaultRouter;
  let locks: string[];

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/team.vault`;
    ({ accounts } = await populatedVault(path));
    timers = new ManualTimers();
    clipboard = new MemoryClipboard();
    locks = [];
    router = new VaultRouter({ clipboard, timers, onLocked: (why) => locks.push(why) });
  });
  afterEach(() => {
    router.lock('quit');
    dir.cleanup();
  });

  const as = async (name: string, passphrase: string) => {
    const result = await router.invoke('vault.unlock', { path, memberName: name, passphrase });
    expect(result.ok).toBe(true);
  };

  it('refuses an unknown channel, a non-object, extra fields and an oversized payload, and runs nothing', async () => {
    await as('Lena Lead', PASSPHRASES.lead);
    const cases: [unknown, unknown][] = [
      ['vault.delete', {}],
      [42, {}],
      ['credentials.reveal', 'not an object'],
      ['credentials.reveal', { account: accounts[0], reason: 'x', extra: true }],
      ['credentials.reveal', { account: accounts[0], reason: '' }],
      ['credentials.reveal', { account: accounts[0], reason: 'r'.repeat(501) }],
      ['accounts.detail', { account: 'a'.repeat(MAX_PAYLOAD_CHARS + 1) }],
      ['audit.page', { offset: -1, limit: 10 }],
      ['audit.page', { offset: 0, limit: 10_000 }],
      ['audit.export', { format: 'csv', out: 'trail\u0000.csv' }],
    ];
    for (const [channel, payload] of cases) {
      const result = await router.invoke(channel, payload);
      expect(result, JSON.stringify([channel, String(payload).slice(0, 40)])).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    }
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(await router.invoke('accounts.list', cyclic)).toMatchObject({ ok: false });
    expect(await router.invoke('accounts.list', { n: 10n })).toMatchObject({ ok: false });
    const list = await router.invoke('accounts.list', {});
    expect(list.ok).toBe(true);
  });

  it('needs an unlocked session for every vault channel', async () => {
    // vault.* and files.choose are the only channels a locked window may use.
    for (const channel of CHANNELS.filter((c) => !c.startsWith('vault.') && c !== 'files.choose')) {
      const result = await router.invoke(channel, {});
      expect(result.ok, channel).toBe(false);
    }
    const reveal = await router.invoke('credentials.reveal', {
      account: accounts[0],
      reason: 'why',
    });
    expect(reveal).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
  });

  it('files.choose asks the host for a path, even while locked; a host without a chooser says to type it', async () => {
    expect(await router.invoke('files.choose', { purpose: 'open-vault' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/type the path/) },
    });
    expect(await router.invoke('vault.status', {})).toMatchObject({
      value: { canChooseFiles: false },
    });
    const asked: string[] = [];
    const withChooser = new VaultRouter({
      clipboard,
      timers,
      files: {
        choose: (purpose, extension) => {
          asked.push(`${purpose}:${extension ?? ''}`);
          return Promise.resolve('/picked/case.pdf');
        },
      },
    });
    expect(
      await withChooser.invoke('files.choose', { purpose: 'export', extension: 'pdf' }),
    ).toEqual({ ok: true, value: { path: '/picked/case.pdf' } });
    expect(asked).toEqual(['export:pdf']);
  });

  it('11.1: the People view gives each person the training status of the health rule, and says up to date only when the rule does', async () => {
    await as('Lena Lead', PASSPHRASES.lead);
    const add = (person: Record<string, string>) => router.invoke('people.add', person);
    await add({ name: 'Old Timer', masterclassOn: '2021-01-01', refresherOn: '2022-01-01' });
    await add({ name: 'Never Trained' });
    await add({ name: 'Fresh Starter', masterclassOn: new Date().toISOString().slice(0, 10) });
    await add({ name: 'Waiting Starter' });
    for (const person of ['Old Timer', 'Never Trained', 'Fresh Starter'])
      await router.invoke('team.grant', { account: accounts[0], person });
    const health = await router.invoke('dashboard.get', {});
    expect(health.ok).toBe(true);
    const listed = await router.invoke('people.list', {});
    if (!listed.ok) throw new Error(listed.error.message);
    const status = Object.fromEntries(
      (
        listed.value as {
          person: { name: string };
          training: { status: string; severity: string | null };
        }[]
      ).map((p) => [p.person.name, [p.training.status, p.training.severity]]),
    );
    expect(status).toEqual({
      'Old Timer': ['overdue', 'breach'],
      'Never Trained': ['overdue', 'action'],
      'Fresh Starter': ['up-to-date', null],
      // No account access yet: 11.1 asks for the masterclass before first use, not "up to date".
      'Waiting Starter': ['no-access', null],
    });
  });

  it('a security member gets no secret from any channel', async () => {
    await as('Sam Security', PASSPHRASES.security);
    for (const channel of [
      'credentials.reveal',
      'credentials.copy',
      'credentials.rotate',
    ] as const) {
      const payload =
        channel === 'credentials.rotate'
          ? {
              account: accounts[0],
              reason: 'scheduled',
              password: 'x-New-password-1',
              informed: [],
            }
          : channel === 'credentials.copy'
            ? { account: accounts[0], field: 'password', reason: 'why' }
            : { account: accounts[0], reason: 'why' };
      expect(await router.invoke(channel, payload)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(clipboard.text).toBe('');
    const detail = await router.invoke('accounts.detail', { account: accounts[0] });
    expect(detail.ok).toBe(true);
    expect(JSON.stringify(detail)).not.toContain('first-Password-1');
  });

  it('locks after the idle time, wipes the session and clears a secret it left on the clipboard', async () => {
    await as('Lena Lead', PASSPHRASES.lead);
    const copied = await router.invoke('credentials.copy', {
      account: accounts[0],
      field: 'password',
      reason: 'post',
    });
    expect(copied).toEqual({ ok: true, value: { clearsInSeconds: 30 } });
    expect(clipboard.text).toBe('first-Password-1');
    timers.fire(5 * 60_000);
    expect(router.unlocked).toBe(false);
    expect(locks).toEqual(['idle']);
    expect(clipboard.text).toBe('');
    expect(await router.invoke('accounts.list', {})).toMatchObject({
      ok: false,
      error: { code: 'AUTH_FAILED' },
    });
  });

  it('every call pushes the idle lock back', async () => {
    await as('Lena Lead', PASSPHRASES.lead);
    expect(timers.pending.filter((t) => t.ms === 5 * 60_000)).toHaveLength(1);
    await router.invoke('accounts.list', {});
    expect(timers.pending.filter((t) => t.ms === 5 * 60_000)).toHaveLength(1);
  });

  it('a wrong passphrase is AUTH_FAILED and says nothing of which part was wrong', async () => {
    const wrong = await router.invoke('vault.unlock', {
      path,
      memberName: 'Lena Lead',
      passphrase: 'nope nope nope',
    });
    const unknown = await router.invoke('vault.unlock', {
      path,
      memberName: 'Nobody',
      passphrase: 'nope nope nope',
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    expect(unknown).toEqual(wrong);
  });

  it('a second window cannot open the vault another session holds', async () => {
    await as('Lena Lead', PASSPHRASES.lead);
    const other = new VaultRouter({ clipboard: new MemoryClipboard(), timers: new ManualTimers() });
    const result = await other.invoke('vault.unlock', {
      path,
      memberName: 'Dev Dmt',
      passphrase: PASSPHRASES.dmt,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'IN_USE' } });
    expect(JSON.stringify(result)).not.toMatch(/at .*\.ts:\d+/);
  });

  it("the auto-lock time is the lead's, kept in the vault, and used at the next unlock", async () => {
    await as('Dev Dmt', PASSPHRASES.dmt);
    expect(await router.invoke('settings.set', { autoLockMinutes: 2 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    router.lock('asked');
    await as('Lena Lead', PASSPHRASES.lead);
    expect(await router.invoke('settings.set', { autoLockMinutes: 0 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await router.invoke('settings.set', { autoLockMinutes: 2 })).toEqual({
      ok: true,
      value: {},
    });
    router.lock('asked');
    await as('Dev Dmt', PASSPHRASES.dmt);
    expect(await router.invoke('settings.get', {})).toMatchObject({
      ok: true,
      value: { autoLockMinutes: 2 },
    });
    expect(timers.pending.map((t) => t.ms)).toContain(2 * 60_000);
    timers.fire(2 * 60_000);
    expect(router.unlocked).toBe(false);
  });
});
