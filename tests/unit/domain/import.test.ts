import { sqliteFileOf } from '../../../electron/vault/store/connection.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import {
  listAccounts,
  openAccountProfile,
  resolveAccount,
} from '../../../electron/vault/domain/accounts.ts';
import { generatedPasswordStrength } from '../../../electron/vault/domain/generator.ts';
import { passwordStrength } from '../../../electron/vault/domain/strength.ts';
import { revealPassword } from '../../../electron/vault/domain/reveal.ts';
import {
  IMPORT_LIMITS,
  importAccounts,
  importAccountsReport,
  type ImportRowResult,
} from '../../../electron/vault/domain/import.ts';
import { VaultError } from '../../../electron/vault/errors.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { newVault, tempDir } from '../../helpers/vault.ts';

// created_on last: 9.5 / 9.16 accept the legacy flag only with a creation date before 2017.
const HEADER =
  'platform,handle,force,unit_type,unit,username,password,two_factor,legacy,created_on';
const GOOD = [
  'x,NorfolkRoads,norfolk,team,Roads Policing,roads,Roads-Pass-1,authenticator-app,,',
  'facebook,"Suffolk, Lowestoft",suffolk,district,"Lowestoft, North",lowestoft,Lowestoft-Pass-2,sms,,',
  'x,PCSmith,norfolk,individual,PC Smith,pcsmith,Smith-Pass-1,,yes,2014-05-01',
];
const BLANK_PASSWORD = 'tiktok,SuffolkTikTok,suffolk,department,Corporate Communications,tt,,,,';

const csvOf = (...rows: string[]) => [HEADER, ...rows].join('\n');
const numbered = (count: number, from = 0) =>
  Array.from(
    { length: count },
    (_, i) => `x,Bulk${from + i},norfolk,team,Bulk Team,bulk${from + i},Bulk-Pass-${from + i}-x,,,`,
  );

function auditKinds(session: VaultSession): string[] {
  return session.db
    .prepare('SELECT kind FROM audit_entries ORDER BY seq')
    .pluck()
    .all() as string[];
}

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

  it('9.5, 9.16: a row marked legacy that is not individual, or created in 2017 or later, is an error for that row', async () => {
    const report = await importAccountsReport(
      session,
      csvOf(
        'x,PCLate,norfolk,individual,PC Late,late,Late-Pass-1,,yes,2018-02-01',
        'x,TeamOld,norfolk,team,Team,team,Team-Pass-1,,yes,2012-02-01',
      ),
      { mode: 'dry-run' },
    );
    expect(report.rows.map((r) => r.message)).toEqual([
      expect.stringMatching(/2018-02-01 is not legacy.*9\.5, 9\.16/),
      expect.stringMatching(/not individual/),
    ]);
  });

  it('a dry run reports every row and writes nothing', async () => {
    const report = await importAccountsReport(session, csvOf(...GOOD), { mode: 'dry-run' });
    expect(report.written).toBe(0);
    expect(report.rows.map((r) => [r.line, r.label, r.status, r.message])).toEqual([
      [2, 'x:NorfolkRoads', 'ready', null],
      [3, 'facebook:Suffolk, Lowestoft', 'ready', null],
      [4, 'x:PCSmith', 'ready', null],
    ]);
    expect(listAccounts(session)).toEqual([]);
  });

  it('writes every row when all are valid, quoted commas included', async () => {
    const report = await importAccountsReport(session, csvOf(...GOOD).replaceAll('\n', '\r\n'));
    expect(report.written).toBe(3);
    expect(report.rows.map((r) => r.status)).toEqual(['imported', 'imported', 'imported']);
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
  });

  it('a password of spaces alone is a blank password, an error for that row (9.8)', async () => {
    const spaces = 'x,SpacesOnly,norfolk,team,Roads Policing,sp,"   ",,,';
    const report = await importAccountsReport(session, csvOf(spaces), { mode: 'dry-run' });
    expect(report.rows).toEqual([
      expect.objectContaining({
        label: 'x:SpacesOnly',
        status: 'invalid',
        message: expect.stringMatching(/no password.*9\.8/),
      }),
    ]);
  });

  it('a row without a password is an error for that row, not a made-up password (9.8)', async () => {
    const report = await importAccountsReport(session, csvOf(GOOD[0]!, BLANK_PASSWORD));
    expect(report.written).toBe(0);
    expect(report.rows).toEqual([
      expect.objectContaining({
        line: 3,
        label: 'tiktok:SuffolkTikTok',
        status: 'invalid',
        passwordGenerated: false,
        message: expect.stringMatching(/no password.*real password.*9\.8/),
      }),
    ]);
    expect(listAccounts(session)).toEqual([]);
    const valid = await importAccountsReport(session, csvOf(GOOD[0]!, BLANK_PASSWORD), {
      mode: 'valid',
    });
    expect(valid.written).toBe(1);
    expect(listAccounts(session).map((a) => a.handle)).toEqual(['NorfolkRoads']);
  });

  it('a password is generated only when asked, and the row says to set it on the platform (9.8)', async () => {
    const dry = await importAccountsReport(session, csvOf(BLANK_PASSWORD), {
      mode: 'dry-run',
      generateMissing: true,
    });
    expect(dry.rows[0]).toMatchObject({ status: 'ready', passwordGenerated: true });
    const report = await importAccountsReport(session, csvOf(GOOD[0]!, BLANK_PASSWORD), {
      generateMissing: true,
    });
    expect(report.rows[1]).toMatchObject({
      status: 'imported',
      passwordGenerated: true,
      message: expect.stringMatching(/change the password on the platform to it.*9\.8/),
    });
    expect(report.rows[0]).toMatchObject({ passwordGenerated: false, message: null });
    expect(revealPassword(session, 'tiktok:SuffolkTikTok', 'set it').expose()).toHaveLength(24);
    expect(revealPassword(session, 'x:NorfolkRoads', 'check').expose()).toBe('Roads-Pass-1');
    // A generated password's strength is its entropy's (issue 17); a given one is zxcvbn's.
    const strength = (ref: string) =>
      openAccountProfile(session, resolveAccount(session, ref)).passwordCheck?.strength;
    expect(strength('tiktok:SuffolkTikTok')).toBe(generatedPasswordStrength().score);
    expect(strength('x:NorfolkRoads')).toBe(
      passwordStrength('Roads-Pass-1', ['NorfolkRoads', 'Roads Policing']),
    );
  });

  it('writes nothing if any row is invalid, unless asked to write the valid ones', async () => {
    const rows = [
      ...GOOD,
      'myspace,Old,norfolk,team,Old Team,old,Old-Pass-1,,,',
      'x,NorfolkRoads,norfolk,team,Roads Policing,roads2,Other-Pass-1,,,',
      'x,NewIndividual,norfolk,individual,PC New,pcnew,New-Pass-1,,,',
      'x,BadTwoFactor,norfolk,team,T,u,Bad-Pass-1,nfc,,',
    ];
    const report = await importAccountsReport(session, csvOf(...rows));
    expect(report.written).toBe(0);
    expect(report.rows.map((r) => [r.line, r.message])).toEqual([
      [5, expect.stringMatching(/^platform: /)],
      [6, 'appears twice in the file (first on line 2)'],
      [7, expect.stringMatching(/legacy.*9\.5/)],
      [8, expect.stringMatching(/^twoFactor: /)],
    ]);
    expect(listAccounts(session)).toEqual([]);
    expect((await importAccountsReport(session, csvOf(...rows), { mode: 'valid' })).written).toBe(
      3,
    );
  });

  it('an account already registered is skipped, not an error, so a re-run finishes the rest', async () => {
    await importAccounts(session, csvOf(GOOD[0]!));
    const report = await importAccountsReport(session, csvOf(...GOOD));
    expect(report).toMatchObject({ written: 2, skipped: 1, invalid: 0 });
    expect(report.rows[0]).toMatchObject({
      status: 'skipped',
      message: expect.stringMatching(/already registered/),
    });
    expect(revealPassword(session, 'x:NorfolkRoads', 'unchanged').expose()).toBe('Roads-Pass-1');
  });

  it('a CSV without a required column is refused outright, naming the column', async () => {
    await expect(
      importAccounts(session, 'platform,handle,force,unit\nx,a,norfolk,U'),
    ).rejects.toThrow(
      expect.objectContaining({
        code: ErrorCode.INVALID_INPUT,
        message: expect.stringMatching(/missing the columns unit_type, username/),
      }),
    );
  });

  it('a row with more values than the header is an error for that row (a comma needs quotes)', async () => {
    const report = await importAccountsReport(
      session,
      csvOf('x,Commas,norfolk,team,Roads, Policing,roads,Pass-1,,,'),
      { mode: 'dry-run' },
    );
    expect(report.rows[0]).toMatchObject({
      status: 'invalid',
      message: expect.stringMatching(/more values than the header.*double quotes/),
    });
  });

  describe('limits (issue 11)', () => {
    it('an oversized field gets a short error that echoes neither the field nor the password', async () => {
      const huge = 'H'.repeat(5 * 1024 * 1024);
      const secret = 'Very-Secret-Pass-77';
      const report = await importAccountsReport(
        session,
        [HEADER, `x,${huge},norfolk,team,Roads,roads,${secret},,,`].join('\n'),
        { mode: 'dry-run' },
      );
      const [row] = report.rows;
      expect(row).toMatchObject({ status: 'invalid' });
      const shown = JSON.stringify(row);
      expect(shown.length).toBeLessThan(400);
      expect(shown).not.toContain(secret);
      expect(shown).not.toMatch(/H{100}/);
      expect(row!.message).toMatch(/handle.*5,242,880 characters.*at most/);
    });

    it('an oversized password is refused without a character of it in the message', async () => {
      const password = 'p'.repeat(IMPORT_LIMITS.fieldChars + 10);
      const report = await importAccountsReport(
        session,
        csvOf(`x,LongPass,norfolk,team,Roads,roads,${password},,,`),
        { mode: 'dry-run' },
      );
      expect(report.rows[0]!.message).toMatch(/password/);
      expect(JSON.stringify(report.rows)).not.toMatch(/p{20}/);
    });

    it('a file with more rows than an import takes is refused before anything is written', async () => {
      const csv = csvOf(...numbered(IMPORT_LIMITS.rows + 1));
      await expect(importAccounts(session, csv, { mode: 'valid' })).rejects.toThrow(
        expect.objectContaining({
          code: ErrorCode.INVALID_INPUT,
          message: expect.stringMatching(/more than 10,000 rows.*split.*nothing was written/i),
        }),
      );
      expect(listAccounts(session)).toEqual([]);
    });

    it('a text larger than an import takes is refused, saying the limit', async () => {
      const csv = HEADER + '\n' + ' '.repeat(IMPORT_LIMITS.fileBytes);
      await expect(importAccounts(session, csv)).rejects.toThrow(/larger than an import takes.*MB/);
    });

    it('an unknown column with a huge name is named briefly', async () => {
      const error = await importAccounts(session, `${HEADER},${'z'.repeat(100_000)}\n`).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VaultError);
      expect((error as VaultError).message.length).toBeLessThan(300);
    });
  });

  describe('in batches of transactions, with progress (issue 11)', () => {
    it('writes a batch a transaction, each with its own audit entries, reporting progress after each', async () => {
      const progress: [number, number][] = [];
      const results: ImportRowResult[] = [];
      const counts = await importAccounts(session, csvOf(...numbered(5)), {
        batchRows: 2,
        onRow: (row) => results.push(row),
        onProgress: (done, total) => void progress.push([done, total]),
      });
      expect(counts).toMatchObject({ total: 5, written: 5 });
      expect(progress).toEqual([
        [2, 5],
        [4, 5],
        [5, 5],
      ]);
      expect(results.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
      const kinds = auditKinds(session).filter((k) => k.startsWith('account'));
      expect(kinds).toEqual([
        'account.created',
        'account.created',
        'accounts.imported',
        'account.created',
        'account.created',
        'accounts.imported',
        'account.created',
        'accounts.imported',
      ]);
    });

    it('a lock between batches stops cleanly: earlier batches stay, the error says which lines, a re-run finishes', async () => {
      const csv = csvOf(...numbered(5));
      const stop = importAccounts(session, csv, {
        batchRows: 2,
        onProgress: (done) => {
          if (done === 4) throw new VaultError(ErrorCode.AUTH_FAILED, 'The vault locked.');
        },
      });
      await expect(stop).rejects.toThrow(
        expect.objectContaining({
          code: ErrorCode.AUTH_FAILED,
          message: expect.stringMatching(
            /^The vault locked\. Before that, 4 accounts on lines 2 to 5 were registered; nothing from line 6 on was\. Run the same import again/,
          ),
        }),
      );
      expect(listAccounts(session)).toHaveLength(4);
      const again = await importAccountsReport(session, csv);
      expect(again).toMatchObject({ written: 1, skipped: 4, invalid: 0 });
      expect(listAccounts(session)).toHaveLength(5);
    });

    it('a batch that fails to write leaves the earlier batches and says where it stopped', async () => {
      const stop = importAccounts(session, csvOf(...numbered(5)), {
        batchRows: 2,
        onProgress: (done) => {
          // A real failure of SQLite's own, for the next batch's inserts.
          if (done === 2)
            sqliteFileOf(session.db)!.exec(
              "CREATE TEMP TRIGGER no_more BEFORE INSERT ON accounts BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
            );
        },
      });
      await expect(stop).rejects.toThrow(
        /2 accounts on lines 2 to 3 were registered; nothing from line 4 on was/,
      );
      sqliteFileOf(session.db)!.exec('DROP TRIGGER temp.no_more');
      expect(listAccounts(session).map((a) => a.handle)).toEqual(['Bulk0', 'Bulk1']);
      expect(auditKinds(session).filter((k) => k === 'accounts.imported')).toHaveLength(1);
    });
  });
});
