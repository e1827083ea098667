import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { openCredential } from '../../electron/vault/domain/credentials.ts';
import { rotationCount } from '../../electron/vault/domain/rotations.ts';
import { custodian, custodianProcessRepeating, FAST_KDF } from '../helpers/cli.ts';
import { tempDir, unlockAs } from '../helpers/vault.ts';

/**
 * Issue 2, "done means" 5: two processes rotating the same account 20 times each, at once. Every
 * call succeeds or exits 3 (in use); afterwards the trail verifies and the history holds exactly
 * the successful rotations.
 *
 * Real processes, because what is tested is two PIDs contending: the writer lock file between
 * processes and SQLite's own locking underneath. Each process runs its 20 commands in a row
 * (cli-repeat-child.ts) instead of starting 40 processes: the contention is the same, the Node and
 * tsx start-up is paid twice instead of 40 times. The set-up runs in this process.
 */
describe('two writers at once', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('every rotation succeeds or is refused as in use, and none is lost or doubled', async () => {
    const vault = `${dir}/busy.vault`;
    const lead = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };
    expect((await custodian(['init', vault, ...FAST_KDF], lead)).code).toBe(0);
    writeFileSync(`${dir}/pw`, 'Starting-Password-1');
    const added = await custodian(
      [
        'account',
        'add',
        vault,
        '--platform',
        'x',
        '--handle',
        'Busy',
        '--force',
        'norfolk',
        '--unit-type',
        'team',
        '--unit',
        'Busy Team',
        '--username',
        'busy',
        '--password-file',
        `${dir}/pw`,
      ],
      lead,
    );
    const accountId = added.stdout.trim();

    const writer = () =>
      custodianProcessRepeating(
        20,
        ['rotate', vault, accountId, '--reason', 'scheduled', '--generate'],
        lead,
      );
    const [first, second] = await Promise.all([writer(), writer()]);
    // At once: each process was still rotating after the other had begun.
    expect(first[0]!.startedAt).toBeLessThan(second.at(-1)!.endedAt);
    expect(second[0]!.startedAt).toBeLessThan(first.at(-1)!.endedAt);
    const results = [...first, ...second];
    expect(results).toHaveLength(40);
    const unexpected = results.filter((r) => r.code !== 0 && r.code !== 3);
    expect(unexpected.map((r) => `${r.code}: ${r.stderr}`)).toEqual([]);
    for (const refused of results.filter((r) => r.code === 3))
      expect(refused.stderr).toMatch(/in use/);
    const succeeded = results.filter((r) => r.code === 0).length;
    expect(succeeded).toBeGreaterThan(0);

    const session = await unlockAs(vault, 'Lena Lead', 'lead passphrase one');
    expect(await verifyVault(session)).toMatchObject({ ok: true });
    expect(rotationCount(session, accountId)).toBe(succeeded);
    expect(openCredential(session, accountId).history).toHaveLength(succeeded);
    session.close();
  });
});
