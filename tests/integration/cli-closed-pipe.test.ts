import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, custodian, FAST_KDF, withKeptCheckpoints } from '../helpers/cli.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };

/**
 * Run the real command with its output going into a pipe whose reader has already gone, as in
 * `custodian --help | head -1` once head has its line: every write meets EPIPE. A real process,
 * because EPIPE happens on a real pipe to process.stdout, and what is tested is that the process
 * does not die of it (closed-pipe.ts, installed by main.ts). The set-up runs in this process.
 */
function intoClosedPipe(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        ...withKeptCheckpoints(env),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader closes before the command writes anything.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('CLI output piped into a reader that closes', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = vaultLocation(`${dir}/team.vault`);
    expect((await custodian(['init', vault, ...FAST_KDF], LEAD)).code).toBe(0);
    writeFileSync(`${dir}/pw`, 'Initial-Password-42\n');
    for (const handle of ['NorfolkPolice', 'SuffolkPolice', 'NorfolkRoads']) {
      const added = await custodian(
        [
          'account',
          'add',
          vault,
          '--platform',
          'x',
          '--handle',
          handle,
          '--force',
          'norfolk',
          '--unit-type',
          'department',
          '--unit',
          'Corporate Communications',
          '--username',
          `${handle}-login`,
          '--password-file',
          `${dir}/pw`,
        ],
        LEAD,
      );
      expect(added.code, added.stderr).toBe(0);
    }
  });
  afterAll(() => cleanup());

  it('`custodian --help | head -1` ends quietly: exit 0 and no stack trace', async () => {
    const result = await intoClosedPipe(['--help']);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, signal: null });
  });

  it('`custodian account list VAULT | head` ends quietly and still locks the vault behind it', async () => {
    const result = await intoClosedPipe(['account', 'list', vault], LEAD);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, signal: null });
    // The session ended normally (its lock entry written, the writer lock released): the next
    // command opens the vault at once.
    const next = await custodian(['account', 'list', vault], LEAD);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout.trim().split('\n')).toHaveLength(3);
  });
});
