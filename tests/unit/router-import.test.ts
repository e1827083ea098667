import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TaskProgress } from '../../shared/ipc/channels.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import { unlockAt } from '../helpers/router.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';
import { ManualTimers } from '../helpers/timers.ts';

const HEADER = 'platform,handle,force,unit_type,unit,username,password';
const rows = (prefix: string, count: number) =>
  Array.from(
    { length: count },
    (_, i) => `x,${prefix}${i},norfolk,team,Console Team,${prefix}${i},Console-Pass-${i}-q`,
  );

/** The console's import through the router (issue 11): asked-for generation, batches, a lock. */
describe("the console's CSV import", () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  beforeAll(async () => {
    dir = tempDir();
    path = `${dir.dir}/team.vault`;
    await populatedVault(path);
  });
  afterAll(() => dir.cleanup());
  const routers: VaultRouter[] = [];
  afterEach(() => {
    for (const router of routers.splice(0)) router.lock('quit');
  });

  async function unlocked(onProgress: (router: VaultRouter, p: TaskProgress) => void = () => {}) {
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
    const result = await unlockAt(router, path, 'Dev Dmt', PASSPHRASES.dmt);
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
    return { router, seen };
  }

  it('a blank password is refused until generation is ticked, and then the row says to set it (9.8)', async () => {
    const { router } = await unlocked();
    const csv = [HEADER, 'tiktok,ConsoleBlank,norfolk,team,Console Team,blank,'].join('\n');
    const refused = await router.invoke('accounts.import', { csv, mode: 'all' });
    expect(refused).toMatchObject({
      ok: true,
      value: { written: 0, invalid: 1, rows: [{ status: 'invalid', passwordGenerated: false }] },
    });
    const written = await router.invoke('accounts.import', {
      csv,
      mode: 'all',
      generateMissing: true,
    });
    expect(written).toMatchObject({
      ok: true,
      value: {
        written: 1,
        rows: [
          {
            status: 'imported',
            passwordGenerated: true,
            message: expect.stringMatching(/change the password on the platform to it/),
          },
        ],
      },
    });
  });

  it('writes a batch at a time, reporting its rows as progress of the import task', async () => {
    const { router, seen } = await unlocked();
    const csv = [HEADER, ...rows('Batched', 250)].join('\n');
    const result = await router.invoke('accounts.import', { csv, mode: 'all' });
    expect(result).toMatchObject({ ok: true, value: { written: 250 } });
    expect(seen.filter((p) => p.task === 'import').map((p) => [p.done, p.total])).toEqual([
      [200, 250],
      [250, 250],
    ]);
  });

  // Two imports through the router: on the server (the postgres project) each row's statements are
  // round trips, and on a loaded 2-core machine the pair can take longer than the suite's 60 s.
  it('a lock between batches stops the import, says which lines were registered, and a re-run finishes', async () => {
    const { router } = await unlocked((r, progress) => {
      if (progress.task === 'import' && progress.done === 200) r.lock('suspend');
    });
    const csv = [HEADER, ...rows('Locked', 250)].join('\n');
    const result = await router.invoke('accounts.import', { csv, mode: 'all' });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'AUTH_FAILED',
        message: expect.stringMatching(
          /^The vault locked during the import\. Before that, 200 accounts on lines 2 to 201 were registered; nothing from line 202 on was\./,
        ),
      },
    });
    expect(router.unlocked).toBe(false);
    const { router: again } = await unlocked();
    const finished = await again.invoke('accounts.import', { csv, mode: 'all' });
    expect(finished).toMatchObject({ ok: true, value: { written: 50, skipped: 200, invalid: 0 } });
  }, 180_000);
});
