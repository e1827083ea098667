import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, custodian, FAST_KDF } from '../helpers/cli.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };
const HEADER = 'platform,handle,force,unit_type,unit,username,password';
const rows = (from: number, count: number) =>
  Array.from(
    { length: count },
    (_, i) => `x,Cli${from + i},norfolk,team,Cli Team,cli${from + i},Cli-Pass-${from + i}-z`,
  );

/** `custodian account import` (issue 11): passwords never made up unasked, limits, progress. */
describe('account import from the command line', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  const csv = (name: string, ...lines: string[]) => {
    const file = `${dir}/${name}`;
    writeFileSync(file, `${[HEADER, ...lines].join('\n')}\n`);
    return file;
  };

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = vaultLocation(`${dir}/import.vault`);
    expect((await custodian(['init', vault, ...FAST_KDF], LEAD)).code).toBe(0);
  });
  afterAll(() => cleanup());

  it('a row without a password fails that row and writes nothing, unless --generate-missing (9.8)', async () => {
    const file = csv(
      'blank.csv',
      'x,WithPassword,norfolk,team,Roads,roads,Roads-Pass-1',
      'tiktok,NoPassword,suffolk,team,Roads,tt,',
    );
    const refused = await custodian(['account', 'import', vault, file], LEAD);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(
      /line 3\ttiktok:NoPassword\tno password: .*real password \(9\.8\)/,
    );
    expect(refused.stdout).not.toMatch(/generated/);
    expect(refused.stdout).toMatch(/Nothing was written: 1 of 2 rows cannot be registered/);

    const generated = await custodian(
      ['account', 'import', vault, file, '--generate-missing'],
      LEAD,
    );
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout).toMatch(/line 2\tx:WithPassword\timported\n/);
    expect(generated.stdout).toMatch(
      /line 3\ttiktok:NoPassword\timported; password generated: change the password on the platform to it now.*9\.8/,
    );
    expect(generated.stdout).toMatch(/2 account\(s\) written\./);
  });

  it('--help documents --generate-missing and the limits', async () => {
    const help = await custodian(['account', 'import', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--generate-missing\s+generate a password for a row without one/);
    expect(help.stdout).toMatch(
      /at most 8 MB and 10,000 rows, a field of at most 2,000 characters/,
    );
    expect(help.stdout).toMatch(/200 to a transaction/);
  });

  it('a file larger than an import takes is refused before it is read, saying what to do', async () => {
    const file = `${dir}/huge.csv`;
    writeFileSync(file, `${HEADER}\n${'x'.repeat(9 * 1024 * 1024)}\n`);
    const result = await custodian(['account', 'import', vault, file], LEAD);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is 9\.0 MB, larger than an import takes \(8 MB.*Split it/);
    expect(result.stderr.length).toBeLessThan(400);
  });

  it('an oversized field is reported briefly, without the field or the password', async () => {
    const secret = 'Do-Not-Echo-Me-42';
    const file = csv('field.csv', `x,Long,norfolk,team,${'U'.repeat(100_000)},u,${secret}`);
    const result = await custodian(['account', 'import', vault, file, '--dry-run'], LEAD);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/the unit column is 100,000 characters long/);
    expect(result.stdout + result.stderr).not.toContain(secret);
    expect(result.stdout.length).toBeLessThan(300);
  });

  it('a re-run of the same file skips what is registered and finishes the rest', async () => {
    const first = csv('first.csv', ...rows(0, 3));
    expect((await custodian(['account', 'import', vault, first], LEAD)).code).toBe(0);
    const all = csv('all.csv', ...rows(0, 5));
    const again = await custodian(['account', 'import', vault, all], LEAD);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/line 2\tx:Cli0\tskipped \(already registered: left as it is\)/);
    expect(again.stdout).toMatch(/2 account\(s\) written, 3 already registered \(skipped\)\./);
  });

  it('on a terminal, progress goes to stderr; through a pipe there is none', async () => {
    const file = csv('progress.csv', ...rows(100, 250));
    const piped = await custodian(['account', 'import', vault, file, '--dry-run'], LEAD);
    expect(piped.stderr).toBe('');
    // A real process: `script` gives stderr a real terminal (stdin stays a pipe, so the passphrase
    // comes from the environment); the import then reports after each batch.
    const command = [process.execPath, CLI, 'account', 'import', vault, file]
      .map((arg) => `'${arg}'`)
      .join(' ');
    const tty = spawnSync(
      'script',
      ['-qec', `${command} </dev/null 2>&1 >/dev/null`, '/dev/null'],
      {
        env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...LEAD },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(tty.status, tty.stdout).toBe(0);
    expect(tty.stdout).toMatch(/importing: 200 of 250 rows \(80%\)/);
    expect(tty.stdout).toMatch(/importing: 250 of 250 rows \(100%\)/);
  });
});
