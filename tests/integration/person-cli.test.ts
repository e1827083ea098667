import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVault } from '../../electron/vault/store/open-vault.ts';
import { custodian, FAST_KDF, type CliResult } from '../helpers/cli.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };

/** `person edit` and `person retire`: what the console's People view does, from the CLI. */
describe('correcting and retiring a person from the command line', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  const cli = (...args: string[]): Promise<CliResult> =>
    custodian(
      args.map((a) => a.replace('VAULT', vault)),
      LEAD,
    );
  const run = async (...args: string[]): Promise<CliResult> => {
    const result = await cli(...args);
    expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  };
  const person = async (name: string) =>
    (
      JSON.parse((await run('person', 'list', 'VAULT', '--json')).stdout) as {
        name: string;
        version: number;
        department?: string;
        staffNo?: string;
        retiredOn?: string;
        retireReason?: string;
      }[]
    ).find((p) => p.name === name);
  /** The kinds of the audit entries, oldest first: every change has its entry. */
  const kinds = () => {
    const db = openVault(vault, { create: false });
    try {
      return db.prepare('SELECT kind FROM audit_entries ORDER BY seq').pluck().all() as string[];
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = vaultLocation(`${dir}/people.vault`);
    await run('init', 'VAULT', ...FAST_KDF);
    await run(
      'account',
      'add',
      'VAULT',
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
      'comms',
      '--generate',
    );
    await run('person', 'add', 'VAULT', '--name', 'Kay Patle', '--staff-no', 'C1234');
  });
  afterAll(() => cleanup());

  it('person edit corrects the record on the version listed, audited; a stale version saves nothing', async () => {
    const before = await person('Kay Patle');
    expect((await run('person', 'list', 'VAULT')).stdout).toMatch(
      new RegExp(`\\tKay Patle\\t.*\\tversion ${before!.version}$`, 'm'),
    );
    const edited = await run(
      'person',
      'edit',
      'VAULT',
      'Kay Patle',
      '--name',
      'Kay Patel',
      '--department',
      'Roads Policing',
      '--expected-version',
      String(before!.version),
    );
    expect(edited.stdout.trim()).toBe("Kay Patel's record changed and recorded.");
    expect(await person('Kay Patel')).toMatchObject({
      department: 'Roads Policing',
      staffNo: 'C1234',
    });
    expect(kinds().filter((k) => k === 'person.updated')).toHaveLength(1);

    // The version the list showed before the correction: someone changed it since.
    const stale = await cli(
      'person',
      'edit',
      'VAULT',
      'Kay Patel',
      '--staff-no',
      'C9999',
      '--expected-version',
      String(before!.version),
    );
    expect(stale.code).toBe(6);
    expect((await person('Kay Patel'))!.staffNo).toBe('C1234');

    const nothing = await cli('person', 'edit', 'VAULT', 'Kay Patel');
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/Nothing to change; nothing was saved/);
  });

  it('person retire is refused while the person has access (10.2), then takes them off with the reason', async () => {
    await run('team', 'add', 'VAULT', 'x:NorfolkPolice', '--person', 'Kay Patel');
    const refused = await cli('person', 'retire', 'VAULT', 'Kay Patel', '--reason', 'Left');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /still has access to an account: remove it on each account first/,
    );
    expect((await person('Kay Patel'))!.retiredOn).toBeUndefined();

    await run('team', 'remove', 'VAULT', 'x:NorfolkPolice', '--person', 'Kay Patel');
    const retired = await run(
      'person',
      'retire',
      'VAULT',
      'Kay Patel',
      '--reason',
      'Left the force',
      '--on',
      '2026-11-30',
    );
    expect(retired.stdout.trim()).toBe(
      'Kay Patel retired from the register on 2026-11-30; their record and history are kept.',
    );
    expect(await person('Kay Patel')).toMatchObject({
      retiredOn: '2026-11-30',
      retireReason: 'Left the force',
    });
    expect(kinds().filter((k) => k === 'person.retired')).toHaveLength(1);
    expect((await run('person', 'list', 'VAULT')).stdout).toMatch(/\tretired 2026-11-30\t/);

    const again = await cli('person', 'retire', 'VAULT', 'Kay Patel', '--reason', 'Again');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already retired on 2026-11-30/);
    const noReason = await cli('person', 'retire', 'VAULT', 'Kay Patel');
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toMatch(/--reason/);
  });
});
