import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../helpers/postgres-cluster.ts';

// The ground the shared vault (issue 14) stands on: a cluster of the test's own, on a socket only.
// When PostgreSQL is absent the suite's title says so, and vitest lists it as skipped.
const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)(unavailable ?? 'a throwaway PostgreSQL cluster', () => {
  let cluster: ThrowawayCluster;
  beforeAll(() => {
    cluster = startThrowawayCluster();
  }, 60_000);
  afterAll(() => {
    cluster.stop();
  });

  it('answers over its Unix socket and listens on no TCP port', async () => {
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ listen: string; version: string }>(
        "select current_setting('listen_addresses') as listen, current_setting('server_version_num') as version",
      );
      expect(rows[0]?.listen).toBe('');
      expect(Number(rows[0]?.version)).toBeGreaterThanOrEqual(150000);
    } finally {
      await client.end();
    }
  });

  it('comes back after a kill -9 with committed rows and without the uncommitted one', async () => {
    cluster.createDatabase('crash');
    const url = cluster.urlFor('crash');
    const writer = new pg.Client({ connectionString: url });
    await writer.connect();
    await writer.query('create table t (n int primary key)');
    await writer.query('insert into t values (1)');
    await writer.query('begin');
    await writer.query('insert into t values (2)');
    // A connection error is expected: the server dies under it.
    writer.on('error', () => undefined);
    cluster.kill();
    await writer.end().catch(() => undefined);
    cluster.restart();
    const reader = new pg.Client({ connectionString: url });
    await reader.connect();
    try {
      const { rows } = await reader.query<{ n: number }>('select n from t order by n');
      expect(rows.map((r) => r.n)).toEqual([1]);
    } finally {
      await reader.end();
    }
  }, 60_000);
});
