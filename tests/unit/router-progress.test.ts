import { existsSync, readdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TaskProgress } from '../../shared/ipc/channels.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { ManualTimers } from '../helpers/timers.ts';
import { fileHandle, unlockAt } from '../helpers/router.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';

/** Enough entries for several pages of 1,000: progress has steps to show. */
const EXTRA_ENTRIES = 3_500;

describe('progress of long tasks, and a lock that lands in the middle of one (issue 6)', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;

  beforeAll(async () => {
    dir = tempDir();
    path = `${dir.dir}/team.vault`;
    await populatedVault(path);
    const session = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    session.write(({ audit }) => {
      for (let i = 0; i < EXTRA_ENTRIES; i++) {
        audit({ kind: 'health.summarised', details: { reason: `filler ${i}` } });
      }
    });
    session.close();
  });
  afterAll(() => dir.cleanup());
  const routers: VaultRouter[] = [];
  afterEach(() => {
    for (const router of routers.splice(0)) router.lock('quit');
  });

  function routerWith(onProgress: (router: VaultRouter, progress: TaskProgress) => void) {
    const seen: TaskProgress[] = [];
    const router: VaultRouter = new VaultRouter({
      clipboard: new MemoryClipboard(),
      timers: new ManualTimers(),
      files: typedPathChooser,
      onProgress: (progress) => {
        seen.push(progress);
        onProgress(router, progress);
      },
    });
    routers.push(router);
    return { router, seen };
  }

  async function unlock(
    router: VaultRouter,
    name = 'Sam Security',
    passphrase: string = PASSPHRASES.security,
  ) {
    const result = await unlockAt(router, path, name, passphrase);
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
  }

  function expectSteadyClimb(seen: TaskProgress[], task: TaskProgress['task']) {
    const ours = seen.filter((p) => p.task === task);
    expect(ours.length).toBeGreaterThanOrEqual(4);
    const total = ours[0]!.total;
    expect(total).toBeGreaterThan(EXTRA_ENTRIES);
    for (let i = 1; i < ours.length; i++) {
      expect(ours[i]!.done).toBeGreaterThan(ours[i - 1]!.done);
      expect(ours[i]!.total).toBe(total);
    }
    expect(ours.at(-1)!.done).toBe(total);
  }

  it('an export reports its entries a page at a time, up to the whole trail', async () => {
    const { router, seen } = routerWith(() => undefined);
    await unlock(router);
    const out = `${dir.dir}/trail.jsonl`;
    const file = await fileHandle(router, out, 'export');
    const result = await router.invoke('audit.export', { format: 'jsonl', file });
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
    expectSteadyClimb(seen, 'export');
  });

  it('a verify reports its progress the same way and still gives its verdict', async () => {
    const { router, seen } = routerWith(() => undefined);
    await unlock(router);
    const result = await router.invoke('audit.verify', {});
    expect(result).toMatchObject({ ok: true, value: { ok: true } });
    expectSteadyClimb(seen, 'verify');
  });

  it('a lock during an export stops it at once: the keys go, no file is left, and it says so', async () => {
    const { router, seen } = routerWith((r, progress) => {
      // The system suspends after the first page: main locks straight away, not at the end.
      if (progress.task === 'export' && progress.done > 0) r.lock('suspend');
    });
    await unlock(router);
    const out = `${dir.dir}/interrupted.csv`;
    const file = await fileHandle(router, out, 'export');
    const result = await router.invoke('audit.export', { format: 'csv', file });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'AUTH_FAILED', message: expect.stringMatching(/locked during the export/) },
    });
    expect(seen.filter((p) => p.task === 'export')).toHaveLength(1);
    expect(router.unlocked).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir.dir).filter((name) => name.includes('interrupted'))).toEqual([]);
    // The vault is whole afterwards: the next session verifies it.
    const { router: again } = routerWith(() => undefined);
    await unlock(again, 'Lena Lead', PASSPHRASES.lead);
    expect(await again.invoke('audit.verify', {})).toMatchObject({ ok: true, value: { ok: true } });
  });

  it('a lock during a verify stops it with a message to verify again, not a verdict', async () => {
    const { router } = routerWith((r, progress) => {
      if (progress.task === 'verify' && progress.done >= 2000) r.lock('screen-locked');
    });
    await unlock(router);
    const result = await router.invoke('audit.verify', {});
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'AUTH_FAILED', message: expect.stringMatching(/Unlock and verify again/) },
    });
    expect(router.unlocked).toBe(false);
  });
});
