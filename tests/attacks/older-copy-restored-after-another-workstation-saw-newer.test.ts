import { copyFileSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupVault } from '../../electron/vault/backup.ts';
import { custodian } from '../helpers/cli.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';

/**
 * Issue 14 (and the residual of issue 13): anyone who can write the vault file restores an older
 * copy of the whole file, signatures, state commitment and all. Every check inside the file passes,
 * because the copy is a genuine earlier state; only a workstation that saw the newer state can
 * tell. Here workstation A (its own folder of kept checkpoints) rotated a password after the copy
 * was taken, so the copy would bring back the password that rotation replaced (policy 10.2).
 */
describe('an older copy of the vault restored after another workstation opened a newer one (issue 14)', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  let older: string;
  const workstationA = () => ({
    CUSTODIAN_USER: 'Dev Dmt',
    CUSTODIAN_PASSPHRASE: PASSPHRASES.dmt,
    CUSTODIAN_CHECKPOINT_DIR: `${dir}/workstation-a`,
  });
  const workstationB = () => ({
    ...workstationA(),
    CUSTODIAN_CHECKPOINT_DIR: `${dir}/workstation-b`,
  });

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    vault = `${dir}/team.vault`;
    older = `${dir}/taken-before-the-rotation.vault`;
    await populatedVault(vault);
    await backupVault(vault, older);
    const opened = await custodian(['account', 'list', vault], workstationA());
    expect(opened.code, opened.stderr).toBe(0);
    const rotated = await custodian(
      ['rotate', vault, 'x:NorfolkPolice', '--reason', 'membership-change', '--generate'],
      workstationA(),
    );
    expect(rotated.code, rotated.stderr).toBe(0);
    // The attacker puts the older copy in place of the vault.
    for (const suffix of ['-wal', '-shm']) rmSync(`${vault}${suffix}`, { force: true });
    copyFileSync(older, vault);
  });
  afterEach(() => cleanup());

  it('workstation A refuses it with exit 2, naming what it kept and what the vault shows', async () => {
    const result = await custodian(['account', 'list', vault], workstationA());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/older history than this workstation has seen/);
    expect(result.stderr).toMatch(/This workstation kept the vault's audit trail at \d+ entries/);
    expect(result.stderr).toMatch(/The vault now shows \d+ entries/);
    expect(result.stderr).toMatch(/signed by Dev Dmt/);
    expect(result.stderr).toMatch(/Restore the newest copy/);
    expect(result.stdout).not.toContain('NorfolkPolice');
    const [kept, shown] = [...result.stderr.matchAll(/(\d+) entries/g)].map((m) => Number(m[1]));
    expect(shown).toBeLessThan(kept!);
    // Refused every time, not once: nothing was written to make the copy look current.
    expect((await custodian(['account', 'list', vault], workstationA())).code).toBe(2);
  });

  it('the reveal that would hand out the replaced password is refused too', async () => {
    const result = await custodian(
      ['reveal', vault, 'x:NorfolkPolice', '--reason', 'checking'],
      workstationA(),
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('a workstation that never saw the newer state trusts the copy on first use, and says so (the limit, docs/THREAT-MODEL.md)', async () => {
    const result = await custodian(['account', 'list', vault], workstationB());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/kept no checkpoint.*\(first use\)/);
    // Said once: the next open has a kept checkpoint to check against.
    const again = await custodian(['account', 'list', vault], workstationB());
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/first use/);
  });
});
