import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { lockPathFor, STALE_AFTER_MS } from '../../electron/vault/store/writer-lock.ts';
import { unlockVault } from '../../electron/vault/vault.ts';
import { ageHeartbeat, crash, holdOnHost, UNSHARE } from '../helpers/other-host.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';

/**
 * Attack (issue 14, ADR 0025): someone who can write the folder puts an old heartbeat into the
 * lock of a workstation that is alive, so that a lead, told it is silent, takes it over while its
 * session is still open.
 *
 * What the lock protects is availability and a clear message, not access or integrity: SQLite's
 * own lock still serialises every transaction, each write checks the version it read (a second
 * writer cannot lose anyone's update, ADR 0023), and the keys, not the lock, decide who reads what.
 * Whoever can write the lock file can always delete it; a forged heartbeat must not give more
 * than that. It does not: the taker watches the lock for two heartbeats before taking it, and a
 * live holder rewrites it within one, so the forgery is overwritten and the take-over refused.
 */
describe.skipIf(!UNSHARE)('a forged old heartbeat in a live lock', () => {
  let dir: ReturnType<typeof tempDir>;
  let vault: string;
  let wsA: ChildProcess | undefined;
  beforeEach(async () => {
    dir = tempDir();
    vault = `${dir.dir}/shared.vault`;
    await populatedVault(vault);
  });
  afterEach(async () => {
    if (wsA) await crash(wsA);
    dir.cleanup();
  });

  it("does not get a live workstation's lock taken over by a lead", async () => {
    wsA = await holdOnHost('ws-a', vault, 'Dev Dmt', PASSPHRASES.dmt);
    const held = JSON.parse(readFileSync(lockPathFor(vault), 'utf8')) as { token: string };
    ageHeartbeat(vault, STALE_AFTER_MS + 30 * 60_000);

    await expect(
      unlockVault(vault, {
        memberName: 'Lena Lead',
        passphrase: PASSPHRASES.lead,
        takeOverStaleLock: true,
      }),
    ).rejects.toMatchObject({ code: ErrorCode.IN_USE });
    // Still WS-A's lock, with a heartbeat of its own again.
    const now = JSON.parse(readFileSync(lockPathFor(vault), 'utf8')) as {
      token: string;
      host: string;
      heartbeat: string;
    };
    expect(now).toMatchObject({ token: held.token, host: 'ws-a' });
    expect(Date.now() - Date.parse(now.heartbeat)).toBeLessThan(STALE_AFTER_MS);
  });
});
