import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { postgresUnavailable } from '../helpers/postgres-cluster.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { asOperator, operatorCluster } from './server-operator.ts';

/**
 * Review of ADR 0035 (issue 14): a write moves a table's digest by the rows its `WHERE` picks,
 * read before the write and again after it (`stateDigestStore.tracked`), and its checkpoint signs
 * the digest. On the server a write runs at READ COMMITTED, so each statement sees what others
 * committed before it began. `FOR UPDATE` on the rows read before cannot hold off a row that does
 * not exist yet, and the operator can make the write wait while they insert one:
 *
 * - their first connection locks the account's key wraps (`SELECT … FOR UPDATE`) and waits;
 * - a rotation re-wraps the account key: it deletes the account's wraps (and waits on that lock)
 *   and inserts the new ones;
 * - their second connection inserts a wrap of its own for the account (a holder of their choice,
 *   the sealed box copied from another row) and commits;
 * - the first lets go. The delete, whose snapshot is older than that insert, leaves the row; the
 *   read after the write sees it; the member's checkpoint signs it, and every later state check
 *   accepts a key wrap nobody in the team wrote (policy 10.2: who holds an account's key decides
 *   who reads it).
 *
 * (Here the write is held up by the operator's lock on the accounts table, which its insert's
 * foreign key check must share, while the operator's own insert skips that check:
 * `session_replication_role = replica`, which a superuser may set.)
 *
 * Now every write takes its state tables in SHARE ROW EXCLUSIVE mode with its log head (ADR 0039):
 * readers pass, and no one else changes a row of them until the write commits. The operator's
 * row lands before the write's state check, which refuses it, or after its commit, and the next
 * state check finds the row the signed state does not hold.
 */
const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)(
  unavailable ?? 'a server operator who inserts a row while a write waits on their lock',
  () => {
    const { freshVault } = operatorCluster();

    it('cannot have the row signed: the next state check refuses it', async () => {
      const { url, accounts } = await freshVault();
      const account = accounts[0]!;
      const outsider = await unlockAs(url, 'Sam Security', PASSPHRASES.security);
      const holder = outsider.member.id;
      outsider.close();
      const lead = await unlockAs(url, 'Lena Lead', PASSPHRASES.lead);

      // The operator's two connections, in a process of their own (the rotation below blocks
      // this thread while it waits on the server, as the console's does).
      const script = `
        const pg = require('pg');
        (async () => {
          const holding = new pg.Client({ connectionString: process.env.URL });
          const inserting = new pg.Client({ connectionString: process.env.URL });
          await holding.connect();
          await inserting.connect();
          await holding.query('BEGIN');
          await holding.query("LOCK TABLE accounts IN EXCLUSIVE MODE");
          await inserting.query("SET session_replication_role = replica");
          process.stdout.write('holding\\n');
          await new Promise((resolve) => setTimeout(resolve, 1500));
          await inserting.query(
            "INSERT INTO account_key_wraps (account_id, holder, key_id, team_generation, sealed_box) " +
            "SELECT account_id, $2, key_id, team_generation, sealed_box FROM account_key_wraps WHERE account_id = $1 LIMIT 1",
            [process.env.ACCOUNT, process.env.HOLDER]);
          process.stdout.write('inserted\\n');
          await new Promise((resolve) => setTimeout(resolve, 1500));
          await holding.query('COMMIT');
          await holding.end();
          await inserting.end();
        })().catch((error) => { process.stderr.write(String(error)); process.exit(1); });`;
      const operator = spawn(process.execPath, ['-e', script], {
        cwd: process.cwd(),
        env: { ...process.env, URL: url, ACCOUNT: account, HOLDER: holder },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let said = '';
      let failed = '';
      operator.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
      operator.stderr.on('data', (chunk: Buffer) => (failed += chunk.toString()));
      const done = new Promise<number | null>((resolve) => operator.on('close', resolve));
      while (!said.includes('holding')) {
        if (failed) throw new Error(`the operator's script failed: ${failed}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      // The rotation waits for the operator's lock. Whether the operator's row lands before its
      // state check (which refuses it) or after its commit (the next unlock's refuses it), no
      // member's checkpoint may hold it.
      const refusals: { code?: string; message?: string }[] = [];
      const refused = (work: () => void) => {
        try {
          work();
        } catch (error) {
          refusals.push(error as { code?: string; message?: string });
        }
      };
      refused(() =>
        rotatePassword(lead, account, { reason: 'scheduled', password: 'Rotated-Under-A-Lock-9' }),
      );
      // The lock's own audited entry checks the state too.
      refused(() => lead.close());
      expect(await done, failed).toBe(0);
      expect(said).toContain('inserted');
      expect(
        await asOperator(
          url,
          `SELECT 1 FROM account_key_wraps WHERE account_id = '${account}' AND holder = '${holder}'`,
        ),
      ).toBe(1);
      await unlockAs(url, 'Ada Admin', PASSPHRASES.admin).then(
        (session) => session.close(),
        (error: unknown) => refusals.push(error as { code?: string; message?: string }),
      );
      expect(refusals.length).toBeGreaterThan(0);
      for (const refused of refusals) {
        expect(refused.code).toBe(ErrorCode.INTEGRITY);
        expect(refused.message).toContain('the account_key_wraps table does not match');
      }
    }, 120_000);
  },
);
