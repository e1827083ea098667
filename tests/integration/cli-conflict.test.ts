import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../electron/cli/exit-codes.ts';
import { custodian } from '../helpers/cli.ts';
import { PASSPHRASES, populatedVault, tempDir, vaultLocation } from '../helpers/vault.ts';

/**
 * Issue 14 on the command line (ADR 0023): `account show` prints the account's version, a change
 * given `--expected-version` of a version that is no longer current exits 6 with the same message
 * as the console, and saves nothing.
 */
describe('custodian --expected-version', () => {
  let dir: ReturnType<typeof tempDir>;
  let vault: string;
  const lena = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: PASSPHRASES.lead };
  const dev = { CUSTODIAN_USER: 'Dev Dmt', CUSTODIAN_PASSPHRASE: PASSPHRASES.dmt };
  beforeAll(async () => {
    dir = tempDir();
    vault = vaultLocation(`${dir.dir}/cli-conflict.vault`);
    await populatedVault(vault);
    writeFileSync(`${dir.dir}/pw`, 'Lena-New-Password-42x');
  });
  afterAll(() => dir.cleanup());

  const version = async () => {
    const shown = await custodian(['account', 'show', vault, 'x:NorfolkPolice', '--json'], lena);
    expect(shown.code).toBe(0);
    return (JSON.parse(shown.stdout) as { version: number }).version;
  };

  it('a rotation on a version another member has moved on from exits 6, names them, and saves nothing', async () => {
    const opened = await version();
    const devRotated = await custodian(
      ['rotate', vault, 'x:NorfolkPolice', '--reason', 'security-risk', '--generate'],
      dev,
    );
    expect(devRotated.code).toBe(0);
    const now = await version();
    expect(now).toBe(opened + 1);

    const stale = await custodian(
      [
        'rotate',
        vault,
        'x:NorfolkPolice',
        '--reason',
        'scheduled',
        '--password-file',
        `${dir.dir}/pw`,
        '--expected-version',
        String(opened),
      ],
      lena,
    );
    expect(stale.code).toBe(EXIT.conflict);
    expect(stale.stderr).toMatch(
      /Dev Dmt rotated x:NorfolkPolice at \d\d:\d\d UTC while you were editing; nothing was saved/,
    );
    expect(await version()).toBe(now);

    const fresh = await custodian(
      [
        'rotate',
        vault,
        'x:NorfolkPolice',
        '--reason',
        'scheduled',
        '--password-file',
        `${dir.dir}/pw`,
        '--expected-version',
        String(now),
      ],
      lena,
    );
    expect(fresh.code).toBe(0);
    expect(await version()).toBe(now + 1);
  });

  it('account set with a stale version exits 6; a version that is not a number is a usage error', async () => {
    const stale = await custodian(
      ['account', 'set', vault, 'x:NorfolkPolice', '--notes', 'n', '--expected-version', '1'],
      lena,
    );
    expect(stale.code).toBe(EXIT.conflict);
    expect(stale.stderr).toMatch(/while you were editing; nothing was saved/);
    const bad = await custodian(
      ['account', 'set', vault, 'x:NorfolkPolice', '--notes', 'n', '--expected-version', 'two'],
      lena,
    );
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/a version is a whole number/);
  });
});
