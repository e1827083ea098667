import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, FAST_KDF, type CliResult } from '../helpers/cli.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

/**
 * Issue 13, attack 7: `audit verify-export` said "verified" (exit 0) for a bundle fabricated with
 * fresh keys: every signature in it was genuine, made by keys the fabricator created. Consistency
 * is not authenticity. The verifier now needs an anchor from outside the bundle, the checkpoint
 * kept earlier (--since) or the founder fingerprint `custodian init` printed (--founder), and
 * without one exits 2 saying the bundle is not anchored, with the fingerprint it would need.
 * (The fabricated vault here is a second real vault; copying the real vault id and member ids into
 * it changes nothing, since the verdict now turns on the founder's key, which the fabricator lacks.)
 */
const REAL = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };
const FAKE = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'fabricator passphrase 1' };

describe('a bundle fabricated with fresh keys is not verified (issue 13, attack 7)', () => {
  let dir: string;
  let cleanup: () => void;
  let realFounder: string;
  let fakeFounder: string;
  const run = async (env: Record<string, string>, ...args: string[]): Promise<CliResult> => {
    const result = await custodian(args, env);
    expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  };
  const fingerprintIn = (result: CliResult) =>
    /Founder fingerprint: ([0-9a-f ]+)\n/.exec(result.stdout)![1]!;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    const fake = vaultLocation(`${dir}/fake.vault`);
    realFounder = fingerprintIn(
      await run(REAL, 'init', vaultLocation(`${dir}/real.vault`), ...FAST_KDF),
    );
    fakeFounder = fingerprintIn(await run(FAKE, 'init', fake, ...FAST_KDF));
    await run(FAKE, 'audit', 'export', fake, '--format', 'jsonl', '--out', `${dir}/fake.jsonl`);
  });
  afterAll(() => cleanup());

  it('with no anchor it exits 2: consistent but not anchored, naming the fingerprint it chains to', async () => {
    const result = await custodian(['audit', 'verify-export', `${dir}/fake.jsonl`]);
    expect(result.code).toBe(2);
    expect(result.stdout).not.toMatch(/^verified/);
    expect(result.stderr).toContain('internally consistent but not anchored');
    expect(result.stderr).toContain(fakeFounder);
  });

  it("against the real vault's founder fingerprint it fails", async () => {
    const result = await custodian([
      'audit',
      'verify-export',
      `${dir}/fake.jsonl`,
      '--founder',
      realFounder,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not the one given: it is not from that vault/);
  });

  it('an export of the real vault verifies against its own founder fingerprint', async () => {
    const real = vaultLocation(`${dir}/real.vault`);
    await run(REAL, 'audit', 'export', real, '--format', 'jsonl', '--out', `${dir}/real.jsonl`);
    const result = await custodian([
      'audit',
      'verify-export',
      `${dir}/real.jsonl`,
      '--founder',
      realFounder,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^verified bundle/);
  });
});
