import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupVault } from '../../electron/vault/backup.ts';
import { custodian } from '../helpers/cli.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';

/**
 * Issue 14: a fork. Two copies of one vault are extended separately (a server showing each
 * workstation its own history, or a member keeping a second copy and working on it), each with
 * genuine signatures by current members. Each copy verifies on its own; only the consistency
 * proof from what a workstation kept shows that the second does not extend the first.
 */
describe('a vault forked into two copies extended separately, opened by the same workstation (issue 14)', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  let fork: string;
  const at = (workstation: string) => ({
    CUSTODIAN_USER: 'Dev Dmt',
    CUSTODIAN_PASSPHRASE: PASSPHRASES.dmt,
    CUSTODIAN_CHECKPOINT_DIR: `${dir}/${workstation}`,
  });
  const rotate = async (file: string, workstation: string) => {
    const result = await custodian(
      ['rotate', file, 'x:NorfolkPolice', '--reason', 'scheduled', '--generate'],
      at(workstation),
    );
    expect(result.code, result.stderr).toBe(0);
  };

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    vault = `${dir}/team.vault`;
    fork = `${dir}/second-copy.vault`;
    await populatedVault(vault);
    await backupVault(vault, fork);
    // Workstation A works on the vault; the second copy is extended elsewhere, further.
    await rotate(vault, 'workstation-a');
    await rotate(fork, 'workstation-b');
    await rotate(fork, 'workstation-b');
  });
  afterEach(() => cleanup());

  it('workstation A refuses the second copy with exit 2: a different history, both named', async () => {
    const result = await custodian(['account', 'list', fork], at('workstation-a'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/different history from the one this workstation has seen/);
    expect(result.stderr).toMatch(
      /kept the vault's audit trail at \d+ entries \(root [0-9a-f]{12}…\)/,
    );
    expect(result.stderr).toMatch(/The vault now shows \d+ entries \(root [0-9a-f]{12}…\)/);
    expect(result.stdout).toBe('');
  });

  it('and the copy it has followed still opens: the refusal is of the history, not of the file', async () => {
    expect((await custodian(['account', 'list', fork], at('workstation-a'))).code).toBe(2);
    const own = await custodian(['account', 'list', vault], at('workstation-a'));
    expect(own.code, own.stderr).toBe(0);
  });

  it('a fork of the same length is refused as well (same size, another root)', async () => {
    const even = `${dir}/even-copy.vault`;
    await backupVault(vault, even);
    // Workstation A and workstation C each add one rotation to copies of the same state.
    await rotate(vault, 'workstation-a');
    await rotate(even, 'workstation-c');
    const result = await custodian(['account', 'list', even], at('workstation-a'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/different history/);
    const [kept, shown] = [...result.stderr.matchAll(/(\d+) entries/g)].map((m) => Number(m[1]));
    expect(shown).toBe(kept);
  });
});
