import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { within } from '../helpers/live-workstations.ts';
import { fileHandle, unlockAt } from '../helpers/router.ts';
import { ManualTimers } from '../helpers/timers.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';

// ADR 0033 on the file and through the contract: the refresh channel and the Team server fields
// refuse malformed requests, a refresh is not activity, and a file vault is polled.
describe('live refresh through the router', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  let accounts: string[];
  let timers: ManualTimers;
  let events: number;
  let router: VaultRouter;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/team.vault`;
    ({ accounts } = await populatedVault(path));
    timers = new ManualTimers();
    events = 0;
    router = new VaultRouter({
      clipboard: new MemoryClipboard(),
      files: typedPathChooser,
      timers,
      onVaultChanged: () => {
        events += 1;
      },
      liveRefresh: { pollMs: 50 },
    });
  });
  afterEach(() => {
    router.lock('quit');
    dir.cleanup();
  });

  it('vault.refresh refuses a malformed payload, and a locked vault', async () => {
    expect(await router.invoke('vault.refresh', {})).toMatchObject({
      ok: false,
      error: { code: ErrorCode.AUTH_FAILED },
    });
    await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead);
    for (const bad of [{ since: 3 }, [], 'refresh', 7]) {
      expect(await router.invoke('vault.refresh', bad)).toMatchObject({
        ok: false,
        error: { code: ErrorCode.INVALID_INPUT },
      });
    }
    expect(await router.invoke('vault.refresh', {})).toEqual({
      ok: true,
      value: { changed: false },
    });
  });

  it('unlock and create take a file or a server, exactly one, and never a URL with a password', async () => {
    const file = await fileHandle(router, path);
    const who = { memberName: 'Lena Lead', passphrase: PASSPHRASES.lead };
    const refusals = [
      { ...who },
      { ...who, file, server: 'postgresql:///team?host=/run/postgresql' },
      { ...who, server: 'mysql://team' },
      { ...who, server: 'postgresql://dmt:Hunter2-Secret@db.force.local/team' },
      { ...who, server: 'postgresql:///team?host=/tmp&password=Hunter2-Secret' },
    ];
    for (const request of refusals) {
      const answer = await router.invoke('vault.unlock', request);
      expect(answer).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_INPUT } });
      expect(JSON.stringify(answer)).not.toContain('Hunter2');
    }
    const withPassword = await router.invoke('vault.create', {
      server: 'postgresql://dmt:Hunter2-Secret@db.force.local/team',
      founderName: 'Lena Lead',
      passphrase: PASSPHRASES.lead,
    });
    expect(withPassword).toMatchObject({
      ok: false,
      error: { code: ErrorCode.INVALID_INPUT, message: expect.stringMatching(/~\/\.pgpass/) },
    });
    expect(router.unlocked).toBe(false);
  });

  it('a refresh does not postpone the idle lock; a request made by the person does', async () => {
    await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead);
    const idle = () => timers.pending.filter((t) => t.ms === 5 * 60_000);
    const atUnlock = idle()[0];
    expect(atUnlock).toBeDefined();
    await router.invoke('vault.refresh', {});
    expect(idle()).toEqual([atUnlock]);
    await router.invoke('accounts.list', {});
    expect(idle()).toHaveLength(1);
    expect(idle()[0]).not.toBe(atUnlock);
  });

  it('a file vault is polled: a write by another process reaches a reading console, and its refresh checks it', async () => {
    // Security staff read beside another member's writes (ADR 0025).
    await unlockAt(router, path, 'Sam Security', PASSPHRASES.security);
    expect(await within(300, () => events > 0)).toBe(false);
    const dev = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      rotatePassword(dev, accounts[0]!, { password: 'Polled-Rotation-12', reason: 'scheduled' });
    } finally {
      dev.close();
    }
    expect(await within(3_000, () => events > 0)).toBe(true);
    expect(await router.invoke('vault.refresh', {})).toEqual({
      ok: true,
      value: { changed: true },
    });
    const told = events;
    expect(await within(300, () => events > told)).toBe(false);
  });
});
