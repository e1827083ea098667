import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, FAST_KDF } from '../helpers/cli.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };

/**
 * The attack: someone who can write the export folder (a shared drive) plants symlinks where the
 * export will write, at the old fixed temporary name `FILE.partial` and at FILE itself, pointing
 * at a file they can read. The decrypted trail must never go through either link.
 */
describe('attack: a symlink at the export’s temporary or final name', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = vaultLocation(`${dir}/team.vault`);
    expect((await custodian(['init', vault, ...FAST_KDF], LEAD)).code).toBe(0);
  });
  afterAll(() => cleanup());

  it.each(['jsonl', 'csv', 'pdf'])(
    'a %s export writes through no planted link, and leaves the links and their targets as they were',
    async (format) => {
      const out = `${dir}/trail.${format}`;
      const stolen = `${dir}/attacker-${format}.txt`;
      writeFileSync(stolen, 'attacker file\n');
      symlinkSync(stolen, `${out}.partial`);
      const result = await custodian(
        ['audit', 'export', vault, '--format', format, '--out', out],
        LEAD,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(readFileSync(stolen, 'utf8')).toBe('attacker file\n');
      expect(lstatSync(`${out}.partial`).isSymbolicLink()).toBe(true);
      expect(lstatSync(out).isFile()).toBe(true);
      // No temporary file is left behind.
      expect(readdirSync(dir).filter((name) => name.includes(`trail.${format}.`))).toEqual([
        `trail.${format}.partial`,
      ]);
    },
  );

  it('a symlink at the destination itself is an existing file: refused, its target untouched', async () => {
    const stolen = `${dir}/attacker-final.txt`;
    writeFileSync(stolen, 'attacker file\n');
    const out = `${dir}/final.jsonl`;
    symlinkSync(stolen, out);
    const result = await custodian(
      ['audit', 'export', vault, '--format', 'jsonl', '--out', out],
      LEAD,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/already exists/);
    expect(readFileSync(stolen, 'utf8')).toBe('attacker file\n');
    // Even asked to replace, the link itself is replaced: its target is never written.
    const replaced = await custodian(
      ['audit', 'export', vault, '--format', 'jsonl', '--out', out, '--replace'],
      LEAD,
    );
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(readFileSync(stolen, 'utf8')).toBe('attacker file\n');
    expect(lstatSync(out).isSymbolicLink()).toBe(false);
    expect(existsSync(stolen)).toBe(true);
  });
});
