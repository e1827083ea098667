import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOf, openRouter } from '../../../electron/cli/vault-client.ts';
import { roundTrips } from '../../../electron/vault/store/postgres/pg-connection.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../helpers/postgres-cluster.ts';
import { PASSPHRASES, populatedVault } from '../../helpers/vault.ts';

/**
 * Issue 14's target, a rotation on the server within 2x the file's, is a matter of round trips:
 * each statement on the server is one (ADR 0026), and under load each costs a scheduler's turn on
 * the main thread, the worker and the server process. Counted here through the router, as the
 * console and `npm run bench -- shared` make them, so no timing is involved. Before ADR 0034 a
 * rotation took 211 (the state check read every row of 23 tables twice, the stored digests one
 * statement a table), an account list 62 and an unlock 264.
 */
const unavailable = postgresUnavailable();

/** Bounds the code before ADR 0034 exceeds by far (211, 62, 264), and the rotation's the code before ADR 0035 exceeds (66), with room for small changes. */
const ROTATION_AT_MOST = 34;
const LIST_AT_MOST = 25;
const UNLOCK_AT_MOST = 200;

describe.skipIf(unavailable !== null)(
  unavailable ?? 'round trips to the server for the everyday requests',
  () => {
    let cluster: ThrowawayCluster;
    let url: string;
    let accounts: string[];

    beforeAll(async () => {
      cluster = startThrowawayCluster({ fsync: false });
      cluster.createDatabase('trips');
      url = cluster.urlFor('trips');
      ({ accounts } = await populatedVault(url));
    }, 120_000);
    afterAll(() => cluster.stop());

    /** The round trips `work` makes, and the statements it sent. */
    async function counted(work: () => Promise<unknown>): Promise<{ n: number; sent: string[] }> {
      const sent: string[] = [];
      roundTrips.onEach = (sql) => sent.push(sql);
      const before = roundTrips.count;
      try {
        await work();
        // The session's per-turn check ends with the turn: let it.
        await new Promise((resolve) => setImmediate(resolve));
        return { n: roundTrips.count - before, sent };
      } finally {
        roundTrips.onEach = undefined;
      }
    }

    it('an unlock, an account list and a rotation stay within their bounds; a request after nothing moved reads no table again', async () => {
      const router = openRouter();
      const { call, file } = clientOf(router);
      try {
        const vault = await file(url, 'open-vault');
        const unlock = await counted(() =>
          call('vault.unlock', {
            file: vault,
            memberName: 'Lena Lead',
            passphrase: PASSPHRASES.lead,
          }),
        );
        expect(unlock.n).toBeLessThanOrEqual(UNLOCK_AT_MOST);

        const rotate = () =>
          counted(async () => {
            const { password } = await call('generator.generate', { kind: 'characters' });
            await call('credentials.rotate', {
              account: accounts[0]!,
              reason: 'scheduled',
              password,
              informed: [],
            });
          });
        await rotate(); // the first fills the statement caches
        for (let i = 0; i < 3; i++)
          expect((await rotate()).n).toBeLessThanOrEqual(ROTATION_AT_MOST);

        const firstList = await counted(() => call('accounts.list', {}));
        expect(firstList.n).toBeLessThanOrEqual(LIST_AT_MOST);
        // Nothing was written since the last list's check: the next asks the server for the
        // tables' fingerprints and reads no table's rows to recompute its digest.
        const secondList = await counted(() => call('accounts.list', {}));
        expect(secondList.n).toBeLessThanOrEqual(LIST_AT_MOST);
        // A table's rows read again to recompute its digest: `SELECT … FROM <table> t WHERE t.<key> > ?`.
        expect(secondList.sent.filter((sql) => /FROM \w+ t\s+WHERE t\./.test(sql))).toEqual([]);
        expect(
          firstList.sent.filter((sql) => /FROM \w+ t\s+WHERE t\./.test(sql)).length,
        ).toBeGreaterThan(0);
      } finally {
        router.lock('quit');
      }
    }, 120_000);
  },
);
