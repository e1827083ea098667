import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { createAccount } from '../../electron/vault/domain/account-creation.ts';
import { revealPassword } from '../../electron/vault/domain/reveal.ts';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import type { VaultSession } from '../../electron/vault/session.ts';
import { custodian, custodianProcess } from '../helpers/cli.ts';
import { newVault, PASSPHRASES, tempDir, unlockAs } from '../helpers/vault.ts';

/**
 * Issue 7, backup and restore: `custodian backup VAULT FILE` while another process has the vault
 * unlocked and is writing. The copy holds every committed change (including those still in the
 * write-ahead log), nothing after, opens on its own and verifies.
 */
describe('custodian backup: a consistent copy of an open vault (issue 7)', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  let session: VaultSession;
  let account: string;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = join(dir, 'live.vault');
    session = await newVault(vault);
    account = createAccount(session, {
      platform: 'threads',
      handle: 'BackupTest',
      force: 'norfolk',
      unitType: 'district',
      unitName: 'Broadland',
      username: 'backup',
      password: 'backup-password-0',
    }).id;
  });
  afterAll(() => {
    session.close();
    cleanup();
  });

  it('copies the committed state while the vault is open, and the copy restores and verifies', async () => {
    rotatePassword(session, account, { reason: 'scheduled', password: 'backup-password-1' });
    // The rotation is committed to the write-ahead log and not yet in the main file.
    expect(statSync(`${vault}-wal`).size).toBeGreaterThan(0);
    const copy = join(dir, 'copy.vault');
    // A real process: the backup reads a vault another process holds open, its changes still in
    // that process's write-ahead log. The refusals below need no process of their own.
    const result = await custodianProcess(['backup', vault, copy]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Backed up .* integrity checked/);
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    expect(existsSync(`${copy}-wal`)).toBe(false);
    // The live vault moves on; the copy must not.
    rotatePassword(session, account, { reason: 'scheduled', password: 'backup-password-2' });

    const restored = await unlockAs(copy, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(await verifyVault(restored)).toMatchObject({ ok: true });
      expect(revealPassword(restored, account, 'restore check').expose()).toBe('backup-password-1');
    } finally {
      restored.close();
    }
  });

  it('never overwrites a file, and says so', async () => {
    const existing = join(dir, 'existing.vault');
    writeFileSync(existing, 'keep me');
    const result = await custodian(['backup', vault, existing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/already exists; nothing was written/);
    expect(statSync(existing).size).toBe('keep me'.length);
  });

  it('a name the file system refuses is a clear error, not a crash (found by the CLI fuzz)', async () => {
    const result = await custodian(['backup', vault, join(dir, 'x'.repeat(5000))]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The file system refused .*xxx… \(ENAMETOOLONG\)/);
  });

  it('refuses a damaged vault instead of copying it', async () => {
    const damaged = join(dir, 'damaged.vault');
    // A database's header followed by garbage: damaged, not some other kind of file (a file with
    // no database header at all is "not a Custodian vault", exit 1: tests/integration/not-a-vault).
    const bytes = Buffer.alloc(8192, 0x41);
    bytes.write('SQLite format 3\0', 0, 'latin1');
    writeFileSync(damaged, bytes);
    const result = await custodian(['backup', damaged, join(dir, 'from-damaged.vault')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/corrupt or is not a Custodian vault/);
    expect(existsSync(join(dir, 'from-damaged.vault'))).toBe(false);
  });
});
