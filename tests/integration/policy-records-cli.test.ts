import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, FAST_KDF, type CliResult } from '../helpers/cli.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };
const ADMIN = { CUSTODIAN_USER: 'Ada Admin', CUSTODIAN_PASSPHRASE: 'ada admin passphrase three' };

/** The policy records of issue 15 through the real commands: 6.4, 3.4, 6.3 / 10.2. */
describe('complaints, trials and third-party apps from the command line', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  const exec = (env: Record<string, string>, args: string[]) =>
    custodian(
      args.map((a) => a.replace('VAULT', vault)),
      env,
    );
  const run = async (...args: string[]): Promise<CliResult> => {
    const result = await exec(LEAD, args);
    expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  };
  /** A refusal: its exit code and its one line. */
  const refused = async (code: number, env: Record<string, string>, ...args: string[]) => {
    const result = await exec(env, args);
    expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(code);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    return result.stderr;
  };
  const json = async <T>(...args: string[]): Promise<T> =>
    JSON.parse((await run(...args, '--json')).stdout) as T;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = vaultLocation(`${dir}/records.vault`);
    await run('init', 'VAULT', ...FAST_KDF);
    const added = await exec({ ...LEAD, CUSTODIAN_NEW_PASSPHRASE: ADMIN.CUSTODIAN_PASSPHRASE }, [
      'member',
      'add',
      'VAULT',
      '--name',
      'Ada Admin',
      '--role',
      'admin',
    ]);
    expect(added.code, added.stderr).toBe(0);
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
    await run('account', 'grant-admin', 'VAULT', 'x:NorfolkPolice', '--member', 'Ada Admin');
  });
  afterAll(() => cleanup());

  it('6.4: record, refer (line management first), outcome, close; the list shows each step', async () => {
    const id = (
      await run(
        'complaint',
        'record',
        'VAULT',
        'x:NorfolkPolice',
        '--kind',
        'breach',
        '--summary',
        'Password sent by text message',
        '--received',
        '2026-11-20',
      )
    ).stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect((await run('complaint', 'list', 'VAULT')).stdout).toContain('NOT REFERRED');
    expect(
      await refused(
        1,
        LEAD,
        'complaint',
        'refer',
        'VAULT',
        id,
        '--to',
        'professional-standards',
        '--on',
        '2026-11-21',
      ),
    ).toMatch(/line management first/);
    await run('complaint', 'refer', 'VAULT', id, '--to', 'line-management', '--on', '2026-11-21');
    expect((await run('complaint', 'list', 'VAULT')).stdout).toContain('1 open referral(s)');
    await run(
      'complaint',
      'outcome',
      'VAULT',
      id,
      '--from',
      'line-management',
      '--outcome',
      'Advice given',
      '--on',
      '2026-11-22',
    );
    await run('complaint', 'close', 'VAULT', id, '--outcome', 'Rotated and advised');
    const [closed] = await json<{ closedOn: string | null; outcome: string }[]>(
      'complaint',
      'list',
      'VAULT',
      '--account',
      'x:NorfolkPolice',
    );
    expect(closed).toMatchObject({ outcome: 'Rotated and advised', closedOn: expect.any(String) });
    // A usage error names the choices; nothing is written.
    expect(
      await refused(
        1,
        LEAD,
        'complaint',
        'refer',
        'VAULT',
        id,
        '--to',
        'press',
        '--on',
        '2026-11-21',
      ),
    ).toMatch(/line-management/);
  });

  it('3.4: a request the policy may not cover goes to the DCCs, whose decision is recorded', async () => {
    const id = (
      await run(
        'trial',
        'request',
        'VAULT',
        '--platform',
        'Bluesky',
        '--purpose',
        'Reach younger audiences',
        '--requested-by',
        'Insp. Reed',
        '--not-covered',
      )
    ).stdout.trim();
    expect(
      await refused(
        1,
        LEAD,
        'trial',
        'decide',
        'VAULT',
        id,
        '--decision',
        'approve',
        '--note',
        'ok',
      ),
    ).toMatch(/Deputy Chief Constables/);
    expect(
      (
        await run(
          'trial',
          'decide',
          'VAULT',
          id,
          '--decision',
          'escalate',
          '--note',
          'For the DCCs',
        )
      ).stdout,
    ).toMatch(/dcc-decision/);
    const today = new Date().toISOString().slice(0, 10);
    await run(
      'trial',
      'dcc-decision',
      'VAULT',
      id,
      '--decision',
      'approve',
      '--by',
      'DCC Smith',
      '--on',
      today,
      '--note',
      'Six months',
    );
    expect((await run('trial', 'list', 'VAULT')).stdout).toMatch(
      /Bluesky\tAPPROVED.*DCCs: approve \(DCC Smith/,
    );
    // A trial on a channel the forces already use is refused (3.3).
    expect(
      await refused(
        1,
        LEAD,
        'trial',
        'request',
        'VAULT',
        '--platform',
        'Twitter',
        '--purpose',
        'More',
        '--requested-by',
        'PC Lowe',
      ),
    ).toMatch(/already use/);
  });

  it('6.3: an app Corporate Communications added is not removed by the administrator (exit 4); the lead may', async () => {
    const id = (
      await run(
        'app',
        'add',
        'VAULT',
        'x:NorfolkPolice',
        '--name',
        'Orlo',
        '--added-by',
        'corporate-communications',
        '--added-by-name',
        'Corporate Communications',
        '--added-on',
        '2026-10-01',
        '--reaches',
        'publish,direct-messages',
      )
    ).stdout.trim();
    expect((await run('app', 'list', 'VAULT')).stdout).toContain('not to be deleted, 6.3');
    expect(await refused(4, ADMIN, 'app', 'remove', 'VAULT', id, '--reason', 'Not ours')).toMatch(
      /6\.3/,
    );
    await run('app', 'remove', 'VAULT', id, '--reason', 'Contract ended');
    const [app] = await json<{ removedOn: string | null }[]>('app', 'list', 'VAULT');
    expect(app!.removedOn).not.toBeNull();
    expect(
      await refused(
        1,
        LEAD,
        'app',
        'add',
        'VAULT',
        'x:NorfolkPolice',
        '--name',
        'Buffer',
        '--added-by',
        'account-team',
        '--added-by-name',
        'PC Lowe',
        '--added-on',
        '2026-10-01',
        '--reaches',
        'publish,mind-reading',
      ),
    ).toMatch(/mind-reading is not one of/);
  });
});
