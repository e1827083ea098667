import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, FAST_KDF, type CliResult } from '../helpers/cli.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };

/** The registry through the real command (issue 3): each clause exercised once from the CLI. */
describe('the registry from the command line', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  const run = async (...args: string[]): Promise<CliResult> => {
    const result = await custodian(
      args.map((a) => a.replace('VAULT', vault)),
      LEAD,
    );
    expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  };
  const refused = async (...args: string[]): Promise<CliResult> => {
    const result = await custodian(
      args.map((a) => a.replace('VAULT', vault)),
      LEAD,
    );
    expect(result.code, args.join(' ')).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    return result;
  };
  const json = async (...args: string[]): Promise<unknown> =>
    JSON.parse((await run(...args, '--json')).stdout);

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = vaultLocation(`${dir}/registry.vault`);
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
    await run(
      'person',
      'add',
      'VAULT',
      '--name',
      'Kay Patel',
      '--staff-no',
      'C1234',
      '--masterclass',
      '2025-01-10',
    );
  });
  afterAll(() => cleanup());

  it('9.1-9.7: request, approvals, a refused individual request (9.5), set-up only once approved (9.6, 9.7)', async () => {
    const request = [
      'request',
      'add',
      'VAULT',
      '--platform',
      'instagram',
      '--handle',
      'NorfolkRural',
      '--force',
      'norfolk',
      '--unit-type',
      'team',
      '--unit',
      'Rural Crime',
      '--requester',
      'Kay Patel',
      '--purpose',
      'Rural crime',
      '--aims',
      'Reach farmers',
    ];
    const id = (await run(...request)).stdout.trim();
    const individual = await refused(...request.map((a) => (a === 'team' ? 'individual' : a)));
    expect(individual.stderr).toMatch(/9\.5/);
    await refused('request', 'approve', 'VAULT', id, '--approver', 'dml', '--by', 'Lena Lead');
    await run(
      'request',
      'approve',
      'VAULT',
      id,
      '--approver',
      'line-manager',
      '--by',
      'Max Manager',
    );
    await run(
      'request',
      'approve',
      'VAULT',
      id,
      '--approver',
      'head-of-department',
      '--by',
      'Supt Head',
    );
    expect(
      (await run('request', 'approve', 'VAULT', id, '--approver', 'dml', '--by', 'Lena Lead'))
        .stdout,
    ).toMatch(/approved/);
    await run('request', 'setup', 'VAULT', id, '--username', 'rural', '--generate');
    expect(await json('account', 'show', 'VAULT', 'instagram:NorfolkRural')).toMatchObject({
      status: 'active',
      purpose: 'Rural crime',
    });
  });

  it('9.2 / 9.5 / 9.6: `account set --status active` on a requested account is refused, citing the clauses; 9.8: a registered account has its approvals recorded later', async () => {
    const id = (
      await run(
        'request',
        'add',
        'VAULT',
        '--platform',
        'tiktok',
        '--handle',
        'NorfolkYouth',
        '--force',
        'norfolk',
        '--unit-type',
        'team',
        '--unit',
        'Youth Engagement',
        '--requester',
        'Kay Patel',
        '--purpose',
        'Youth',
        '--aims',
        'Reach',
      )
    ).stdout.trim();
    const skipped = await refused('account', 'set', 'VAULT', id, '--status', 'active');
    expect(skipped.stderr).toMatch(/request approve.*request setup.*policy 9\.2, 9\.5, 9\.6/);
    expect(await json('account', 'show', 'VAULT', id)).toMatchObject({ status: 'requested' });
    for (const [approver, by] of [
      ['line-manager', 'Insp Line'],
      ['head-of-department', 'Supt Head'],
      ['dml', 'Lena Lead'],
    ] as const) {
      await run(
        'request',
        'approve',
        'VAULT',
        'x:NorfolkPolice',
        '--approver',
        approver,
        '--by',
        by,
      );
    }
    expect(await json('account', 'show', 'VAULT', 'x:NorfolkPolice')).toMatchObject({
      status: 'active',
      approvals: { digitalMediaLead: { by: 'Lena Lead' } },
    });
  });

  it('9.9 / 9.10 / 10.2: team changes, a rename, a rotation with people informed, all in the history', async () => {
    await run(
      'team',
      'add',
      'VAULT',
      'x:NorfolkPolice',
      '--person',
      'Kay Patel',
      '--on',
      '2026-01-02',
    );
    expect(
      (
        await run(
          'team',
          'remove',
          'VAULT',
          'x:NorfolkPolice',
          '--person',
          'Kay Patel',
          '--why',
          'left',
        )
      ).stdout,
    ).toMatch(/rotation due \(policy 10\.2\)/);
    expect(await json('account', 'show', 'VAULT', 'x:NorfolkPolice')).toMatchObject({
      rotationDueSince: expect.any(String),
    });
    await run(
      'rotate',
      'VAULT',
      'x:NorfolkPolice',
      '--reason',
      'security-risk',
      '--generate',
      '--informed',
      'Max Manager',
    );
    expect(await json('account', 'show', 'VAULT', 'x:NorfolkPolice')).toMatchObject({
      rotationDueSince: null,
    });
    await run('account', 'rename', 'VAULT', 'x:NorfolkPolice', '--handle', 'NorfolkConstab');
    const history = (await json('account', 'history', 'VAULT', 'x:NorfolkConstab')) as {
      at: string;
      kind: string;
      summary: string;
    }[];
    // In the order the trail recorded them (issue 11): the grant dated 2 January was recorded
    // after the registration, and says the date it took effect.
    expect(history.map((e) => e.kind)).toEqual([
      'registered',
      'access-granted',
      'access-revoked',
      'rotation',
      'renamed',
    ]);
    expect(history[1]?.summary).toMatch(/Kay Patel given access .*, from 2026-01-02$/);
    expect(history[1]?.at).toMatch(/T\d{2}:\d{2}/);
    expect(history.find((e) => e.kind === 'rotation')?.summary).toMatch(
      /security-risk.*informed Max Manager/,
    );
  });

  it('10.2: bad input exits 1 with one line naming it, and writes nothing', async () => {
    const before = readFileSync(vault);
    expect(
      (await refused('team', 'remove', 'VAULT', 'x:NorfolkConstab', '--person', 'Kay Patel'))
        .stderr,
    ).toMatch(/no current access/);
    expect(
      (await refused('team', 'add', 'VAULT', 'x:Nobody', '--person', 'Kay Patel')).stderr,
    ).toMatch(/No account "x:Nobody"/);
    expect(
      (
        await refused(
          'team',
          'add',
          'VAULT',
          'x:NorfolkConstab',
          '--person',
          'Kay Patel',
          '--on',
          '2026-1-5',
        )
      ).stderr,
    ).toMatch(/"2026-1-5".*YYYY-MM-DD/);
    expect(
      (await refused('team', 'add', 'VAULT', 'x:NorfolkConstab', '--person', 'Nobody Known'))
        .stderr,
    ).toMatch(/No person "Nobody Known"/);
    // Each refused command still unlocked and locked (audited), so compare the registry, not the bytes.
    expect(readFileSync(vault).length).toBeGreaterThanOrEqual(before.length);
    expect(((await json('team', 'list', 'VAULT', 'x:NorfolkConstab')) as unknown[]).length).toBe(1);
  });

  it('10.1 / 12.1: a lost device opens an incident that resolves after rotation and all three notifications', async () => {
    await run(
      'device',
      'add',
      'VAULT',
      '--owner',
      'Kay Patel',
      '--kind',
      'personal',
      '--label',
      'Kay phone',
      '--accounts',
      'x:NorfolkConstab',
      '--line-manager-record',
      '2026-01-05',
    );
    // Lost today: the rotation earlier today (previous test) may have come before the loss.
    const lost = await run('device', 'lost', 'VAULT', 'Kay phone');
    const [incident] = lost.stdout.split('\n');
    expect(lost.stdout).toMatch(/exposed: x:NorfolkConstab/);
    await run(
      'incident',
      'notify',
      'VAULT',
      incident!,
      '--party',
      'ict',
      '--at',
      // Lost today: told at the start of the day (UTC), with the ticket ICT gave (10.1).
      `${new Date().toISOString().slice(0, 10)}T00:00:00Z`,
      '--reference',
      'INC0048213',
    );
    await run('incident', 'notify', 'VAULT', incident!, '--party', 'infosec');
    expect((await run('incident', 'show', 'VAULT', incident!)).stdout).toMatch(
      /ict: .*\(ref INC0048213\)/,
    );
    // Told before the device was lost cannot be: refused, with what to enter instead.
    await refused(
      'incident',
      'notify',
      'VAULT',
      incident!,
      '--party',
      'corporate-comms',
      '--at',
      '2020-01-01T09:00:00Z',
    );
    expect(
      (await run('incident', 'notify', 'VAULT', 'Kay phone', '--party', 'corporate-comms')).stdout,
    ).not.toMatch(/resolved/);
    expect(await json('incident', 'show', 'VAULT', incident!)).toMatchObject({
      resolvedAt: null,
      awaitingRotation: ['x:NorfolkConstab'],
    });
    await run('rotate', 'VAULT', 'x:NorfolkConstab', '--reason', 'lost-device', '--generate');
    expect(await json('incident', 'show', 'VAULT', incident!)).toMatchObject({
      resolvedAt: expect.any(String),
      awaitingRotation: [],
    });
    await refused('incident', 'notify', 'VAULT', incident!, '--party', 'ict', '--at', 'yesterday');
  });

  it('9.11 / 9.13 / 11.1 / 6.6: activity, training, a quiet period and a closure', async () => {
    await run('account', 'activity', 'VAULT', 'x:NorfolkConstab', '--on', '2026-06-01');
    await refused('account', 'activity', 'VAULT', 'x:NorfolkConstab', '--on', '2026-02-30');
    await run('person', 'train', 'VAULT', 'Kay Patel', '--refresher', '2026-02-01');
    expect(await json('person', 'list', 'VAULT')).toEqual([
      expect.objectContaining({ name: 'Kay Patel', refresherOn: '2026-02-01' }),
    ]);
    const quiet = (
      await run(
        'quiet',
        'declare',
        'VAULT',
        '--all',
        '--authority',
        'Gold Commander',
        '--reason',
        'Major incident',
      )
    ).stdout.trim();
    expect((await run('quiet', 'list', 'VAULT')).stdout).toMatch(
      /IN FORCE\tGold Commander\tall accounts/,
    );
    expect(await json('account', 'show', 'VAULT', 'x:NorfolkConstab')).toMatchObject({
      doNotPost: [expect.stringMatching(/DO NOT POST: quiet period ordered by Gold Commander/)],
    });
    // 6.6: a reveal under the quiet period says "do not post" on stderr; the password alone on stdout.
    const reveal = await run('reveal', 'VAULT', 'x:NorfolkConstab', '--reason', 'checking login');
    expect(reveal.stderr).toMatch(/Do not post: quiet period ordered by Gold Commander/);
    expect(reveal.stdout.trimEnd().split('\n')).toHaveLength(1);
    const unexplained = await refused('quiet', 'end', 'VAULT', quiet);
    expect(unexplained.stderr).toMatch(/--authority/);
    await run(
      'quiet',
      'end',
      'VAULT',
      quiet,
      '--authority',
      'Gold Commander',
      '--reason',
      'Stood down',
    );
    expect((await run('quiet', 'list', 'VAULT')).stdout).toMatch(/ended\tGold Commander/);
    const after = await run('reveal', 'VAULT', 'x:NorfolkConstab', '--reason', 'checking login');
    expect(after.stderr).not.toMatch(/Do not post/);
    expect(
      (
        await run(
          'account',
          'close',
          'VAULT',
          'instagram:NorfolkRural',
          '--consulted-on',
          '2026-07-01',
        )
      ).stdout,
    ).toMatch(/9\.11/);
    await run(
      'account',
      'close',
      'VAULT',
      'instagram:NorfolkRural',
      '--consulted-on',
      '2026-07-01',
      '--notice-on',
      '2026-07-05',
      '--alternative',
      'x:NorfolkConstab',
    );
    expect(await json('account', 'show', 'VAULT', 'instagram:NorfolkRural')).toMatchObject({
      status: 'closed',
    });
  });

  it('9.12 / 9.16 / 12.1: a hand-over names who continues; a legacy account carries its flag; a personal device its record', async () => {
    await run(
      'account',
      'add',
      'VAULT',
      '--platform',
      'x',
      '--handle',
      'SgtLegacy',
      '--force',
      'suffolk',
      '--unit-type',
      'individual',
      '--unit',
      'Sgt Legacy',
      '--username',
      'sgt',
      '--generate',
    );
    expect((await refused('account', 'set', 'VAULT', 'x:SgtLegacy', '--legacy')).stderr).toMatch(
      /9\.5, 9\.16.*--created-on/,
    );
    await run(
      'account',
      'set',
      'VAULT',
      'x:SgtLegacy',
      '--legacy',
      '--created-on',
      '2014-06-01',
      '--exemption',
      'Pre-2017 individual account',
    );
    expect(await json('account', 'show', 'VAULT', 'x:SgtLegacy')).toMatchObject({
      legacy: true,
      createdOn: '2014-06-01',
      approvals: { exemption: 'Pre-2017 individual account' },
    });
    await run(
      'account',
      'close',
      'VAULT',
      'x:SgtLegacy',
      '--consulted-on',
      '2026-08-01',
      '--continued-by',
      'Kay Patel',
    );
    expect(await json('account', 'show', 'VAULT', 'x:SgtLegacy')).toMatchObject({
      status: 'active',
      closure: { consultedOn: '2026-08-01' },
    });
    const devices = (await json('device', 'list', 'VAULT')) as {
      kind: string;
      lineManagerRecordOn?: string;
    }[];
    expect(devices).toContainEqual(
      expect.objectContaining({ kind: 'personal', lineManagerRecordOn: '2026-01-05' }),
    );
  });

  it('9.8: CSV import dry-runs, refuses a file with a missing column, then writes', async () => {
    const file = `${dir}/accounts.csv`;
    writeFileSync(
      file,
      'platform,handle,force,unit_type,unit,username,password\nfacebook,SuffolkRoads,suffolk,team,Roads,roads,Roads-Pass-1\nx,Bad,nowhere,team,U,u,Bad-Pass-1\n',
    );
    const dry = await custodian(['account', 'import', vault, file, '--dry-run'], LEAD);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(
      /line 2\tfacebook:SuffolkRoads\tready\nline 3\tx:Bad\tforce: .*\nDry run, nothing written: 1 of 2 entries would be registered, 0 already registered \(skipped\), 1 refused \(above\)\./,
    );
    writeFileSync(`${dir}/missing.csv`, 'platform,handle\nx,a\n');
    expect((await refused('account', 'import', 'VAULT', `${dir}/missing.csv`)).stderr).toMatch(
      /missing the columns force, unit_type, unit, username/,
    );
    expect(
      (await custodian(['account', 'import', vault, file, '--write-valid'], LEAD)).stdout,
    ).toMatch(/1 account\(s\) written/);
  });

  it('9.8: a TOTP secret and recovery codes are registered; the code is printed on request', async () => {
    writeFileSync(`${dir}/totp`, 'JBSW Y3DP EHPK 3PXP\n');
    writeFileSync(`${dir}/codes`, 'aaaa-1111\nbbbb-2222\n');
    await run(
      'credential',
      'set',
      'VAULT',
      'x:NorfolkConstab',
      '--totp-secret-file',
      `${dir}/totp`,
      '--recovery-codes-file',
      `${dir}/codes`,
    );
    expect((await run('totp', 'VAULT', 'x:NorfolkConstab', '--reason', 'posting')).stdout).toMatch(
      /^\d{6}\n$/,
    );
    expect(
      (
        await custodian(['totp', vault, 'x:NorfolkConstab', '--reason', 'x'], {
          CUSTODIAN_USER: 'Nobody',
          CUSTODIAN_PASSPHRASE: 'x',
        })
      ).code,
    ).toBe(5);
  });

  it('12.1: `device edit` records and clears the line manager record; `device retire` needs a reason and is final', async () => {
    const id = (
      await run(
        'device',
        'add',
        'VAULT',
        '--owner',
        'Kay Patel',
        '--kind',
        'personal',
        '--label',
        'Kay tablet',
        '--accounts',
        'facebook:SuffolkRoads',
      )
    ).stdout.trim();
    const tablet = async () =>
      (
        (await json('device', 'list', 'VAULT')) as {
          id: string;
          lineManagerRecordOn?: string;
          retiredOn?: string;
        }[]
      ).find((d) => d.id === id);
    await run('device', 'edit', 'VAULT', 'Kay tablet', '--line-manager-record', '2026-03-04');
    expect(await tablet()).toMatchObject({ lineManagerRecordOn: '2026-03-04' });
    await run('device', 'edit', 'VAULT', 'Kay tablet', '--no-line-manager-record');
    expect((await tablet())?.lineManagerRecordOn).toBeUndefined();
    expect(
      (await refused('device', 'edit', 'VAULT', 'Kay tablet', '--label', 'Kay tablet')).stderr,
    ).toMatch(/Nothing to change/);
    expect(
      (await run('device', 'retire', 'VAULT', id, '--reason', 'returned to ICT')).stdout,
    ).toMatch(/^Kay tablet retired on \d{4}-\d{2}-\d{2}\.$/m);
    expect((await refused('device', 'lost', 'VAULT', id)).stderr).toMatch(
      /retired .* reaches no account/,
    );
  });

  it('the audit trail still verifies after all of it', async () => {
    expect((await run('audit', 'verify', 'VAULT')).stdout).toMatch(/^verified \d+ entries/);
  });
});
