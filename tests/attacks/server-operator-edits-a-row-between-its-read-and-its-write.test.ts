import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { removeMember } from '../../electron/vault/domain/members.ts';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { stateDigestStore } from '../../electron/vault/store/state-digest.ts';
import { ErrorCode } from '../../shared/errors.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../helpers/postgres-cluster.ts';
import { PASSPHRASES, populatedVault, unlockAs } from '../helpers/vault.ts';

/**
 * Review of ADR 0035 (issue 14): a write moves a table's digest by the rows its `WHERE` picks,
 * read before the write and after it (`stateDigestStore.tracked`). On the server a write runs at
 * READ COMMITTED, and the operator is not held off by the log head: the rows read before were
 * read unlocked (and, since ADR 0035, could be an answer the transaction kept from earlier). The
 * operator, watching `pg_stat_activity`, changed a column the write does not set (a rotation
 * resolving a 10.2 finding sets `resolved_by`, not `raised_at`) between that read and the
 * write: the digest moved from the row as it was to the row as the operator left it, the
 * member's checkpoint signed it, and the next unlock's state check passed the edited row. Now
 * the rows before are read `FOR UPDATE`, never from what the transaction kept: the edit waits
 * for the write (here it gives up at its lock timeout), and made after it, it is caught.
 */
const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)(
  unavailable ?? 'a server operator who edits a row between a write’s read of it and the write',
  () => {
    let cluster: ThrowawayCluster;
    beforeAll(() => {
      cluster = startThrowawayCluster({ fsync: false });
    }, 60_000);
    afterAll(() => cluster.stop());

    it('cannot have the edit signed by the member: it waits for the write, and is then refused', async () => {
      cluster.createDatabase('read_then_write');
      const url = cluster.urlFor('read_then_write');
      await populatedVault(url);
      // A leaver: every account they could reach is owed a rotation (10.2).
      const setup = await unlockAs(url, 'Lena Lead', PASSPHRASES.lead);
      removeMember(setup, 'Dev Dmt');
      setup.close();
      const psql = (sql: string) =>
        execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        }).trim();
      const [dueId, accountId] = psql(
        'SELECT id, account_id FROM rotation_due WHERE resolved_by IS NULL ORDER BY id LIMIT 1',
      ).split('|') as [string, string];
      const raisedAt = psql(`SELECT raised_at FROM rotation_due WHERE id = '${dueId}'`);
      const edit =
        `SET lock_timeout = '2s'; UPDATE rotation_due SET raised_at = '2001-01-01T00:00:00.000Z' ` +
        `WHERE id = '${dueId}'`;

      const lead = await unlockAs(url, 'Lena Lead', PASSPHRASES.lead);
      // The operator's edit, between the rotation's read of the finding's row and its write.
      let editedMidWrite: boolean | undefined;
      const tracked = stateDigestStore.tracked.bind(stateDigestStore);
      const spy = vi
        .spyOn(stateDigestStore, 'tracked')
        .mockImplementation((db, table, where, params, write) =>
          tracked(db, table, where, params, () => {
            if (table === 'rotation_due' && params[0] === dueId && editedMidWrite === undefined) {
              try {
                psql(edit);
                editedMidWrite = true;
              } catch {
                editedMidWrite = false; // lock timeout: the row is held by the write
              }
            }
            return write();
          }),
        );
      try {
        rotatePassword(lead, accountId, {
          reason: 'membership-change',
          password: 'Rotated-After-Leaver-7',
        });
      } finally {
        spy.mockRestore();
      }
      lead.close();
      expect(editedMidWrite).toBe(false);
      expect(psql(`SELECT raised_at FROM rotation_due WHERE id = '${dueId}'`)).toBe(raisedAt);

      // The same edit once the write has committed: the rows no longer match what was signed.
      psql(edit);
      const refused = await unlockAs(url, 'Ada Admin', PASSPHRASES.admin).then(
        (session) => {
          session.close();
          return undefined;
        },
        (error: unknown) => error as { code?: string; message?: string },
      );
      expect(refused?.code).toBe(ErrorCode.INTEGRITY);
      expect(refused?.message).toContain('the rotation_due table does not match');
    }, 300_000);
  },
);
