import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../electron/vault/domain/accounts.ts';
import { rotatePassword } from '../../electron/vault/domain/credentials.ts';
import { custodian, FAST_KDF } from '../helpers/cli.ts';
import { newVault, tempDir } from '../helpers/vault.ts';

/**
 * Issue 2, "done means" 1: distinctive passwords, usernames, handles and unit names appear in none
 * of the files the vault writes (the file, its -wal and -shm, the lock), in UTF-8 or UTF-16.
 */
const CANARIES = {
  password: 'CanaryPassw0rd-Zebra-7731',
  rotated: 'CanaryRotated-Quokka-5520',
  username: 'canary.username.lynx',
  handle: 'CanaryHandleOtter',
  unit: 'Canary Unit Of Pangolins',
  member: 'Canary Member Narwhal',
  person: 'Canary Person Axolotl',
  staffNo: 'CANARY-99817',
  device: 'Canary Device Tapir',
  notes: 'Canary notes about the ibex',
  recoveryCode: 'canary-recovery-7f3e9',
  totp: 'KNAUGUSKGNBUGQZUMFZWCZLPOI',
  purpose: 'Canary purpose wombat',
  recoveryEmail: 'canary.recovery@example.org',
};

function encodings(text: string): Buffer[] {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.from(le).swap16();
  return [Buffer.from(text, 'utf8'), le, be];
}

function leaks(dir: string, except: readonly string[]): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (except.includes(name) || !statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    for (const [what, value] of Object.entries(CANARIES)) {
      // The member name is not a credential, but it is sealed too: check it with the rest.
      if (encodings(value).some((encoded) => bytes.includes(encoded)))
        found.push(`${what} in ${name}`);
    }
  }
  return found;
}

describe('nothing distinctive is written in clear (canary)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('after a CLI session of every command', async () => {
    const work = `${dir}/cli`;
    const { mkdirSync } = await import('node:fs');
    mkdirSync(work);
    const vault = `${work}/canary.vault`;
    const inputs = `${dir}/inputs`;
    mkdirSync(inputs);
    writeFileSync(`${inputs}/pw`, CANARIES.password);
    writeFileSync(`${inputs}/rotated`, CANARIES.rotated);
    const lead = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };
    const run = async (args: string[], env = lead) => {
      const result = await custodian(args, env);
      expect(result.code, result.stderr).toBe(0);
      return result;
    };
    await run(['init', vault, ...FAST_KDF]);
    await run([
      'account',
      'add',
      vault,
      '--platform',
      'instagram',
      '--handle',
      CANARIES.handle,
      '--force',
      'suffolk',
      '--unit-type',
      'team',
      '--unit',
      CANARIES.unit,
      '--username',
      CANARIES.username,
      '--password-file',
      `${inputs}/pw`,
    ]);
    await custodian(['member', 'add', vault, '--name', CANARIES.member, '--role', 'dmt'], {
      ...lead,
      CUSTODIAN_NEW_PASSPHRASE: 'member passphrase one',
    });
    await run(['reveal', vault, `instagram:${CANARIES.handle}`, '--reason', 'canary check']);
    await run([
      'rotate',
      vault,
      `instagram:${CANARIES.handle}`,
      '--reason',
      'compromise',
      '--password-file',
      `${inputs}/rotated`,
    ]);
    await run(['member', 'remove', vault, CANARIES.member]);
    const account = `instagram:${CANARIES.handle}`;
    await run(['person', 'add', vault, '--name', CANARIES.person, '--staff-no', CANARIES.staffNo]);
    await run([
      'team',
      'add',
      vault,
      account,
      '--person',
      CANARIES.person,
      '--why',
      CANARIES.notes,
    ]);
    await run([
      'device',
      'add',
      vault,
      '--owner',
      CANARIES.person,
      '--kind',
      'personal',
      '--label',
      CANARIES.device,
      '--accounts',
      account,
    ]);
    await run(['device', 'lost', vault, CANARIES.device]);
    await run([
      'account',
      'set',
      vault,
      account,
      '--notes',
      CANARIES.notes,
      '--purpose',
      CANARIES.purpose,
      '--recovery-email',
      CANARIES.recoveryEmail,
    ]);
    writeFileSync(`${inputs}/codes`, `${CANARIES.recoveryCode}\n`);
    writeFileSync(`${inputs}/totp`, CANARIES.totp);
    await run([
      'credential',
      'set',
      vault,
      account,
      '--recovery-codes-file',
      `${inputs}/codes`,
      '--totp-secret-file',
      `${inputs}/totp`,
    ]);
    await run(['account', 'history', vault, account]);
    await run(['account', 'list', vault]);
    await run(['audit', 'verify', vault]);
    expect(leaks(work, [])).toEqual([]);
  });

  it('while a session is open, in the write-ahead log too', async () => {
    const work = `${dir}/open`;
    const { mkdirSync, existsSync } = await import('node:fs');
    mkdirSync(work);
    const session = await newVault(`${work}/canary.vault`);
    const { id } = createAccount(session, {
      platform: 'x',
      handle: CANARIES.handle,
      force: 'norfolk',
      unitType: 'district',
      unitName: CANARIES.unit,
      username: CANARIES.username,
      password: CANARIES.password,
    });
    rotatePassword(session, id, { reason: 'scheduled', password: CANARIES.rotated });
    expect(existsSync(`${work}/canary.vault-wal`)).toBe(true);
    expect(leaks(work, [])).toEqual([]);
    session.close();
    expect(leaks(work, [])).toEqual([]);
  });

  it('the scan itself finds a canary written in clear (it can fail)', () => {
    writeFileSync(`${dir}/control-file`, Buffer.from(`xx${CANARIES.unit}xx`, 'utf16le'));
    expect(leaks(dir, [])).toEqual(['unit in control-file']);
  });
});
