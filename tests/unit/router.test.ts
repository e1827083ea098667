import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS, MAX_PAYLOAD_CHARS, type ResponseOf } from '../../shared/ipc/contract.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';
import { ManualTimers } from '../helpers/timers.ts';
import { fileHandle, unlockAt } from '../helpers/router.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';

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
    router = new VaultRouter({
      clipboard,
      timers,
      files: typedPathChooser,
      onLocked: (why) => locks.push(why),
    });
  });
  afterEach(() => {
    router.lock('quit');
    dir.cleanup();
  });

  const as = async (name: string, passphrase: string) => {
    const result = await unlockAt(router, path, name, passphrase);
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
      ['files.choose', { purpose: 'export', typedPath: 'trail\u0000.csv' }],
      ['audit.export', { format: 'csv', file: '/tmp/trail.csv' }],
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

  it('files.choose asks the host for a file, even while locked, and gives back a handle and a name, never the path', async () => {
    expect(await router.invoke('files.choose', { purpose: 'open-vault' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/type the path/) },
    });
    expect(await router.invoke('vault.status', {})).toMatchObject({
      value: { canChooseFiles: false },
    });
    const asked: string[] = [];
    const withDialog = new VaultRouter({
      clipboard,
      timers,
      files: {
        kind: 'dialog',
        choose: (purpose, extension) => {
          asked.push(`${purpose}:${extension ?? ''}`);
          return Promise.resolve('/picked/case.pdf');
        },
      },
    });
    expect(await withDialog.invoke('vault.status', {})).toMatchObject({
      value: { canChooseFiles: true },
    });
    const chosen = await withDialog.invoke('files.choose', { purpose: 'export', extension: 'pdf' });
    expect(chosen).toEqual({
      ok: true,
      value: { file: { handle: expect.stringMatching(/^fh-[0-9a-f]{32}$/), name: 'case.pdf' } },
    });
    expect(JSON.stringify(chosen)).not.toContain('/picked');
    expect(asked).toEqual(['export:pdf']);
  });

  it("Electron's window cannot name a path: a typed path, a raw path or a made-up handle is refused", async () => {
    const dialog = new VaultRouter({
      clipboard,
      timers,
      files: { kind: 'dialog', choose: () => Promise.resolve(path) },
    });
    expect(
      await dialog.invoke('files.choose', { purpose: 'open-vault', typedPath: path }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: /Choose…/ } });
    const request = { memberName: 'Lena Lead', passphrase: PASSPHRASES.lead };
    for (const file of [path, `fh-${'0'.repeat(32)}`]) {
      expect(await dialog.invoke('vault.unlock', { ...request, file }), file).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    }
    expect(await dialog.invoke('vault.unlock', { ...request, path })).toMatchObject({ ok: false });
    // A handle another router (another main) issued means nothing here.
    const elsewhere = await fileHandle(router, path);
    expect(await dialog.invoke('vault.unlock', { ...request, file: elsewhere })).toMatchObject({
      ok: false,
      error: { message: /choose the file again/ },
    });
    // A handle is for the purpose it was chosen for: a vault to open is no export destination.
    const chosen = await dialog.invoke('files.choose', { purpose: 'open-vault' });
    const handle = (chosen as { value: { file: { handle: string } } }).value.file.handle;
    expect(await dialog.invoke('vault.unlock', { ...request, file: handle })).toMatchObject({
      ok: true,
    });
    expect(await dialog.invoke('audit.export', { format: 'jsonl', file: handle })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /choose the file again/ },
    });
    expect(existsSync(path)).toBe(true);
    dialog.lock('quit');
  });

  it('an export to an existing file is refused as EXISTS and replaced only when asked; never over the vault', async () => {
    await as('Lena Lead', PASSPHRASES.lead);
    const out = `${dir.dir}/case.jsonl`;
    writeFileSync(out, 'kept\n');
    const file = await fileHandle(router, out, 'export');
    expect(await router.invoke('audit.export', { format: 'jsonl', file })).toMatchObject({
      ok: false,
      error: { code: 'EXISTS', message: expect.stringMatching(/already exists/) },
    });
    expect(readFileSync(out, 'utf8')).toBe('kept\n');
    expect(
      await router.invoke('audit.export', { format: 'jsonl', file, replace: true }),
    ).toMatchObject({ ok: true });
    expect(readFileSync(out, 'utf8')).toMatch(/^\{"type":"header"/);
    const vaultBytes = readFileSync(path).length;
    for (const target of [path, `${path}-wal`]) {
      const over = await fileHandle(router, target, 'export');
      expect(
        await router.invoke('audit.export', { format: 'csv', file: over, replace: true }),
      ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: /the vault itself/ } });
    }
    expect(readFileSync(path).length).toBeGreaterThanOrEqual(vaultBytes);
    expect(await router.invoke('audit.verify', {})).toMatchObject({
      ok: true,
      value: { ok: true },
    });
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
    const health = await router.invoke('dashboard.health', {});
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
    const wrong = await unlockAt(router, path, 'Lena Lead', 'nope nope nope');
    const unknown = await unlockAt(router, path, 'Nobody', 'nope nope nope');
    expect(wrong).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    expect(unknown).toEqual(wrong);
  });

  it('a second window cannot open the vault another session holds', async () => {
    await as('Lena Lead', PASSPHRASES.lead);
    const other = new VaultRouter({
      clipboard: new MemoryClipboard(),
      timers: new ManualTimers(),
      files: typedPathChooser,
    });
    const result = await unlockAt(other, path, 'Dev Dmt', PASSPHRASES.dmt);
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
  it("the default key derivation for new slots is the lead's to sign (ADR 0030): settings.set, within the floor", async () => {
    await as('Dev Dmt', PASSPHRASES.dmt);
    expect(
      await router.invoke('settings.set', { keyDerivation: { memoryMib: 32, passes: 3 } }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    router.lock('asked');
    await as('Lena Lead', PASSPHRASES.lead);
    expect(await router.invoke('settings.get', {})).toMatchObject({
      ok: true,
      value: { keyDerivation: { memoryMib: 19, passes: 2, signed: true } },
    });
    const below = await router.invoke('settings.set', {
      keyDerivation: { memoryMib: 8, passes: 1 },
    });
    expect(below).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(JSON.stringify(below)).toContain('Nothing was changed');
    expect(
      await router.invoke('settings.set', { keyDerivation: { memoryMib: 32, passes: 3 } }),
    ).toEqual({ ok: true, value: {} });
    expect(await router.invoke('settings.get', {})).toMatchObject({
      ok: true,
      value: { keyDerivation: { memoryMib: 32, passes: 3, signed: true } },
    });
  });
  it('10.1, 12.1: devices.add, devices.edit and devices.retire for the DMT; security is refused; the list says lost and retired', async () => {
    await as('Sam Security', PASSPHRASES.security);
    expect(
      await router.invoke('devices.add', {
        owner: 'Nobody',
        kind: 'force',
        label: 'Phone',
        accounts: [],
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    router.lock('asked');
    await as('Dev Dmt', PASSPHRASES.dmt);
    expect(await router.invoke('people.add', { name: 'Kay Patel' })).toMatchObject({ ok: true });
    const add = (label: string) =>
      router.invoke('devices.add', {
        owner: 'Kay Patel',
        kind: 'personal',
        label,
        accounts: [accounts[0]!],
      });
    const idOf = async (label: string) => {
      const added = await add(label);
      expect(added).toMatchObject({ ok: true });
      return (added as { value: ResponseOf<'devices.add'> }).value.id;
    };
    const phone = await idOf('Kay phone');
    const tablet = await idOf('Kay tablet');
    expect(
      await router.invoke('devices.edit', {
        device: 'Kay phone',
        lineManagerRecordOn: '2026-02-03',
      }),
    ).toEqual({ ok: true, value: { label: 'Kay phone' } });
    expect(
      await router.invoke('devices.retire', { device: 'Kay tablet', reason: ' ' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(
      await router.invoke('devices.retire', { device: 'Kay tablet', reason: 'wiped' }),
    ).toMatchObject({ ok: true, value: { label: 'Kay tablet', retiredOn: expect.any(String) } });
    expect(
      await router.invoke('devices.report-lost', { device: 'Kay phone', lostOn: '2026-11-20' }),
    ).toMatchObject({ ok: true });
    const list = (await router.invoke('devices.list', {})) as {
      value: ResponseOf<'devices.list'>;
    };
    expect(list.value.devices).toEqual([
      expect.objectContaining({
        id: phone,
        lineManagerRecordOn: '2026-02-03',
        lostOn: '2026-11-20',
        retiredOn: null,
        canEdit: true,
      }),
      expect.objectContaining({
        id: tablet,
        retireReason: 'wiped',
        lostOn: null,
      }),
    ]);
  });
});
