import { describe, expect, it } from 'vitest';
import { openCredential } from '../../electron/vault/domain/credentials.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { postgresUnavailable } from '../helpers/postgres-cluster.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { operatorCluster } from './server-operator.ts';

/**
 * ADR 0034: an open session on a server asks, in one statement, for every state table's
 * fingerprint, and that statement names the tables the session has read before. The operator
 * drops one of them with psql while a session is open (a table added after format 7, which a
 * vault not yet migrated may lack, or one every vault has), or the column its rows are ordered
 * by. The session's next read must be
 * refused as an integrity failure that names the table and says what to do (exit 2), never
 * answered with the server's own error text, and nothing must be shown from the altered vault.
 */
const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)(
  unavailable ?? 'a server operator who drops a state table during a session',
  () => {
    const { freshVault, asOperator } = operatorCluster();

    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

    const drops: readonly (readonly [string, string])[] = [
      ...['complaints', 'channel_trials', 'third_party_apps', 'dashboard_summary'].map(
        (table) => [table, `DROP TABLE ${table} CASCADE`] as const,
      ),
      ['team_memberships', 'DROP TABLE team_memberships CASCADE'],
      // The key the check orders rows by: the fingerprint statement itself no longer plans, and
      // the server's refusal names a column, not the table, so the check names the state tables.
      ['the state tables', 'ALTER TABLE settings DROP COLUMN rowid'],
    ];
    for (const [table, drop] of drops) {
      it(`${drop} between two checks is refused at the next read, naming ${table}`, async () => {
        const { url, accounts } = await freshVault();
        const dev = await unlockAs(url, 'Dev Dmt', PASSPHRASES.dmt);
        try {
          // Two checks pass, so the session has recorded the table and names it in the next one.
          openCredential(dev, accounts[0]!);
          await nextTurn();
          openCredential(dev, accounts[0]!);
          await nextTurn();

          await asOperator(url, drop);
          await nextTurn();
          let shown: string | undefined;
          let refused: unknown;
          try {
            shown = openCredential(dev, accounts[0]!).password;
          } catch (error) {
            refused = error;
          }
          expect(shown).toBeUndefined();
          expect(refused).toMatchObject({
            code: ErrorCode.INTEGRITY,
            message: expect.stringContaining(table),
          });
          const message = (refused as Error).message;
          expect(message).toContain('restore from a backup');
          expect(message).not.toMatch(/PostgreSQL error|does not exist|relation "/);
        } finally {
          dev.abandon();
        }
      });
    }
  },
);
