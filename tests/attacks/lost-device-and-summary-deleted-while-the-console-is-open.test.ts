import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unlockAt, consoleRouter } from '../helpers/router.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';
import { editVault } from './insider.ts';
import { populatedVaultWithALostPhone } from '../helpers/lost-phone.ts';

/**
 * Review of ADR 0027 (issue 17, S1): the dashboard makes its summary from the registry when the
 * summary row is missing. A console unlock has checked only the first screen's tables, so that
 * fallback read tables nobody had checked. Anyone who can write the file, while a console sits
 * open on its first screen, deletes the open lost-device incident (10.1) and the summary row: the
 * next dashboard showed no lost device. Now the fallback checks the registry first (refused,
 * naming `incidents`), and a summary row the signed state says exists is refused as deleted.
 */
describe('a lost device and the summary deleted while the console is open are refused (issue 17)', () => {
  const dir = tempDir();
  const path = `${dir.dir}/deleted-incident.vault`;

  beforeAll(async () => {
    await populatedVaultWithALostPhone(path);
  });
  afterAll(() => dir.cleanup());

  const console = () => {
    const locks: string[] = [];
    const router = consoleRouter({ onLocked: (why) => locks.push(why) });
    return { router, locks };
  };

  it('the dashboard is refused naming incidents, not shown without the lost device', async () => {
    const { router, locks } = console();
    expect(await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead)).toMatchObject({ ok: true });
    expect(await router.invoke('dashboard.get', {})).toMatchObject({
      ok: true,
      value: { openIncidents: [{ device: 'DMT phone 3' }] },
    });
    editVault(path, 'DELETE FROM incidents');
    editVault(path, 'DELETE FROM dashboard_summary');
    expect(await router.invoke('dashboard.get', {})).toMatchObject({
      ok: false,
      error: { code: 'INTEGRITY', message: expect.stringContaining('incidents') },
    });
    expect(locks).toEqual(['asked']);
  });

  it('the summary row alone deleted is refused as missing, once the registry checks', async () => {
    const only = `${dir.dir}/summary-only.vault`;
    await populatedVault(only);
    const { router } = console();
    expect(await unlockAt(router, only, 'Lena Lead', PASSPHRASES.lead)).toMatchObject({ ok: true });
    editVault(only, 'DELETE FROM dashboard_summary');
    expect(await router.invoke('dashboard.get', {})).toMatchObject({
      ok: false,
      error: {
        code: 'INTEGRITY',
        message: expect.stringContaining('dashboard_summary row current is missing'),
      },
    });
  });
});
