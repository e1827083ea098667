import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultisetHash, rowElement } from '../../electron/vault/crypto/multiset-hash.ts';
import { removeMember } from '../../electron/vault/domain/members.ts';
import { setAutoLockMinutes } from '../../electron/vault/domain/settings.ts';
import { rowKey, stateColumns } from '../../electron/vault/store/dialect.ts';
import { stateDigestStore, type StateTable } from '../../electron/vault/store/state-digest.ts';
import { ErrorCode } from '../../shared/errors.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../helpers/postgres-cluster.ts';
import { PASSPHRASES, populatedVault, unlockAs } from '../helpers/vault.ts';

/**
 * Issue 14, review finding (ADR 0031): a write on the server checks the state once, after it takes
 * the log head, and its checkpoint then signs the stored digests as they are at its end. The
 * operator, watching `pg_stat_activity`, committed in one psql transaction a deleted
 * `rotation_due` row (clearing a 10.2 finding) and the digest that matches it while a lead's write
 * was under way: the lead's own checkpoint signed the edit, and the next unlock and `audit verify`
 * passed. Now a write holds the digests (LOCK TABLE ... EXCLUSIVE) until it commits: the edit waits
 * (here it gives up at its lock timeout), and made after the write it is caught at the next unlock.
 */
const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)(
  unavailable ?? 'a server operator who edits a row and its digest while a member writes',
  () => {
    let cluster: ThrowawayCluster;
    beforeAll(() => {
      cluster = startThrowawayCluster({ fsync: false });
    }, 60_000);
    afterAll(() => cluster.stop());

    it('cannot have the edit signed by the member: it waits for the write, and is then refused', async () => {
      cluster.createDatabase('mid_write');
      const url = cluster.urlFor('mid_write');
      await populatedVault(url);
      // A leaver: every account they could reach is due a rotation (10.2), the finding to clear.
      const before = await unlockAs(url, 'Lena Lead', PASSPHRASES.lead);
      removeMember(before, 'Dev Dmt');
      before.close();
      const psql = (sql: string) =>
        execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      const table: StateTable = 'rotation_due';
      const rowsBefore = Number(psql(`SELECT count(*) FROM ${table}`).trim());
      expect(rowsBefore).toBeGreaterThan(0);

      const lead = await unlockAs(url, 'Lena Lead', PASSPHRASES.lead);
      const key = rowKey(lead.db, table);
      const row = lead.db
        .prepare(
          `SELECT ${key}, ${stateColumns(lead.db, table)} FROM ${table} ORDER BY ${key} LIMIT 1`,
        )
        .raw(true)
        .get() as unknown[];
      const stored = stateDigestStore.table(lead.db, table);
      const sum = new MultisetHash(stored.digest);
      sum.remove(rowElement(table, row.slice(1) as Parameters<typeof rowElement>[1]));
      const digest = Buffer.from(sum.bytes()).toString('hex');
      const edit =
        `SET lock_timeout = '2s'; BEGIN; DELETE FROM ${table} WHERE ${key} = '${String(row[0])}'; ` +
        `UPDATE state_digests SET row_count = row_count - 1, digest = '\\x${digest}'::bytea ` +
        `WHERE table_name = '${table}'; COMMIT;`;

      // The operator's edit, attempted while the lead's write is past its state check.
      let editedMidWrite = true;
      const write = lead.write.bind(lead);
      lead.write = ((change: Parameters<typeof lead.write>[0]) =>
        write((context) => {
          try {
            psql(edit);
          } catch {
            editedMidWrite = false; // lock timeout: the digests are held by the write
          }
          return change(context);
        })) as typeof lead.write;
      setAutoLockMinutes(lead, 7);
      lead.write = write;
      lead.close();
      expect(editedMidWrite).toBe(false);
      expect(Number(psql(`SELECT count(*) FROM ${table}`).trim())).toBe(rowsBefore);

      // The same edit once the write has committed: the digests no longer match what was signed.
      psql(edit);
      const refused = await unlockAs(url, 'Ada Admin', PASSPHRASES.admin).then(
        (session) => {
          session.close();
          return undefined;
        },
        (error: unknown) => error as { code?: string; message?: string },
      );
      expect(refused?.code).toBe(ErrorCode.INTEGRITY);
      expect(refused?.message).toContain('state_digests does not match');
    }, 300_000);
  },
);
