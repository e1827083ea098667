import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, custodian, custodianProcess, FAST_KDF } from '../helpers/cli.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };
const SECURITY = { CUSTODIAN_USER: 'Sam Security', CUSTODIAN_PASSPHRASE: 'security passphrase' };

/**
 * The CLI tests run commands in their own process through runCli (tests/helpers/cli.ts). These
 * are the few that need the real `custodian` binary in a process of its own, each saying why.
 * Elsewhere: the writer lock between processes (concurrency.test.ts), a reader closing the pipe
 * (cli-closed-pipe.test.ts), progress on a real terminal (import-cli.test.ts) and kill -9
 * (tests/faults/crash.test.ts).
 */
describe('the real custodian binary', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = vaultLocation(`${dir}/team.vault`);
    // The set-up needs no process of its own.
    expect((await custodian(['init', vault, ...FAST_KDF], LEAD)).code).toBe(0);
    const added = await custodian(
      ['member', 'add', vault, '--name', 'Sam Security', '--role', 'security'],
      { ...LEAD, CUSTODIAN_NEW_PASSPHRASE: SECURITY.CUSTODIAN_PASSPHRASE },
    );
    expect(added.code, added.stderr).toBe(0);
    writeFileSync(`${dir}/pw`, 'Initial-Password-42\n');
    const account = await custodian(
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
        'norfolk-login',
        '--password-file',
        `${dir}/pw`,
      ],
      LEAD,
    );
    expect(account.code, account.stderr).toBe(0);
  });
  afterAll(() => cleanup());

  // A process's exit status is what a script sees: only the binary shows that main.ts hands
  // runCli's code to the process, and that nothing (an unhandled rejection, a stray listener)
  // changes it on the way out.
  it('exits 0, 1 (usage), 4 (not permitted) and 5 (wrong passphrase), with one line and no stack', async () => {
    const ok = await custodianProcess(['account', 'list', vault], LEAD);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/\tx:NorfolkPolice\t/);

    const usage = await custodianProcess(['account', 'list'], LEAD);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/missing required argument 'vault'/);

    const refused = await custodianProcess(
      ['reveal', vault, 'x:NorfolkPolice', '--reason', 'check'],
      SECURITY,
    );
    expect(refused.code).toBe(4);
    expect(refused.stdout).toBe('');

    const before = readFileSync(vault);
    const wrong = await custodianProcess(['account', 'list', vault], {
      ...LEAD,
      CUSTODIAN_PASSPHRASE: 'not the passphrase',
    });
    expect(wrong.code).toBe(5);
    for (const result of [refused, wrong]) {
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(vault).equals(before)).toBe(true);
  });

  // Only a real terminal has raw mode and echo, and only a process can be given one: `script`
  // runs the binary on a pseudo-terminal, and the passphrase is typed once the prompt shows.
  it('on a terminal, asks for the passphrase without echoing it, ignoring the environment', async () => {
    const result = await onTerminal(['account', 'list', vault], 'lead passphrase one', {
      CUSTODIAN_USER: 'Lena Lead',
      CUSTODIAN_PASSPHRASE: 'not used on a terminal',
    });
    expect(result.code, result.screen).toBe(0);
    expect(result.screen).toContain('Passphrase for Lena Lead: ');
    expect(result.screen).toMatch(/\tx:NorfolkPolice\t/);
    expect(result.screen).not.toContain('lead passphrase one');
  });
});

/**
 * Run the binary on a pseudo-terminal (util-linux `script`) and type `typed` once the passphrase
 * prompt is on the screen, as a person would. `screen` is everything the terminal showed.
 */
function onTerminal(
  args: readonly string[],
  typed: string,
  env: Record<string, string>,
): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, CLI, ...args].map((arg) => `'${arg}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let asked = false;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      if (!asked && screen.includes('Passphrase for')) {
        asked = true;
        child.stdin.write(`${typed}\r`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen }));
  });
}
