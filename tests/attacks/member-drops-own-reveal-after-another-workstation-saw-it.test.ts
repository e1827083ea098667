import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { custodian } from '../helpers/cli.ts';
import { cutTrailBack, trailSize } from '../helpers/trail-edits.ts';
import { PASSPHRASES, populatedVault, tempDir, vaultLocation } from '../helpers/vault.ts';
import { resignStateAs, signingKeysOf } from './insider.ts';

/**
 * The residual of issue 13's signer rule (ADR 0013, THREAT-MODEL "What the signer rule leaves"):
 * a member may drop entries of their own written after anyone else's, and sign the trail again
 * with their own key, because their checkpoint over their own entries is what an honest session
 * writes. Here Dev Dmt reveals a password (policy 6.5: access is audited), Sam Security's
 * workstation opens the vault afterwards, and Dev then cuts his reveal out and re-signs. Every
 * check inside the file passes; Sam's workstation kept the head that had the reveal in it.
 */
describe("a member drops their own reveal from the trail after another workstation saw it (issue 13's residual, issue 14)", () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  const dev = () => ({
    CUSTODIAN_USER: 'Dev Dmt',
    CUSTODIAN_PASSPHRASE: PASSPHRASES.dmt,
    CUSTODIAN_CHECKPOINT_DIR: `${dir}/dev-workstation`,
  });
  const sam = () => ({
    CUSTODIAN_USER: 'Sam Security',
    CUSTODIAN_PASSPHRASE: PASSPHRASES.security,
    CUSTODIAN_CHECKPOINT_DIR: `${dir}/security-workstation`,
  });

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    // The file, or on the server the database the test's path names (the CLI takes its URL).
    await populatedVault(`${dir}/team.vault`);
    vault = vaultLocation(`${dir}/team.vault`);
    const keys = await signingKeysOf(vault, { name: 'Dev Dmt', passphrase: PASSPHRASES.dmt });
    const beforeReveal = trailSize(vault);
    const revealed = await custodian(
      ['reveal', vault, 'x:NorfolkPolice', '--reason', 'personal use'],
      dev(),
    );
    expect(revealed.code, revealed.stderr).toBe(0);
    const seen = await custodian(['account', 'list', vault], sam());
    expect(seen.code, seen.stderr).toBe(0);
    // Dev's edit: his own entries since the reveal gone, the trail re-signed as his.
    cutTrailBack(vault, beforeReveal);
    resignStateAs(vault, keys);
  });
  afterEach(() => cleanup());

  it('the security workstation refuses the vault with exit 2: a different history from the one it saw', async () => {
    const result = await custodian(['account', 'list', vault], sam());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/history/);
    expect(result.stderr).toMatch(/This workstation kept the vault's audit trail at \d+ entries/);
    expect(result.stdout).toBe('');
  });
});
