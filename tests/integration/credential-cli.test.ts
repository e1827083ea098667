import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, FAST_KDF, type CliResult } from '../helpers/cli.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };
const ACCOUNT = 'x:NorfolkPolice';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DP';
const SECURITY = {
  CUSTODIAN_USER: 'Sam Security',
  CUSTODIAN_PASSPHRASE: 'security passphrase four',
};
const ADMIN = { CUSTODIAN_USER: 'Ada Admin', CUSTODIAN_PASSPHRASE: 'admin passphrase three' };

/** Credentials through the real command (issue 11): nothing lost, nothing read back unrecorded. */
describe('credentials from the command line', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  let founder: string;
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
    vault = vaultLocation(`${dir}/credentials.vault`);
    writeFileSync(`${dir}/pw`, 'first-Password-1');
    writeFileSync(`${dir}/rotated`, 'rotated-Password-2');
    writeFileSync(`${dir}/totp`, TOTP_SECRET);
    writeFileSync(`${dir}/codes`, 'aaaa-1111\nbbbb-2222\n');
    const created = await run('init', 'VAULT', ...FAST_KDF);
    // The anchor an offline check needs (issue 13, attack 7): what `init` printed.
    founder = /Founder fingerprint: ([0-9a-f ]+)\n/.exec(created.stdout)![1]!;
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
    for (const [name, role, passphrase] of [
      ['Sam Security', 'security', SECURITY.CUSTODIAN_PASSPHRASE],
      ['Ada Admin', 'admin', ADMIN.CUSTODIAN_PASSPHRASE],
    ] as const) {
      const added = await as(
        { ...LEAD, CUSTODIAN_NEW_PASSPHRASE: passphrase },
        'member',
        'add',
        'VAULT',
        '--name',
        name,
        '--role',
        role,
      );
      expect(added.code, added.stderr).toBe(0);
    }
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

  it('9.8: `reveal --field recovery-codes` prints the codes one per line, `--field username` the username; password stays the default', async () => {
    const codes = await run(
      'reveal',
      'VAULT',
      ACCOUNT,
      '--field',
      'recovery-codes',
      '--reason',
      'account hacked',
    );
    expect(codes.stdout).toBe('aaaa-1111\nbbbb-2222\n');
    const username = await run(
      'reveal',
      'VAULT',
      ACCOUNT,
      '--field',
      'username',
      '--reason',
      'logging in',
    );
    expect(username.stdout.trim()).toBe('comms');
    const password = await run('reveal', 'VAULT', ACCOUNT, '--reason', 'logging in');
    expect(password.stdout.trim()).toBe('rotated-Password-2');
    const wrong = await as(LEAD, 'reveal', 'VAULT', ACCOUNT, '--field', 'totp', '--reason', 'x');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/password, username, recovery-codes/);
    const help = await run('reveal', '--help');
    expect(help.stdout).toMatch(/--field <field>.*recovery-codes/s);
  });

  it('a reveal refused to security staff exits 4 (not permitted) and is recorded; the exports (JSON Lines, CSV, PDF) carry it and verify', async () => {
    const refused = await as(
      SECURITY,
      'reveal',
      'VAULT',
      ACCOUNT,
      '--field',
      'recovery-codes',
      '--reason',
      'curious',
    );
    expect(refused.code).toBe(4);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/Not permitted/);
    const totp = await as(SECURITY, 'totp', 'VAULT', ACCOUNT, '--reason', 'curious');
    expect(totp.code).toBe(4);
    for (const format of ['jsonl', 'csv', 'pdf']) {
      const exported = await as(
        SECURITY,
        'audit',
        'export',
        'VAULT',
        '--format',
        format,
        '--out',
        `DIR/trail.${format}`,
        '--kind',
        'credential.refused',
      );
      expect(exported.code, exported.stderr).toBe(0);
    }
    const csv = readFileSync(`${dir}/trail.csv`, 'utf8');
    expect(csv).toMatch(
      /credential\.refused.*Sam Security.*x:NorfolkPolice.*curious.*asked: reveal; field: recovery-codes; role: security/,
    );
    expect(csv).toMatch(/asked: totp; field: null; role: security/);
    expect(csv).not.toMatch(/aaaa-1111|rotated-Password-2/);
    const jsonl = readFileSync(`${dir}/trail.jsonl`, 'utf8');
    expect(jsonl.match(/"type":"entry"[^\n]*"kind":"credential\.refused"/g)).toHaveLength(2);
    const verified = await as(
      SECURITY,
      'audit',
      'verify-export',
      'DIR/trail.jsonl',
      '--founder',
      founder,
    );
    expect(verified.code, verified.stderr).toBe(0);
    expect(readFileSync(`${dir}/trail.pdf`).subarray(0, 5).toString()).toBe('%PDF-');
    const verify = await as(SECURITY, 'audit', 'verify', 'VAULT');
    expect(verify.code, verify.stderr).toBe(0);
  });

  it("10.2: `account revoke-admin` ends an administrator's grant: they are refused (and that is recorded), and the account is rotation due", async () => {
    await run('account', 'grant-admin', 'VAULT', ACCOUNT, '--member', 'Ada Admin');
    const before = await as(ADMIN, 'reveal', 'VAULT', ACCOUNT, '--reason', 'posting');
    expect(before.code, before.stderr).toBe(0);
    const ended = await run('account', 'revoke-admin', 'VAULT', ACCOUNT, '--member', 'Ada Admin');
    expect(ended.stdout).toMatch(
      /Ada Admin no longer administers x:NorfolkPolice; it is rotation due \(policy 10\.2\)/,
    );
    const after = await as(ADMIN, 'reveal', 'VAULT', ACCOUNT, '--reason', 'posting');
    expect(after.code).toBe(4);
    expect(after.stdout).toBe('');
    const list = await run('account', 'list', 'VAULT');
    expect(list.stdout).toMatch(/x:NorfolkPolice.*rotation due since/);
    const again = await as(
      LEAD,
      'account',
      'revoke-admin',
      'VAULT',
      ACCOUNT,
      '--member',
      'Ada Admin',
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /Ada Admin does not administer x:NorfolkPolice; nothing was changed/,
    );
    const byAdmin = await as(
      ADMIN,
      'account',
      'revoke-admin',
      'VAULT',
      ACCOUNT,
      '--member',
      'Ada Admin',
    );
    expect(byAdmin.code).toBe(4);
    const help = await run('account', 'revoke-admin', '--help');
    expect(help.stdout).toMatch(/rotation due/);
    const exported = await as(
      LEAD,
      'audit',
      'export',
      'VAULT',
      '--format',
      'csv',
      '--out',
      'DIR/admins.csv',
      '--kind',
      'account',
    );
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(`${dir}/admins.csv`, 'utf8')).toMatch(/account\.admin-revoked/);
  });

  it('credential set documents --username and --clear-totp, and clearing keeps the recovery codes', async () => {
    const help = await run('credential', 'set', '--help');
    expect(help.stdout).toMatch(/--username <username>/);
    expect(help.stdout).toMatch(/--clear-totp/);
    await run('credential', 'set', 'VAULT', ACCOUNT, '--clear-totp');
    const code = await as(LEAD, 'totp', 'VAULT', ACCOUNT, '--reason', 'logging in');
    expect(code.stderr).toMatch(/No TOTP secret is registered/);
    const codes = await run(
      'reveal',
      'VAULT',
      ACCOUNT,
      '--field',
      'recovery-codes',
      '--reason',
      'check',
    );
    expect(codes.stdout).toBe('aaaa-1111\nbbbb-2222\n');
  });
});
