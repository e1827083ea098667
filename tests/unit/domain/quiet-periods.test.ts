import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { typedPathChooser } from '../../../electron/vault/file-handles.ts';
import { unlockAt } from '../../helpers/router.ts';
import { VaultRouter } from '../../../electron/vault/router.ts';
import { MemoryClipboard } from '../../../scripts/preview/console-page.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../../helpers/vault.ts';

/** 6.6: a quiet period is ended as it was declared: on someone's authority, for a reason, audited. */
describe('ending a quiet period (6.6)', () => {
  let dir: { dir: string; cleanup: () => void };
  let router: VaultRouter;
  let x: string;
  beforeEach(async () => {
    dir = tempDir();
    const path = `${dir.dir}/quiet.vault`;
    [x] = (await populatedVault(path)).accounts as [string, string];
    router = new VaultRouter({ clipboard: new MemoryClipboard(), files: typedPathChooser });
    expect(await unlockAt(router, path, 'Dev Dmt', PASSPHRASES.dmt)).toMatchObject({ ok: true });
  });
  afterEach(() => {
    router.lock('quit');
    dir.cleanup();
  });

  const declare = async () => {
    const result = await router.invoke('quiet.declare', {
      accounts: [x],
      authority: 'SIO DCI Grey',
      reason: 'Live murder investigation',
    });
    if (!result.ok) throw new Error(result.error.message);
    return (result.value as { id: string }).id;
  };
  const inForce = async () => {
    const result = await router.invoke('dashboard.get', {});
    return result.ok ? (result.value as { quietPeriods: unknown[] }).quietPeriods.length : -1;
  };

  it('6.6: ending needs the authority and a reason; without either it is refused and stays in force', async () => {
    const id = await declare();
    for (const request of [
      { id },
      { id, authority: 'SIO DCI Grey', reason: '' },
      { id, authority: '  ', reason: 'Suspect charged' },
    ]) {
      const result = await router.invoke('quiet.end', request);
      expect(result, JSON.stringify(request)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(/6\.6|authority|reason/) },
      });
    }
    expect(await inForce()).toBe(1);
  });

  it('6.6: the end is audited with who authorised it and why', async () => {
    const id = await declare();
    const ended = await router.invoke('quiet.end', {
      id,
      authority: 'SIO DCI Grey',
      reason: 'Suspect charged; media strategy lifted',
    });
    expect(ended).toMatchObject({ ok: true });
    expect(await inForce()).toBe(0);
    const page = await router.invoke('audit.page', {
      offset: 0,
      limit: 50,
      filters: { kind: 'quiet-period.ended' },
    });
    if (!page.ok) throw new Error(page.error.message);
    const rows = (page.value as { rows: { details: string; reason: string }[] }).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toMatch(/SIO DCI Grey/);
    expect(rows[0]!.reason).toMatch(/Suspect charged/);
  });
});
