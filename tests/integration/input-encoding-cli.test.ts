import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, FAST_KDF } from '../helpers/cli.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };
// "Pa£sword-Strong-123" saved as Latin-1: 0xA3 alone is not UTF-8.
const LATIN1_PASSWORD = Buffer.from('Pa\xa3sword-Strong-123', 'latin1');

/**
 * 9.8: the registry holds the platform's password byte for byte. A file in another encoding used to
 * be decoded leniently, so "£" became U+FFFD and the stored password was not the platform's. A
 * file that is not UTF-8 is refused, naming it, and nothing is written (found in review of issue 11).
 */
describe('input files that are not UTF-8', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(`${dir}/pw`, LATIN1_PASSWORD);
    writeFileSync(
      `${dir}/accounts.csv`,
      Buffer.concat([
        Buffer.from(
          'platform,handle,force,unit_type,unit,username,password\nx,Latin1,norfolk,team,T,u1,',
        ),
        LATIN1_PASSWORD,
        Buffer.from('\n'),
      ]),
    );
    const init = await custodian(['init', vaultLocation(`${dir}/team.vault`), ...FAST_KDF], LEAD);
    expect(init.code, init.stderr).toBe(0);
  });
  afterAll(() => cleanup());

  it('a password file in Latin-1 is refused and no account is registered', async () => {
    const added = await custodian(
      [
        'account',
        'add',
        vaultLocation(`${dir}/team.vault`),
        ...['--platform', 'x', '--handle', 'Latin1', '--force', 'norfolk'],
        ...['--unit-type', 'team', '--unit', 'T', '--username', 'u1'],
        ...['--password-file', `${dir}/pw`],
      ],
      LEAD,
    );
    expect(added.code).toBe(1);
    expect(added.stderr).toMatch(/The password file .*pw is not UTF-8 text; save it as UTF-8/);
    const listed = await custodian(['account', 'list', vaultLocation(`${dir}/team.vault`)], LEAD);
    expect(listed.stdout).not.toContain('Latin1');
  });

  it('a CSV in Latin-1 is refused before any row is read', async () => {
    const imported = await custodian(
      ['account', 'import', vaultLocation(`${dir}/team.vault`), `${dir}/accounts.csv`],
      LEAD,
    );
    expect(imported.code).toBe(1);
    expect(imported.stderr).toMatch(/The import file .*accounts\.csv is not UTF-8 text/);
    expect(imported.stderr).not.toContain('sword-Strong');
  });
});
