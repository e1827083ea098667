import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { createAccount } from '../../electron/vault/domain/account-creation.ts';
import { listAccounts } from '../../electron/vault/domain/accounts.ts';
import { benchCsv } from '../bench/support.ts';
import { newVault, PASSPHRASES, tempDir, unlockAs } from '../helpers/vault.ts';
import { bundleChild } from '../helpers/bundle.ts';

/**
 * Issue 7, disk full: a large import (one transaction) runs out of room part-way. It must fail
 * with an error that says the disk is full, and leave the vault as it was before the import:
 * opening, verifying, with no account and no audit entry from the failed write.
 */
interface ChildReport {
  readonly before?: { accounts: number; entries: number };
  readonly outcome: 'written' | 'failed' | 'unlock failed';
  readonly error?: { code: string; message: string };
}

describe('a full disk fails the write clearly and loses nothing (issue 7)', () => {
  let dir: string;
  let cleanup: () => void;
  let pristine: string;
  let csv: string;
  let child: string;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    pristine = join(dir, 'pristine.vault');
    const lead = await newVault(pristine);
    createAccount(lead, {
      platform: 'x',
      handle: 'DiskFull',
      force: 'suffolk',
      unitType: 'team',
      unitName: 'Fault Suite',
      username: 'full',
      password: 'disk-full-initial',
    });
    lead.close();
    csv = join(dir, 'import.csv');
    writeFileSync(csv, benchCsv(150));
    child = await bundleChild('tests/faults/disk-full-child.ts', 'faults', 'disk-full-child');
  });
  afterAll(() => cleanup());

  function runChild(shell: string, vault: string): ChildReport {
    const result = spawnSync('sh', ['-c', shell, 'sh', process.execPath, child, vault, csv], {
      env: {
        PATH: process.env['PATH'] ?? '',
        FULL_MEMBER: 'Lena Lead',
        FULL_PASSPHRASE: PASSPHRASES.lead,
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout.trim()) as ChildReport;
  }

  async function expectUnchanged(vault: string, report: ChildReport): Promise<void> {
    expect(report.outcome).toBe('failed');
    expect(report.error?.code).toBe('STORAGE');
    expect(report.error?.message).toMatch(/disk is full.*nothing was saved/i);
    const session = await unlockAs(vault, 'Lena Lead', PASSPHRASES.lead);
    try {
      expect(await verifyVault(session)).toMatchObject({ ok: true });
      expect(listAccounts(session)).toHaveLength(report.before!.accounts);
      // Since the child counted, only session entries: its lock (if there was room) and this unlock.
      const added = session.db
        .prepare('SELECT kind FROM audit_entries WHERE seq > ? ORDER BY seq')
        .pluck()
        .all(report.before!.entries);
      expect(added.filter((kind) => kind !== 'session.locked')).toEqual(['session.unlocked']);
    } finally {
      session.close();
    }
  }

  it('under a file-size limit (ulimit -f)', async () => {
    const vault = join(dir, 'limited.vault');
    copyFileSync(pristine, vault);
    // Room for the unlock's own audit entry, not for 150 accounts. SIGXFSZ is ignored so the
    // write returns an error (EFBIG) instead of killing the process.
    const limitKiB = Math.ceil(statSync(vault).size / 1024) + 64;
    const report = runChild(`trap '' XFSZ; ulimit -f ${limitKiB}; exec "$@"`, vault);
    await expectUnchanged(vault, report);
  });

  const mountPoint = join(process.env['TMPDIR'] ?? '/tmp', `custodian-tinyfs-${process.pid}`);
  const canMount = (() => {
    mkdirSync(mountPoint, { recursive: true });
    const probe = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]);
    if (probe.status !== 0) return false;
    spawnSync('umount', [mountPoint]);
    return true;
  })();

  it.skipIf(!canMount)(
    'on a filesystem that fills up (a small tmpfs; needs mount rights)',
    async () => {
      const size = Math.ceil(statSync(pristine).size / 4096) * 4 + 96;
      expect(
        spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}k`, 'tmpfs', mountPoint]).status,
      ).toBe(0);
      try {
        const vault = join(mountPoint, 'tiny.vault');
        copyFileSync(pristine, vault);
        const report = runChild('exec "$@"', vault);
        await expectUnchanged(vault, report);
      } finally {
        spawnSync('umount', [mountPoint]);
      }
    },
  );
});
