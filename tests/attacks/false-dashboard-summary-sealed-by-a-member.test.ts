import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unlockAt, consoleRouter } from '../helpers/router.ts';
import { PASSPHRASES, tempDir } from '../helpers/vault.ts';
import { sealSummaryHidingIncidentsAs, signingKeysOf } from './insider.ts';
import { populatedVaultWithALostPhone } from '../helpers/lost-phone.ts';

/**
 * Review of ADR 0027 (issue 17): any member can seal a row and sign the state around it. Sam, a
 * member, seals a dashboard summary that says no device is lost while a DMT phone's loss is open
 * (10.1), keeping the digests it names (`madeFrom`) as they are, and signs the state in a
 * transaction of their own. The state check and the summary's own digests are satisfied, so the
 * first screen shows the false row; the console's deferred check of the registry (after the first
 * paint) makes the summary again, as `audit verify` does, and refuses the vault naming the row, so
 * the person at the console is told the first screen was false and the console locks.
 */
describe('a false dashboard summary sealed by a member is refused after the first paint (issue 17)', () => {
  const dir = tempDir();
  const path = `${dir.dir}/false-summary.vault`;

  beforeAll(async () => {
    await populatedVaultWithALostPhone(path);
    const sam = await signingKeysOf(path, {
      name: 'Sam Security',
      passphrase: PASSPHRASES.security,
    });
    sealSummaryHidingIncidentsAs(path, sam);
  });
  afterAll(() => dir.cleanup());

  it('the next request after the first screen is INTEGRITY naming the summary, and the console locks', async () => {
    const locks: string[] = [];
    const router = consoleRouter({ onLocked: (why) => locks.push(why) });
    expect(await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead)).toMatchObject({ ok: true });
    // The first screen is the signed state's, and the signed state holds the false row.
    expect(await router.invoke('dashboard.get', {})).toMatchObject({
      ok: true,
      value: { openIncidents: [] },
    });
    const health = await router.invoke('dashboard.health', {});
    expect(health).toMatchObject({
      ok: false,
      error: {
        code: 'INTEGRITY',
        message: expect.stringContaining(
          'dashboard_summary row current disagrees with the registry it summarises',
        ),
      },
    });
    expect(health.ok ? '' : health.error.message).toContain('the first screen may have shown');
    expect(locks).toEqual(['asked']);
    expect(await router.invoke('incidents.list', {})).toMatchObject({
      ok: false,
      error: { code: 'AUTH_FAILED' },
    });
  });
});
