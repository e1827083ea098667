import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { listAccounts } from '../../electron/vault/domain/accounts.ts';
import { lockPathFor } from '../../electron/vault/store/writer-lock.ts';
import { entriesOfKind } from '../helpers/audit.ts';
import { crash, holdHere } from '../helpers/other-host.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';

/**
 * Issue 14: "one open console session locks out every other member, readers included". A member
 * who only reads (security: the registry, health and trail, never a credential) opens the vault
 * while another process holds the writer lock: WAL lets SQLite readers run beside a writer, and
 * the reader's own audit entries (unlock, verify, lock) are short transactions SQLite serialises
 * with the holder's. Another writer is still told the vault is in use.
 */
describe('a reader beside an open session', () => {
  let dir: ReturnType<typeof tempDir>;
  let vault: string;
  let holder: ChildProcess | undefined;
  beforeEach(async () => {
    dir = tempDir();
    vault = `${dir.dir}/team.vault`;
    await populatedVault(vault);
  });
  afterEach(async () => {
    if (holder) await crash(holder);
    dir.cleanup();
  });

  it('security reads and verifies while Dev Dmt has it open; a second writer is still refused', async () => {
    holder = await holdHere(vault, 'Dev Dmt', PASSPHRASES.dmt);
    const lock = readFileSync(lockPathFor(vault), 'utf8');

    const sam = await unlockAs(vault, 'Sam Security', PASSPHRASES.security);
    expect(listAccounts(sam).map((a) => a.handle)).toEqual([
      'NorfolkPolice',
      'SuffolkRoadsPolicing',
    ]);
    expect(await verifyVault(sam)).toMatchObject({ ok: true });
    sam.close();
    // The holder's lock is untouched: the reader neither took nor released it.
    expect(readFileSync(lockPathFor(vault), 'utf8')).toBe(lock);

    await expect(unlockAs(vault, 'Lena Lead', PASSPHRASES.lead)).rejects.toMatchObject({
      code: ErrorCode.IN_USE,
      message: expect.stringContaining('by Dev Dmt, process'),
    });

    await crash(holder);
    holder = undefined;
    const lena = await unlockAs(vault, 'Lena Lead', PASSPHRASES.lead);
    try {
      // The reader's session is in the signed trail, and the trail verifies.
      const sams = entriesOfKind(lena, 'session.unlocked').filter(
        (e) => e.details['role'] === 'security',
      );
      expect(sams).toHaveLength(1);
      expect(await verifyVault(lena)).toMatchObject({ ok: true });
    } finally {
      lena.close();
    }
  });
});
