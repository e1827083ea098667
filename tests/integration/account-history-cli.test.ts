import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, FAST_KDF } from '../helpers/cli.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };

describe('`custodian account history` (9.9, 10.2)', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  const run = async (...args: string[]) => {
    const result = await custodian(args, LEAD);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = vaultLocation(`${dir}/team.vault`);
    await run('init', vault, ...FAST_KDF);
    writeFileSync(`${dir}/pw`, 'Initial-Password-42\n');
    await run(
      'account',
      'add',
      vault,
      ...['--platform', 'x', '--handle', 'NorfolkPolice', '--force', 'norfolk'],
      ...['--unit-type', 'department', '--unit', 'Corporate Communications'],
      ...['--username', 'norfolk-comms', '--password-file', `${dir}/pw`],
    );
    await run('person', 'add', vault, '--name', 'Kay Patel');
    await run('person', 'add', vault, '--name', 'Max Manager');
  });
  afterAll(() => cleanup());

  it('lists the events in the order the trail recorded them, each with its time of day', async () => {
    await run('team', 'add', vault, 'x:NorfolkPolice', '--person', 'Kay Patel');
    await run('team', 'remove', vault, 'x:NorfolkPolice', '--person', 'Kay Patel');
    await run('team', 'add', vault, 'x:NorfolkPolice', '--person', 'Max Manager');
    const lines = (await run('account', 'history', vault, 'x:NorfolkPolice')).trimEnd().split('\n');
    expect(lines.map((line) => line.split('\t').slice(1, 3))).toEqual([
      ['registered', 'registered in the vault'],
      ['access-granted', 'Kay Patel given access by Lena Lead'],
      ['access-revoked', "Kay Patel's access revoked by Lena Lead"],
      ['access-granted', 'Max Manager given access by Lena Lead'],
    ]);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\t/);
  });
});
