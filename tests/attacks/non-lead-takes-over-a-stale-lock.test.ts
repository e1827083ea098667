import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { auditStore } from '../../electron/vault/store/audit-store.ts';
import { lockPathFor, STALE_AFTER_MS } from '../../electron/vault/store/writer-lock.ts';
import { unlockVault } from '../../electron/vault/vault.ts';
import { ageHeartbeat, crash, holdOnHost, UNSHARE } from '../helpers/other-host.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';
import { openVaultFile } from '../../electron/vault/store/connection.ts';

/**
 * Attack (issue 14, ADR 0025): a member who is not a lead takes over the lock a silent
 * workstation left, to shut its holder out or to slip in while a colleague's session is open.
 * Taking over can interrupt a colleague, so it is a lead's decision alone (the role from the
 * signed chain, not from anything in the lock file); anyone else is refused and the lock, the
 * vault and the trail stay exactly as they were.
 */
describe.skipIf(!UNSHARE)('a non-lead taking over a stale lock from another host', () => {
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

  it.each([
    ['Dev Dmt', PASSPHRASES.dmt],
    ['Ada Admin', PASSPHRASES.admin],
    ['Sam Security', PASSPHRASES.security],
  ])('%s is refused, and nothing changes', async (name, passphrase) => {
    wsA = await holdOnHost('ws-a', vault, 'Lena Lead', PASSPHRASES.lead);
    await crash(wsA);
    ageHeartbeat(vault, STALE_AFTER_MS + 60_000);
    const lockBefore = readFileSync(lockPathFor(vault));
    const db = openVaultFile(vault, { create: false });
    const entriesBefore = auditStore.countEntries(db);

    await expect(
      unlockVault(vault, { memberName: name, passphrase, takeOverStaleLock: true }),
    ).rejects.toMatchObject({
      code: ErrorCode.FORBIDDEN,
      message: expect.stringContaining('for a lead only'),
    });
    expect(readFileSync(lockPathFor(vault))).toEqual(lockBefore);
    expect(auditStore.countEntries(db)).toBe(entriesBefore);
    db.close();
  });
});
