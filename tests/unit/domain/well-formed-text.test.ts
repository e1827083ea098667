import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportAudit } from '../../../electron/vault/audit/export.ts';
import { verifyExport } from '../../../electron/vault/audit/verify-export.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { canonicalJson } from '../../../electron/vault/canonical-json.ts';
import { createAccount } from '../../../electron/vault/domain/account-creation.ts';
import { revealPassword } from '../../../electron/vault/domain/reveal.ts';
import { importAccountsReport } from '../../../electron/vault/domain/import.ts';
import { addPerson } from '../../../electron/vault/domain/people.ts';
import { declareQuietPeriod } from '../../../electron/vault/domain/quiet-periods.ts';
import { grantAccess } from '../../../electron/vault/domain/teams.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { auditStore } from '../../../electron/vault/store/audit-store.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

/** A lone high surrogate: a JavaScript string can hold it, but it is not Unicode text (RFC 8785 needs I-JSON). */
const BROKEN = 'broken \ud83d end';

describe('text that is not well-formed Unicode is refused (RFC 8785, I-JSON)', () => {
  it('canonical JSON refuses a lone surrogate anywhere in the value, in a key too, with a clear error', () => {
    for (const value of [
      BROKEN,
      { reason: BROKEN },
      { list: ['ok', 'end \udc00'] },
      { ['k\ud800']: 1 },
    ]) {
      expect(() => canonicalJson(value)).toThrow(
        expect.objectContaining({
          code: ErrorCode.INVALID_INPUT,
          message: expect.stringMatching(/not well-formed Unicode.*U\+D[89A-F][0-9A-F]{2}/),
        }),
      );
    }
    // A proper pair (an emoji) is well-formed and stays as it is.
    expect(canonicalJson({ reason: 'ok \ud83d\ude00' })).toBe('{"reason":"ok 😀"}');
  });

  describe('through the core services', () => {
    let cleanup: () => void;
    let path: string;
    let accounts: string[];
    let session: VaultSession;
    beforeEach(async () => {
      let dir: string;
      ({ dir, cleanup } = tempDir());
      path = `${dir}/t.vault`;
      ({ accounts } = await populatedVault(path));
      session = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    });
    afterEach(() => {
      session.close();
      cleanup();
    });

    const refusedClearly = (run: () => unknown) => {
      const before = auditStore.countEntries(session.db);
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({
        code: ErrorCode.INVALID_INPUT,
        message: expect.stringMatching(/not well-formed Unicode/),
      });
      expect(auditStore.countEntries(session.db)).toBe(before);
    };

    it('a reveal reason, a handle, a person, a quiet period and a team change holding a lone surrogate write nothing', () => {
      refusedClearly(() => revealPassword(session, accounts[0]!, BROKEN));
      refusedClearly(() =>
        createAccount(session, {
          platform: 'x',
          handle: `Norfolk\ud83d`,
          force: 'norfolk',
          unitType: 'team',
          unitName: 'Roads',
          username: 'roads',
          password: 'Roads-Password-1',
        }),
      );
      refusedClearly(() => addPerson(session, { name: BROKEN }));
      refusedClearly(() =>
        declareQuietPeriod(session, { accounts: 'all', authority: 'Gold', reason: BROKEN }),
      );
      addPerson(session, { name: 'Kay Patel' });
      refusedClearly(() =>
        grantAccess(session, { account: accounts[0]!, person: 'Kay Patel', why: BROKEN }),
      );
    });

    it('an imported CSV row holding a lone surrogate is an error for that row, naming it', async () => {
      const report = await importAccountsReport(
        session,
        `platform,handle,force,unit_type,unit,username,password\nx,Good1,norfolk,team,Roads,u1,Good-Password-11\nx,Bad\ud83d,norfolk,team,Roads,u2,Good-Password-22\n`,
        { mode: 'dry-run' },
      );
      expect(report.rows[0]?.message).toBeNull();
      expect(report.rows[1]?.message).toMatch(/handle.*not well-formed Unicode/);
    });

    it('the offline verifier says an entry holding a lone surrogate is not I-JSON, rather than failing with an error', async () => {
      revealPassword(session, accounts[0]!, 'a proper reason');
      const out = `${path}.jsonl`;
      await exportAudit(session, { format: 'jsonl', out });
      // As an older Custodian could have written it: the same reason with a lone surrogate.
      const edited = readFileSync(out, 'utf8').replace(
        'a proper reason',
        'a proper \\ud83d reason',
      );
      writeFileSync(`${out}.edited`, edited);
      expect(await verifyExport(`${out}.edited`)).toMatchObject({
        ok: false,
        where: expect.stringMatching(/entry #\d+/),
        problem: expect.stringMatching(/not well-formed Unicode/),
      });
    });

    it('a reason holding a control character is told which one, not that a reason is needed', () => {
      let error: unknown;
      try {
        revealPassword(session, accounts[0]!, 'ring the bell\u0007 now');
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({
        code: ErrorCode.INVALID_INPUT,
        message: expect.stringMatching(/control character U\+0007/),
      });
      expect((error as Error).message).not.toMatch(/needs a reason/);
    });
  });
});
