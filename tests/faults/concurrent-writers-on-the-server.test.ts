import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLostUpdate, runWriters, versionsOf } from '../helpers/concurrent-writers.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../helpers/postgres-cluster.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';

const WRITERS = 4;
const CHANGES = 50;

/**
 * Issue 14, "N writers × M processes" on one PostgreSQL vault: the file's test
 * (concurrent-writers.test.ts) with the vault on a throwaway cluster, each process a workstation of
 * its own (its own kept checkpoint, which every open checks the server's head against). Four
 * processes, fifty rotations and registry edits each on the same two accounts, through the real
 * CLI: no update lost, every conflict reported to its writer, the trail dense and verified.
 *
 * In the slow suite (npm run test:faults), like the file's: 400-odd CLI commands, each an unlock
 * and a hundred-odd round trips to the server, took 12.6 minutes on the two-core build machine at
 * a load of 20 (2026-12-02), far too long for `vitest run`. Skipped, saying why, where the
 * PostgreSQL binaries are absent.
 */
const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)(
  unavailable ?? 'four processes changing the same accounts of one server vault at once',
  () => {
    let cluster: ThrowawayCluster;
    let dir: ReturnType<typeof tempDir>;
    let url: string;
    let accounts: string[];
    beforeAll(async () => {
      cluster = startThrowawayCluster({ fsync: false });
      cluster.createDatabase('shared');
      url = cluster.urlFor('shared');
      dir = tempDir();
      ({ accounts } = await populatedVault(url));
    }, 120_000);
    afterAll(() => {
      dir.cleanup();
      cluster.stop();
    });

    it('loses no update, reports every conflict, and leaves a dense trail that verifies', async () => {
      const before = await unlockAs(url, 'Lena Lead', PASSPHRASES.lead);
      const startVersion = versionsOf(before, accounts);
      before.close();

      const changes = await runWriters({
        vault: url,
        writers: WRITERS,
        changes: CHANGES,
        accounts,
        workstations: dir.dir,
      });
      expect(changes).toHaveLength(WRITERS * CHANGES);

      const session = await unlockAs(url, 'Lena Lead', PASSPHRASES.lead);
      try {
        await expectNoLostUpdate(session, changes, accounts, startVersion);
      } finally {
        session.close();
      }
      // Past the fault suite's 10 minutes at a load of 20 on two cores: give it half an hour.
    }, 1_800_000);
  },
);
