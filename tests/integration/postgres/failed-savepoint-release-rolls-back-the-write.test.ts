import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresConnection } from '../../../electron/vault/store/postgres/pg-connection.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../helpers/postgres-cluster.ts';

/**
 * A write inside a write is a savepoint, and since ADR 0034 the statements held inside it travel
 * with its RELEASE: a held statement the server refuses (a duplicate key here; a constraint or an
 * operator's trigger in use) fails the RELEASE. The write must then fail whole: its transaction
 * rolled back on the server at once, not left `idle in transaction` with the log head's row lock
 * and the digests' EXCLUSIVE lock (every other workstation's write would wait on it), and not
 * committed later by the next write on the same connection (the person was told it failed).
 */
const unavailable = postgresUnavailable();

const SCHEMA = `
  CREATE TABLE log_head (singleton bigint PRIMARY KEY, commits bigint NOT NULL);
  INSERT INTO log_head VALUES (1, 0);
  CREATE TABLE audit_checkpoints (
    size bigint PRIMARY KEY, root bytea NOT NULL, state bytea, signer_id text NOT NULL,
    signature bytea NOT NULL
  );
  CREATE TABLE vault_header (singleton bigint PRIMARY KEY, vault_id text NOT NULL);
  INSERT INTO vault_header VALUES (1, 'v');
  CREATE TABLE state_digests (table_name text PRIMARY KEY, row_count bigint NOT NULL, digest bytea NOT NULL);
  CREATE TABLE notes (id text PRIMARY KEY, version bigint NOT NULL);`;

describe.skipIf(unavailable !== null)(
  unavailable ?? 'a savepoint whose RELEASE fails fails the whole write on the server',
  () => {
    let cluster: ThrowawayCluster;

    beforeAll(() => {
      cluster = startThrowawayCluster({ fsync: false });
    }, 60_000);
    afterAll(() => cluster.stop());

    it('the transaction is rolled back at once, holds no lock, and the next write commits only itself', async () => {
      cluster.createDatabase('release');
      const url = cluster.urlFor('release');
      const db = PostgresConnection.connect(url);
      db.script(SCHEMA);
      const other = new pg.Client({ connectionString: url });
      await other.connect();
      const insert = (id: string) =>
        db.prepare('INSERT INTO notes (id, version) VALUES (?, 1)').run(id);
      try {
        expect(() =>
          db.inWriteTransaction(() => {
            insert('outer');
            db.inWriteTransaction(() => {
              insert('inner');
              insert('outer'); // held: sent with the RELEASE, refused there (23505)
            });
          }),
        ).toThrow(/23505/);

        const states = (
          await other.query(
            `SELECT state FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid()
                AND backend_type = 'client backend'`,
          )
        ).rows.map((row: { state: string }) => row.state);
        expect(states).not.toContain('idle in transaction');
        expect(states).not.toContain('idle in transaction (aborted)');

        // Another workstation's write takes the same locks first: it is not held up.
        await other.query("SET lock_timeout = '2s'");
        await other.query('BEGIN');
        await other.query('SELECT commits FROM log_head WHERE singleton = 1 FOR UPDATE');
        await other.query('LOCK TABLE state_digests IN EXCLUSIVE MODE');
        await other.query('ROLLBACK');

        db.inWriteTransaction(() => insert('after'));
        const committed = (await other.query('SELECT id FROM notes ORDER BY id')).rows.map(
          (row: { id: string }) => row.id,
        );
        expect(committed).toEqual(['after']);
        const commits = (await other.query<{ commits: string }>('SELECT commits FROM log_head'))
          .rows[0]!.commits;
        expect(Number(commits)).toBe(1);
      } finally {
        await other.end();
        db.close();
      }
    });
  },
);
