import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../electron/vault/domain/account-creation.ts';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { CANARIES, leaks, runCliScenario } from '../helpers/scenario.ts';
import { newVault, tempDir } from '../helpers/vault.ts';

/**
 * Issue 2, "done means" 1: distinctive passwords, usernames, handles and unit names appear in none
 * of the files the vault writes (the file, its -wal and -shm, the lock), in UTF-8 or UTF-16.
 */
describe('nothing distinctive is written in clear (canary)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('after a CLI session of every command', async () => {
    const work = `${dir}/cli`;
    await runCliScenario(work, `${dir}/inputs`, ({ args, result }) =>
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0),
    );
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
