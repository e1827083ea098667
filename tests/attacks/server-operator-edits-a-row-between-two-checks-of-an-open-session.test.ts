import { describe, expect, it } from 'vitest';
import { openCredential } from '../../electron/vault/domain/credentials.ts';
import { roundTrips } from '../../electron/vault/store/postgres/pg-connection.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { postgresUnavailable } from '../helpers/postgres-cluster.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { operatorCluster } from './server-operator.ts';

/**
 * ADR 0034: an open session on a server no longer reads every row at every check. It asks the
 * server for each state table's fingerprint and reads again only the tables whose fingerprint
 * moved since it last read them. The operator's question is then: can a change slip in between two
 * such checks, in a table the session has no reason to read again? Here a leaver's revocation
 * (policy 10.2: who still has access to an account) is erased while a console session is open and
 * has checked the state twice, in two ways: an UPDATE of the row, and, with no row rewritten at
 * all, the column dropped and made again empty (a change of the table's definition, where no row's
 * version moves). Both must be refused at the session's next read, naming the table.
 */
const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)(
  unavailable ?? 'a server operator who edits a row between two checks of an open session',
  () => {
    const { vaultWithLeaver, asOperator } = operatorCluster();

    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

    /** What the session's connection sent during `work`. */
    function sentDuring(work: () => void): string[] {
      const sent: string[] = [];
      roundTrips.onEach = (sql) => sent.push(sql);
      try {
        work();
      } finally {
        roundTrips.onEach = undefined;
      }
      return sent;
    }

    for (const [how, edit] of [
      [
        'an UPDATE of the row',
        (person: string) =>
          `UPDATE team_memberships SET revoked_on = NULL WHERE person_id = '${person}'`,
      ],
      [
        'the column dropped and made again, no row rewritten',
        () =>
          'ALTER TABLE team_memberships DROP COLUMN revoked_on; ALTER TABLE team_memberships ADD COLUMN revoked_on text',
      ],
    ] as const) {
      it(`the revocation erased by ${how} is refused at the next read, naming the table`, async () => {
        const { url, account, person } = await vaultWithLeaver();
        const dev = await unlockAs(url, 'Dev Dmt', PASSPHRASES.dmt);
        try {
          // Two checks pass; the second finds nothing moved and reads no table's rows again.
          openCredential(dev, account);
          await nextTurn();
          const quiet = sentDuring(() => openCredential(dev, account));
          expect(quiet.some((sql) => sql.includes('pg_catalog.record_send(t)'))).toBe(true);
          expect(quiet.filter((sql) => /FROM \w+ t\s+WHERE t\./.test(sql))).toEqual([]);
          await nextTurn();

          await asOperator(url, edit(person));
          await nextTurn();
          let shown: string | undefined;
          let refused: unknown;
          try {
            shown = openCredential(dev, account).password;
          } catch (error) {
            refused = error;
          }
          expect(shown).toBeUndefined();
          expect(refused).toMatchObject({
            code: ErrorCode.INTEGRITY,
            message: expect.stringContaining('team_memberships'),
          });
        } finally {
          dev.abandon();
        }
      });
    }
  },
);
