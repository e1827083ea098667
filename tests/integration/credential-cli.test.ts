import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, FAST_KDF, type CliResult } from '../helpers/cli.ts';
import { tempDir } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };
const ACCOUNT = 'x:NorfolkPolice';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DP';

/** Credentials through the real command (issue 11): nothing lost, nothing read back unrecorded. */
describe('credentials from the command line', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  const as = async (env: Record<string, string>, ...args: string[]): Promise<CliResult> =>
    custodian(
      args.map((a) => a.replace('VAULT', vault).replace('DIR', dir)),
      env,
    );
  const run = async (...args: string[]): Promise<CliResult> => {
    const result = await as(LEAD, ...args);
    expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  };

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = `${dir}/credentials.vault`;
    writeFileSync(`${dir}/pw`, 'first-Password-1');
    writeFileSync(`${dir}/rotated`, 'rotated-Password-2');
    writeFileSync(`${dir}/totp`, TOTP_SECRET);
    writeFileSync(`${dir}/codes`, 'aaaa-1111\nbbbb-2222\n');
    await run('init', 'VAULT', ...FAST_KDF);
    await run(
      'account',
      'add',
      'VAULT',
      '--platform',
      'x',
      '--handle',
      'NorfolkPolice',
      '--force',
      'norfolk',
      '--unit-type',
      'department',
      '--unit',
      'Corporate Communications',
      '--username',
      'comms',
      '--password-file',
      'DIR/pw',
    );
  });
  afterAll(() => cleanup());

  it('9.8: a rotation keeps the TOTP secret and recovery codes, so `totp` still prints a code', async () => {
    await run(
      'credential',
      'set',
      'VAULT',
      ACCOUNT,
      '--totp-secret-file',
      'DIR/totp',
      '--recovery-codes-file',
      'DIR/codes',
    );
    await run(
      'rotate',
      'VAULT',
      ACCOUNT,
      '--reason',
      'scheduled',
      '--password-file',
      'DIR/rotated',
    );
    const code = await run('totp', 'VAULT', ACCOUNT, '--reason', 'logging in to post');
    expect(code.stdout.trim()).toMatch(/^\d{6}$/);
  });
});
