import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodianProcess, type CliResult } from '../helpers/cli.ts';
import {
  CANARIES,
  CANARY_ACCOUNT,
  canariesIn,
  LEAD_ENV,
  leaks,
  runCliScenario,
  type ScenarioRun,
} from '../helpers/scenario.ts';
import { tempDir } from '../helpers/vault.ts';

/**
 * Issue 7, secrets: after every CLI flow, the error paths included, the secrets appear nowhere
 * but in the one output that is asked for them (reveal). Not in the vault or its side files, not
 * in any command's output or error, not in an export (JSON Lines, CSV, PDF, evidence), not in any
 * file the commands leave in the home folder (logs, crash reports). Personal strings (names,
 * staff numbers, notes) are sealed in the vault's files but may appear in exports, which are
 * made to name who did what.
 *
 * Real processes throughout: what a process writes to its own stderr outside the CLI's output
 * (a warning, a stack trace) and what it leaves in its home folder is only seen from outside it.
 */
const SECRETS = {
  password: CANARIES.password,
  rotated: CANARIES.rotated,
  username: CANARIES.username,
  totp: CANARIES.totp,
  recoveryCode: CANARIES.recoveryCode,
  recoveryEmail: CANARIES.recoveryEmail,
  leadPassphrase: LEAD_ENV.CUSTODIAN_PASSPHRASE,
  memberPassphrase: 'member passphrase one',
  wrongPassphrase: 'Wrong-Canary-Passphrase-4471',
  oversized: 'Oversized-Canary-Secret-9090',
};

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('secrets stay where they belong after every flow (issue 7)', () => {
  let dir: string;
  let cleanup: () => void;
  let home: string;
  const runs: ScenarioRun[] = [];
  let vault: string;

  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    home = join(dir, 'home');
    mkdirSync(home);
  });
  afterAll(() => cleanup());

  const run = async (
    args: string[],
    env: Record<string, string> = LEAD_ENV,
  ): Promise<CliResult> => {
    const result = await custodianProcess(args, { ...env, HOME: home });
    runs.push({ args, result });
    return result;
  };

  it('runs every flow, then the failing ones, then every export', async () => {
    const work = join(dir, 'work');
    const inputs = join(dir, 'inputs');
    ({ vault } = await runCliScenario(
      work,
      inputs,
      (done) => {
        runs.push(done);
        expect(done.result.code, done.result.stderr).toBe(0);
      },
      { HOME: home },
      custodianProcess,
    ));

    // Errors: each must refuse without repeating what it was given.
    expect(
      (
        await run(['account', 'list', vault], {
          ...LEAD_ENV,
          CUSTODIAN_PASSPHRASE: SECRETS.wrongPassphrase,
        })
      ).code,
    ).toBe(5);
    expect((await run(['reveal', vault, CANARY_ACCOUNT])).code).toBe(1);
    writeFileSync(join(inputs, 'same'), CANARIES.rotated);
    expect(
      (
        await run([
          'rotate',
          vault,
          CANARY_ACCOUNT,
          '--reason',
          'scheduled',
          '--password-file',
          join(inputs, 'same'),
        ])
      ).code,
    ).toBe(1);
    const huge = `${SECRETS.oversized}${'x'.repeat(5000)}`;
    expect((await run(['account', 'set', vault, CANARY_ACCOUNT, '--notes', huge])).code).toBe(1);
    writeFileSync(join(inputs, 'bad-totp'), `${SECRETS.oversized}!!`);
    expect(
      (
        await run([
          'credential',
          'set',
          vault,
          CANARY_ACCOUNT,
          '--totp-secret-file',
          join(inputs, 'bad-totp'),
        ])
      ).code,
    ).toBe(1);
    const flipped = join(dir, 'flipped.vault');
    copyFileSync(vault, flipped);
    const bytes = readFileSync(flipped);
    const at = bytes.lastIndexOf(Buffer.from('session.unlocked'));
    bytes[at + 1] = bytes[at + 1]! ^ 0x01;
    writeFileSync(flipped, bytes);
    // Checked as from another workstation: a copy opened here would become this workstation's
    // history, and the vault itself a fork of it (ADR 0024).
    const elsewhere = { ...LEAD_ENV, CUSTODIAN_CHECKPOINT_DIR: join(dir, 'another-workstation') };
    expect((await run(['audit', 'verify', flipped], elsewhere)).code).toBe(2);

    // Exports, every format, and a single entry's evidence.
    const exports = join(dir, 'exports');
    mkdirSync(exports);
    for (const format of ['jsonl', 'csv', 'pdf']) {
      const out = join(exports, `trail.${format}`);
      expect((await run(['audit', 'export', vault, '--format', format, '--out', out])).code).toBe(
        0,
      );
    }
    expect(
      (
        await run([
          'audit',
          'evidence',
          vault,
          '--seq',
          '3',
          '--out',
          join(exports, 'evidence.json'),
        ])
      ).code,
    ).toBe(0);
    expect((await run(['health', vault, '--json'])).code).toBe(0);
  }, 300_000);

  it('no secret in any output but the reveal, which does hold the password', () => {
    const reveal = runs.find((r) => r.args[0] === 'reveal' && r.result.code === 0);
    expect(reveal?.result.stdout.trim()).toBe(CANARIES.password);
    const found = runs
      .filter((r) => r !== reveal)
      .flatMap((r) =>
        canariesIn(Buffer.from(r.result.stdout + r.result.stderr), SECRETS).map(
          (what) => `${what} in the output of ${r.args.slice(0, 2).join(' ')}`,
        ),
      );
    expect(found).toEqual([]);
  });

  it('nothing distinctive in the vault, its write-ahead log, lock or failed-unlock files', () => {
    expect(leaks(join(dir, 'work'), [])).toEqual([]);
  });

  it('no secret in any export (the PDF read back as text too)', () => {
    const exports = join(dir, 'exports');
    const found = filesUnder(exports).flatMap((file) => {
      const text = file.endsWith('.pdf') ? execFileSync('pdftotext', [file, '-']).toString() : '';
      return canariesIn(Buffer.concat([readFileSync(file), Buffer.from(text)]), SECRETS).map(
        (what) => `${what} in ${file}`,
      );
    });
    expect(found).toEqual([]);
    // The exports are real: the trail names the account's events.
    expect(readFileSync(join(exports, 'trail.jsonl'), 'utf8')).toMatch(/credential\.revealed/);
  });

  it('no log or crash report anywhere in the home folder holds one', () => {
    const found = filesUnder(home).flatMap((file) =>
      canariesIn(readFileSync(file), SECRETS).map((what) => `${what} in ${file}`),
    );
    expect(found).toEqual([]);
  });
});
