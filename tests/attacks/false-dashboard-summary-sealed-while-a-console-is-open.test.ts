import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRouter, unlockAt } from '../helpers/router.ts';
import { PASSPHRASES, tempDir } from '../helpers/vault.ts';
import { sealSummaryHidingIncidentsAs, signingKeysOf } from './insider.ts';
import { populatedVaultWithALostPhone } from '../helpers/lost-phone.ts';

/**
 * Review of ADR 0033: the unlock's deferred check makes the dashboard summary again (ADR 0027),
 * but a console already open when a member seals a false one (hiding a lost DMT phone, 10.1) and
 * signs the state around it only ran the state check on its live refresh, which the false row
 * satisfies: the dashboard then showed the lie until the next unlock. The refresh now makes the
 * summary again too, refuses naming the row, and the console locks.
 */
describe('a false dashboard summary sealed while a console is open is refused at its refresh', () => {
  const dir = tempDir();
  const path = `${dir.dir}/false-summary-live.vault`;

  beforeAll(async () => {
    await populatedVaultWithALostPhone(path);
  });
  afterAll(() => dir.cleanup());

  it('vault.refresh is INTEGRITY naming the summary, and the console locks', async () => {
    const locks: string[] = [];
    // A console with a watcher (the window is told; here the test asks at once).
    const router = consoleRouter({ onLocked: (why) => locks.push(why), live: true });
    expect(await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead)).toMatchObject({ ok: true });
    // The first screen, and the deferred check after it, are of the honest vault.
    expect(await router.invoke('dashboard.get', {})).toMatchObject({ ok: true });
    expect(await router.invoke('dashboard.health', {})).toMatchObject({ ok: true });

    const sam = await signingKeysOf(path, {
      name: 'Sam Security',
      passphrase: PASSPHRASES.security,
    });
    sealSummaryHidingIncidentsAs(path, sam);

    const refreshed = await router.invoke('vault.refresh', {});
    expect(refreshed).toMatchObject({
      ok: false,
      error: {
        code: 'INTEGRITY',
        message: expect.stringContaining(
          'dashboard_summary row current disagrees with the registry it summarises',
        ),
      },
    });
    expect(locks).toContain('asked');
    expect(await router.invoke('dashboard.get', {})).toMatchObject({
      ok: false,
      error: { code: 'AUTH_FAILED' },
    });
  });
});
