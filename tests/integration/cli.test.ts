import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, FAST_KDF } from '../helpers/cli.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };
const SECURITY = { CUSTODIAN_USER: 'Sam Security', CUSTODIAN_PASSPHRASE: 'security passphrase' };
const DMT = { CUSTODIAN_USER: 'Dev Dmt', CUSTODIAN_PASSPHRASE: 'dmt passphrase two' };

function oneCleanLine(stderr: string): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |Error:|\.ts:\d+/);
}

describe('the custodian CLI', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  let accountId: string;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = vaultLocation(`${dir}/team.vault`);
    expect((await custodian(['init', vault, ...FAST_KDF], LEAD)).code).toBe(0);
    writeFileSync(`${dir}/pw`, 'Initial-Password-42\n');
    const added = await custodian(
      [
        'account',
        'add',
        vault,
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
        'norfolk-comms',
        '--password-file',
        `${dir}/pw`,
      ],
      LEAD,
    );
    expect(added.code, added.stderr).toBe(0);
    accountId = added.stdout.trim();
    expect(accountId).toMatch(/^[0-9a-f]{32}$/);
    for (const [name, role, passphrase] of [
      ['Sam Security', 'security', SECURITY.CUSTODIAN_PASSPHRASE],
      ['Dev Dmt', 'dmt', DMT.CUSTODIAN_PASSPHRASE],
    ] as const) {
      const result = await custodian(['member', 'add', vault, '--name', name, '--role', role], {
        ...LEAD,
        CUSTODIAN_NEW_PASSPHRASE: passphrase,
      });
      expect(result.code, result.stderr).toBe(0);
    }
  });
  afterAll(() => cleanup());

  it('reveal prints the password, by id or platform:handle; the file read drops one trailing newline', async () => {
    const byLabel = await custodian(
      ['reveal', vault, 'x:norfolkpolice', '--reason', 'posting an appeal'],
      LEAD,
    );
    expect(byLabel).toMatchObject({ code: 0, stdout: 'Initial-Password-42\n' });
    const byId = await custodian(['reveal', vault, accountId, '--reason', 'check'], DMT);
    expect(byId.stdout).toBe('Initial-Password-42\n');
  });

  it('a security member lists accounts and verifies the audit, but reveal exits 4', async () => {
    const list = await custodian(['account', 'list', vault, '--json'], SECURITY);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ id: accountId, handle: 'NorfolkPolice' }),
    ]);
    const found = await custodian(
      ['account', 'list', vault, '--search', 'norfolk X:NORF'],
      SECURITY,
    );
    expect(found.stdout).toMatch(/^\S+\tx:NorfolkPolice\t/);
    const none = await custodian(['account', 'list', vault, '--search', 'suffolk'], SECURITY);
    expect(none).toMatchObject({ code: 0, stdout: '' });
    const verify = await custodian(['audit', 'verify', vault], SECURITY);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^verified \d+ entries, \d+ checkpoints; root [0-9a-f]{64}\n$/);
    const reveal = await custodian(['reveal', vault, accountId, '--reason', 'curious'], SECURITY);
    expect(reveal.code).toBe(4);
    expect(reveal.stdout).toBe('');
    oneCleanLine(reveal.stderr);
  });

  it('a wrong passphrase exits 5 with one line, and the vault file is unchanged byte for byte', async () => {
    const before = readFileSync(vault);
    const result = await custodian(['account', 'list', vault], {
      ...LEAD,
      CUSTODIAN_PASSPHRASE: 'wrong passphrase',
    });
    expect(result.code).toBe(5);
    oneCleanLine(result.stderr);
    expect(readFileSync(vault).equals(before)).toBe(true);
    const stranger = await custodian(['account', 'list', vault], {
      ...LEAD,
      CUSTODIAN_USER: 'Nobody',
    });
    expect(stranger).toMatchObject({ code: 5, stderr: result.stderr });
  });

  it('usage errors exit 1 with advice; a dmt adding a member exits 4', async () => {
    const missing = await custodian(['reveal', vault, accountId], LEAD);
    expect(missing.code).toBe(1);
    const unknownAccount = await custodian(['reveal', vault, 'x:nobody', '--reason', 'r'], LEAD);
    expect(unknownAccount.code).toBe(1);
    expect(unknownAccount.stderr).toMatch(/No account "x:nobody"/);
    const noPassphrase = await custodian(['account', 'list', vault], {
      CUSTODIAN_USER: 'Lena Lead',
    });
    expect(noPassphrase.code).toBe(1);
    expect(noPassphrase.stderr).toMatch(/set CUSTODIAN_PASSPHRASE/);
    const dmtAdds = await custodian(['member', 'add', vault, '--name', 'X Y', '--role', 'dmt'], {
      ...DMT,
      CUSTODIAN_NEW_PASSPHRASE: 'another long passphrase',
    });
    expect(dmtAdds.code).toBe(4);
    const oversized = await custodian(
      [
        'account',
        'add',
        vault,
        '--platform',
        'x',
        '--handle',
        'h'.repeat(500),
        '--force',
        'norfolk',
        '--unit-type',
        'team',
        '--unit',
        'U',
        '--username',
        'u',
        '--generate',
      ],
      LEAD,
    );
    expect(oversized.code).toBe(1);
    expect(oversized.stderr).toMatch(/handle must be at most 100 characters/);
  });

  it('--help documents the exit codes', async () => {
    const help = await custodian(['--help']);
    expect(help.code).toBe(0);
    for (const code of [
      '0  ok',
      '2  integrity',
      '3  the vault is in use',
      '4  not permitted',
      '5  wrong passphrase',
    ]) {
      expect(help.stdout).toContain(code);
    }
  });

  it('a changed byte in a stored value makes audit verify exit 2 naming the row, without a stack', async () => {
    const copy = `${dir}/tampered.vault`;
    writeFileSync(copy, readFileSync(vault));
    const db = new Database(copy);
    const row = db.prepare('SELECT seq, sealed FROM audit_entries WHERE seq = 3').get() as {
      seq: number;
      sealed: Buffer;
    };
    row.sealed[30]! ^= 0x40;
    db.prepare('UPDATE audit_entries SET sealed = ? WHERE seq = 3').run(row.sealed);
    db.close();
    // Opened as from another workstation: a copy opened here would become this workstation's
    // history, and the vault itself a fork of it (ADR 0024).
    const elsewhere = { ...LEAD, CUSTODIAN_CHECKPOINT_DIR: `${dir}/another-workstation` };
    const result = await custodian(['audit', 'verify', copy], elsewhere);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/audit entry #3/);
    // That workstation's first sight of the vault is said in a note of its own (first use).
    const [note, ...error] = result.stderr.split('\n');
    expect(note).toMatch(/^note: .*\(first use\)/);
    oneCleanLine(error.join('\n'));
    const json = await custodian(['audit', 'verify', copy, '--json'], elsewhere);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, where: 'audit entry #3' });
  });

  it('rotating records the reason and changes what reveal prints; a rotation must change the password', async () => {
    const rotated = await custodian(
      [
        'rotate',
        vault,
        accountId,
        '--reason',
        'security-risk',
        '--generate',
        '--informed',
        'Line Manager',
      ],
      DMT,
    );
    expect(rotated.code, rotated.stderr).toBe(0);
    const revealed = await custodian(['reveal', vault, accountId, '--reason', 'check'], DMT);
    expect(revealed.stdout.trim()).not.toBe('Initial-Password-42');
    expect(revealed.stdout.trim()).toHaveLength(24);
    writeFileSync(`${dir}/same`, revealed.stdout);
    const same = await custodian(
      ['rotate', vault, accountId, '--reason', 'scheduled', '--password-file', `${dir}/same`],
      DMT,
    );
    expect(same.code).toBe(1);
    expect(same.stderr).toMatch(/same as the current one/);
  });
});
