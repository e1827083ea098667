import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupVault } from '../../electron/vault/backup.ts';
import { custodian } from '../helpers/cli.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';

/**
 * A backup restored on purpose is told apart from a rollback (issue 14, ADR 0024): a lead says
 * so, with a reason; the trail records it with both checkpoints; only then does the workstation
 * keep the restored history. Never silently, and never by anyone but a lead.
 */
describe('a backup restored on purpose (issue 14)', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  let older: string;
  const at = (name: string, passphrase: string) => ({
    CUSTODIAN_USER: name,
    CUSTODIAN_PASSPHRASE: passphrase,
    CUSTODIAN_CHECKPOINT_DIR: `${dir}/workstation-a`,
  });
  const lead = () => at('Lena Lead', PASSPHRASES.lead);
  const dmt = () => at('Dev Dmt', PASSPHRASES.dmt);
  const restoreEntries = async () => {
    const out = `${dir}/trail-${Math.random().toString(16).slice(2)}.jsonl`;
    const exported = await custodian(
      ['audit', 'export', vault, '--format', 'jsonl', '--out', out],
      lead(),
    );
    expect(exported.code, exported.stderr).toBe(0);
    return readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind?: string; details?: Record<string, unknown> })
      .filter((line) => line.kind === 'vault.restore-accepted');
  };

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    vault = `${dir}/team.vault`;
    older = `${dir}/nightly.vault`;
    await populatedVault(vault);
    await backupVault(vault, older);
    const rotated = await custodian(
      ['rotate', vault, 'x:NorfolkPolice', '--reason', 'scheduled', '--generate'],
      dmt(),
    );
    expect(rotated.code, rotated.stderr).toBe(0);
  });
  afterEach(() => cleanup());

  it('`custodian restore` puts the backup in place, keeps the replaced vault aside, records why with both checkpoints, and the workstation opens it again', async () => {
    const result = await custodian(
      ['restore', older, vault, '--reason', 'disk failure, ticket 4411'],
      lead(),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Restored .*nightly\.vault over .*team\.vault/);
    expect(result.stdout).toMatch(/had kept \d+ entries; the restored vault shows \d+/);
    const aside = /kept aside as (\S+)\./.exec(result.stdout)?.[1];
    expect(aside && existsSync(aside)).toBe(true);
    // Others on this workstation open it again: the kept checkpoint is the restored history's.
    const opened = await custodian(['account', 'list', vault], dmt());
    expect(opened.code, opened.stderr).toBe(0);
    const [entry, ...more] = await restoreEntries();
    expect(more).toEqual([]);
    expect(entry!.details).toMatchObject({
      reason: 'disk failure, ticket 4411',
      found: 'rolled-back',
    });
    const details = entry!.details as {
      keptSize: number;
      shownSize: number;
      keptCheckpoint: string;
    };
    expect(details.keptSize).toBeGreaterThan(details.shownSize);
    expect(details.keptCheckpoint).toMatch(/^custodian\.vault\/[0-9a-f]{32}\n\d+\n/);
  });

  it('a copy put in place by hand is refused until a lead accepts it with a reason (`custodian accept-restore`)', async () => {
    for (const suffix of ['-wal', '-shm']) rmSync(`${vault}${suffix}`, { force: true });
    copyFileSync(older, vault);
    const refused = await custodian(['account', 'list', vault], dmt());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/custodian accept-restore/);

    const byDmt = await custodian(['accept-restore', vault, '--reason', 'it looked fine'], dmt());
    expect(byDmt.code).toBe(4);
    expect(byDmt.stderr).toMatch(/only a lead can accept a restored copy/);
    expect((await custodian(['account', 'list', vault], dmt())).code).toBe(2);

    const noReason = await custodian(['accept-restore', vault], lead());
    expect(noReason.code).toBe(1);
    expect((await custodian(['account', 'list', vault], dmt())).code).toBe(2);

    const accepted = await custodian(
      ['accept-restore', vault, '--reason', 'restored from the nightly backup'],
      lead(),
    );
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toMatch(/recorded in the audit trail/);
    expect((await custodian(['account', 'list', vault], dmt())).code).toBe(0);
    expect((await restoreEntries()).map((e) => e.details?.['reason'])).toEqual([
      'restored from the nightly backup',
    ]);
  });

  it('a vault that extends what was kept has no restore to accept: it says so and records none', async () => {
    const result = await custodian(['accept-restore', vault, '--reason', 'just in case'], lead());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/nothing to accept/);
    expect(await restoreEntries()).toEqual([]);
  });
});
