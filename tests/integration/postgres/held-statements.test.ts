import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PostgresConnection,
  roundTrips,
  TERMINATE_LOST_BACKEND,
} from '../../../electron/vault/store/postgres/pg-connection.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../helpers/postgres-cluster.ts';

/**
 * ADR 0034: inside a write, a statement whose count of changed rows nobody asks for is held back
 * and sent with the next request, in its round trip. It must still behave as if it had been sent
 * at once: a held write that fails fails the write, and nothing of it is saved; one inside a
 * savepoint fails that savepoint only; a count asked for is the server's. And ADR 0031's lost
 * COMMIT: the recovery ends the server process that still holds the lost transaction, and no
 * other, even one that was given the same pid.
 */
const unavailable = postgresUnavailable();

/** The few tables a write transaction touches on its own (the log head and its commit count). */
const SCHEMA = `
  CREATE TABLE log_head (singleton bigint PRIMARY KEY, commits bigint NOT NULL);
  INSERT INTO log_head VALUES (1, 0);
  CREATE TABLE audit_checkpoints (
    size bigint PRIMARY KEY, root bytea NOT NULL, state bytea, signer_id text NOT NULL,
    signature bytea NOT NULL
  );
  CREATE TABLE vault_header (singleton bigint PRIMARY KEY, vault_id text NOT NULL);
  INSERT INTO vault_header VALUES (1, 'v');
  CREATE TABLE notes (id text PRIMARY KEY, version bigint NOT NULL);`;

describe.skipIf(unavailable !== null)(
  unavailable ?? "a server write's held statements, and the lost COMMIT's lingering process",
  () => {
    let cluster: ThrowawayCluster;
    let db: PostgresConnection;
    let n = 0;

    beforeAll(() => {
      cluster = startThrowawayCluster({ fsync: false });
    }, 60_000);
    afterAll(() => cluster.stop());

    function freshDatabase(): string {
      const name = `h${++n}`;
      cluster.createDatabase(name);
      const url = cluster.urlFor(name);
      db = PostgresConnection.connect(url);
      db.script(SCHEMA);
      return url;
    }

    const notes = () =>
      db
        .query('SELECT id FROM notes ORDER BY id', [])
        .rows.map((row) => (row as { id: string }).id);
    const insert = (id: string) =>
      db.prepare('INSERT INTO notes (id, version) VALUES (?, 1)').run(id);

    it('held writes go with the next request, and a count asked for is the server’s', () => {
      freshDatabase();
      try {
        db.inWriteTransaction(() => {
          const before = roundTrips.count;
          insert('a');
          insert('b');
          expect(roundTrips.count).toBe(before);
          // The optimistic version check asks for its count: sent now, with what was held.
          const stale = db.prepare('UPDATE notes SET version = 2 WHERE id = ? AND version = ?');
          expect(stale.run('a', 7).changes).toBe(0);
          expect(stale.run('a', 1).changes).toBe(1);
          expect(roundTrips.count).toBe(before + 2);
        });
        expect(notes()).toEqual(['a', 'b']);
      } finally {
        db.close();
      }
    });

    it('a held write that fails fails the write: nothing of it is saved, the error is the server’s', () => {
      freshDatabase();
      try {
        db.inWriteTransaction(() => insert('kept'));
        const commits = () =>
          (db.query('SELECT commits FROM log_head', []).rows[0] as { commits: number }).commits;
        const before = commits();
        expect(() =>
          db.inWriteTransaction(() => {
            insert('new');
            insert('kept'); // a duplicate key, held: it fails with the commit count's request
          }),
        ).toThrow(/23505/);
        expect(notes()).toEqual(['kept']);
        expect(commits()).toBe(before);
        // The connection goes on: the next write is whole.
        db.inWriteTransaction(() => insert('after'));
        expect(notes()).toEqual(['after', 'kept']);
      } finally {
        db.close();
      }
    });

    it('a held write failing inside a savepoint fails that savepoint only, inside it', () => {
      freshDatabase();
      try {
        let caught: unknown;
        db.inWriteTransaction(() => {
          insert('outer');
          try {
            db.inWriteTransaction(() => {
              insert('inner');
              insert('outer'); // held; sent with the savepoint's RELEASE, and fails there
            });
          } catch (error) {
            caught = error;
          }
          insert('outer-after');
        });
        expect(String(caught)).toMatch(/23505/);
        expect(notes()).toEqual(['outer', 'outer-after']);
      } finally {
        db.close();
      }
    });

    it('the lost COMMIT’s recovery ends only the process that still holds that transaction', async () => {
      const url = freshDatabase();
      db.close();
      // Another session, and what the recovery knows of the one it lost: a pid, a start, a
      // transaction. Each kept but one, as a pid given to another session after ours ended.
      const other = new pg.Client({ connectionString: url });
      await other.connect();
      other.on('error', () => undefined);
      const alive = () =>
        other.query('SELECT 1').then(
          () => true,
          () => false,
        );
      try {
        await other.query('BEGIN');
        const [held] = (
          await other.query(
            `SELECT pid, (extract(epoch FROM backend_start) * 1000000)::bigint::text AS started_us,
               pg_current_xact_id()::text AS xid FROM pg_stat_activity WHERE pid = pg_backend_pid()`,
          )
        ).rows as { pid: number; started_us: string; xid: string }[];
        const asker = PostgresConnection.connect(url);
        try {
          const end = (pid: number, startedUs: number, xid: string) =>
            asker.query(TERMINATE_LOST_BACKEND, [pid, startedUs, xid]).rows.length;
          const started = Number(held!.started_us);
          // The same pid, another process start: not ours.
          expect(end(held!.pid, started + 1, held!.xid)).toBe(0);
          // The same pid and start, another transaction (ours ended, the session went on).
          expect(end(held!.pid, started, String(BigInt(held!.xid) + 1n))).toBe(0);
          expect(await alive()).toBe(true);
          // All three: the process that holds the lost transaction, and only it, is ended.
          expect(end(held!.pid, started, held!.xid)).toBe(1);
          const deadline = Date.now() + 10_000;
          while ((await alive()) && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 50));
          expect(await alive()).toBe(false);
        } finally {
          asker.close();
        }
      } finally {
        await other.end().catch(() => undefined);
      }
    });
  },
);
