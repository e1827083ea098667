import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { listAccounts } from '../../../electron/vault/domain/accounts.ts';
import { revealPassword } from '../../../electron/vault/domain/credentials.ts';
import { importAccounts } from '../../../electron/vault/domain/import.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { newVault, tempDir } from '../../helpers/vault.ts';

// created_on last: 9.5 / 9.16 accept the legacy flag only with a creation date before 2017.
const HEADER =
  'platform,handle,force,unit_type,unit,username,password,two_factor,legacy,created_on';
const GOOD = [
  'x,NorfolkRoads,norfolk,team,Roads Policing,roads,Roads-Pass-1,authenticator-app,',
  'facebook,"Suffolk, Lowestoft",suffolk,district,"Lowestoft, North",lowestoft,,sms,',
  'x,PCSmith,norfolk,individual,PC Smith,pcsmith,Smith-Pass-1,,yes,2014-05-01',
];

describe('bulk registration from CSV (9.8)', () => {
  let cleanup: () => void;
  let session: VaultSession;
  beforeEach(async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    session = await newVault(`${temp.dir}/import.vault`);
  });
  afterEach(() => {
    session.close();
    cleanup();
  });

  it('a dry run reports every row and writes nothing', () => {
    const report = importAccounts(session, [HEADER, ...GOOD].join('\n'), { dryRun: true });
    expect(report.written).toBe(0);
    expect(report.rows.map((r) => [r.line, r.label, r.error, r.passwordGenerated])).toEqual([
      [2, 'x:NorfolkRoads', null, false],
      [3, 'facebook:Suffolk, Lowestoft', null, true],
      [4, 'x:PCSmith', null, false],
    ]);
    expect(listAccounts(session)).toEqual([]);
  });

  it('writes every row when all are valid, quoted commas and generated passwords included', () => {
    expect(importAccounts(session, [HEADER, ...GOOD].join('\r\n')).written).toBe(3);
    expect(
      listAccounts(session).map((a) => [
        a.handle,
        a.unitName,
        a.twoFactor ?? null,
        a.legacy ?? false,
      ]),
    ).toEqual([
      ['NorfolkRoads', 'Roads Policing', 'authenticator-app', false],
      ['Suffolk, Lowestoft', 'Lowestoft, North', 'sms', false],
      ['PCSmith', 'PC Smith', null, true],
    ]);
    expect(revealPassword(session, 'x:NorfolkRoads', 'import check').expose()).toBe('Roads-Pass-1');
    expect(
      revealPassword(session, 'facebook:Suffolk, Lowestoft', 'import check').expose(),
    ).toHaveLength(24);
  });

  it('writes nothing if any row is invalid, unless asked to write the valid ones', () => {
    const rows = [
      ...GOOD,
      'myspace,Old,norfolk,team,Old Team,old,,,',
      'x,NorfolkRoads,norfolk,team,Roads Policing,roads2,,,',
      'x,NewIndividual,norfolk,individual,PC New,pcnew,,,',
      'x,BadDate,norfolk,team,T,u,,,',
    ];
    const csv = [HEADER, ...rows]
      .join('\n')
      .replace('x,BadDate,norfolk,team,T,u,,,', 'x,BadDate,norfolk,team,T,u,,nfc,');
    const report = importAccounts(session, csv);
    expect(report.written).toBe(0);
    expect(report.rows.filter((r) => r.error).map((r) => [r.line, r.error])).toEqual([
      [5, expect.stringMatching(/^platform: /)],
      [6, 'appears twice in the file'],
      [7, expect.stringMatching(/legacy.*9\.5/)],
      [8, expect.stringMatching(/^twoFactor: /)],
    ]);
    expect(listAccounts(session)).toEqual([]);
    expect(importAccounts(session, csv, { writeValid: true }).written).toBe(3);
    expect(importAccounts(session, [HEADER, GOOD[0]].join('\n')).rows[0]?.error).toBe(
      'already registered',
    );
  });

  it('9.5, 9.16: a row marked legacy that is not individual, or created in 2017 or later, is an error for that row', () => {
    const report = importAccounts(
      session,
      [
        HEADER,
        'x,PCLate,norfolk,individual,PC Late,late,Late-Pass-1,,yes,2018-02-01',
        'x,TeamOld,norfolk,team,Team,team,Team-Pass-1,,yes,2012-02-01',
      ].join('\n'),
      { dryRun: true },
    );
    expect(report.rows.map((r) => r.error)).toEqual([
      expect.stringMatching(/2018-02-01 is not legacy.*9\.5, 9\.16/),
      expect.stringMatching(/not individual/),
    ]);
  });

  it('a CSV without a required column is refused outright, naming the column', () => {
    expect(() => importAccounts(session, 'platform,handle,force,unit\nx,a,norfolk,U')).toThrow(
      expect.objectContaining({
        code: ErrorCode.INVALID_INPUT,
        message: expect.stringMatching(/missing the columns unit_type, username/),
      }),
    );
  });
});
