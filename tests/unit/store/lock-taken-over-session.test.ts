import { writeFileSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { recordActivity } from '../../../electron/vault/domain/account-registry.ts';
import { auditStore } from '../../../electron/vault/store/audit-store.ts';
import { openVaultFile } from '../../../electron/vault/store/connection.ts';
import { lockPathFor } from '../../../electron/vault/store/writer-lock.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

/**
 * Issue 14 (ADR 0025): once a lead has taken a session's lock over, that session writes nothing
 * more — its change is refused as "in use" and nothing is saved — and it locks without writing,
 * leaving the new holder's lock in place.
 */
describe('a session whose lock was taken over', () => {
  let dir: ReturnType<typeof tempDir>;
  let vault: string;
  let accounts: string[];
  beforeEach(async () => {
    dir = tempDir();
    vault = `${dir.dir}/v.vault`;
    ({ accounts } = await populatedVault(vault));
  });
  afterEach(() => dir.cleanup());

  it('refuses its next change, writes no entry, and leaves the new lock at lock', async () => {
    const displaced = await unlockAs(vault, 'Dev Dmt', PASSPHRASES.dmt);
    // What a lead's take-over leaves: another holder's whole lock in its place.
    const theirs = JSON.stringify({
      pid: 4242,
      host: 'ws-b',
      since: new Date().toISOString(),
      heartbeat: new Date().toISOString(),
      token: 'the-lead',
      member: 'lead',
    });
    writeFileSync(lockPathFor(vault), theirs);
    const db = openVaultFile(vault, { create: false });
    const entries = auditStore.countEntries(db);

    expect(() => recordActivity(displaced, accounts[0]!, '2026-01-02')).toThrow(
      expect.objectContaining({
        code: ErrorCode.IN_USE,
        message: expect.stringMatching(/took over the lock/),
      }),
    );
    displaced.close();
    expect(auditStore.countEntries(db)).toBe(entries);
    expect(readFileSync(lockPathFor(vault), 'utf8')).toBe(theirs);
    db.close();
  });
});
