import { linkSync, readFileSync, symlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, FAST_KDF } from '../helpers/cli.ts';
import { tempDir } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };

/**
 * The attack (or the slip): `--out` naming the vault itself, its write-ahead log, its lock, or
 * another name for the same file (a symlink, a hard link, `dir/../team.vault`). An export over the
 * open vault destroyed it; it must be refused even with --replace, and the vault left whole.
 */
describe('attack: an export, evidence file or backup written over the open vault', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = `${dir}/team.vault`;
    expect((await custodian(['init', vault, ...FAST_KDF], LEAD)).code).toBe(0);
    symlinkSync(vault, `${dir}/alias.vault`);
    linkSync(vault, `${dir}/hardlink.vault`);
  });
  afterAll(() => cleanup());

  const targets = () => [
    vault,
    `${dir}/sub/../team.vault`,
    `${vault}-wal`,
    `${vault}-shm`,
    `${vault}.lock`,
    `${dir}/alias.vault`,
    `${dir}/hardlink.vault`,
  ];

  it('is refused for every name of the vault and its files, in every format, even with --replace', async () => {
    const before = readFileSync(vault);
    for (const out of targets()) {
      const runs = [['audit', 'export', vault, '--format', 'jsonl', '--out', out, '--replace']];
      if (out === vault || out.endsWith('-wal')) {
        runs.push(['audit', 'export', vault, '--format', 'pdf', '--out', out]);
        runs.push(['audit', 'evidence', vault, '--seq', '1', '--out', out, '--replace']);
        runs.push(['backup', vault, out]);
      }
      for (const args of runs) {
        const result = await custodian(args, LEAD);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(1);
        expect(result.stderr).toMatch(/the vault itself|vault's own files/);
      }
    }
    // The vault still opens and verifies (its own lock entries aside, nothing else changed).
    const verify = await custodian(['audit', 'verify', vault], LEAD);
    expect(verify.code, verify.stderr).toBe(0);
    expect(readFileSync(vault).length).toBeGreaterThanOrEqual(before.length);
  });
});
