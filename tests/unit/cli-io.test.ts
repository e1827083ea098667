import { PassThrough, Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../electron/cli/io.ts';
import { runCli } from '../../electron/cli/run.ts';
import { capturingIo, custodian } from '../helpers/cli.ts';
import { newVault, PASSPHRASES, tempDir, vaultLocation } from '../helpers/vault.ts';

/**
 * The command line takes its environment and terminal from the Io it is given (electron/cli/io.ts),
 * never from the process around it: what lets the CLI tests run commands in their own process,
 * each as the member its own environment names.
 */
describe('the CLI reads the environment and terminal of its Io', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: PASSPHRASES.lead };
  const saved = {
    user: process.env['CUSTODIAN_USER'],
    passphrase: process.env['CUSTODIAN_PASSPHRASE'],
  };

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = vaultLocation(`${dir}/team.vault`);
    (await newVault(vault)).close();
  });
  afterEach(() => {
    if (saved.user === undefined) delete process.env['CUSTODIAN_USER'];
    else process.env['CUSTODIAN_USER'] = saved.user;
    if (saved.passphrase === undefined) delete process.env['CUSTODIAN_PASSPHRASE'];
    else process.env['CUSTODIAN_PASSPHRASE'] = saved.passphrase;
  });
  afterAll(() => cleanup());

  it("acts as the member and with the passphrase of the run's environment, not the process's", async () => {
    process.env['CUSTODIAN_USER'] = 'Lena Lead';
    process.env['CUSTODIAN_PASSPHRASE'] = PASSPHRASES.lead;
    const bare = await custodian(['member', 'list', vault], {});
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/Who is acting\? Pass --as NAME or set CUSTODIAN_USER/);

    process.env['CUSTODIAN_PASSPHRASE'] = 'not the passphrase';
    const listed = await custodian(['member', 'list', vault], LEAD);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^Lena Lead\tlead$/m);
  });

  it('a run keeps its own environment while another run starts beside it', async () => {
    // `member add` reads CUSTODIAN_NEW_PASSPHRASE only after the unlock it awaits, by which time
    // the second run has begun with an environment that has none: each must see its own.
    const [added, listed] = await Promise.all([
      custodian(['member', 'add', vault, '--name', 'Dev Dmt', '--role', 'dmt'], {
        ...LEAD,
        CUSTODIAN_NEW_PASSPHRASE: PASSPHRASES.dmt,
      }),
      custodian(['member', 'list', vault], LEAD),
    ]);
    expect(added.code, added.stderr).toBe(0);
    // 3 if it met the other run's writer lock for longer than it waits.
    expect([0, 3], listed.stderr).toContain(listed.code);
    const dev = await custodian(['member', 'list', vault], {
      CUSTODIAN_USER: 'Dev Dmt',
      CUSTODIAN_PASSPHRASE: PASSPHRASES.dmt,
    });
    expect(dev.stdout).toMatch(/^Dev Dmt\tdmt$/m);
  });

  it("on a terminal it asks for the passphrase on the Io's stderr, reads it from its stdin, and does not echo it", async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    let shown = '';
    const stderr = Object.assign(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          shown += chunk.toString();
          // Typed once the question is on the screen, as a person would.
          if (chunk.toString().includes('Passphrase for Lena Lead: '))
            setImmediate(() => stdin.write(`${PASSPHRASES.lead}\n`));
          done();
        },
      }),
      { isTTY: true },
    );
    const captured = capturingIo({ ...LEAD, CUSTODIAN_PASSPHRASE: 'not used on a terminal' });
    const io: Io = { ...captured.io, stdin, stderr };
    const outcome = await runCli(['member', 'list', vault], io);
    expect(outcome.code, captured.stderr()).toBe(0);
    expect(captured.stdout()).toMatch(/^Lena Lead\tlead$/m);
    expect(shown).toContain('Passphrase for Lena Lead: ');
    expect(shown).not.toContain(PASSPHRASES.lead);
  });
});
