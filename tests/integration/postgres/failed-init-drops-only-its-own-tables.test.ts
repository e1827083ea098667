import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeptCheckpointFolder } from '../../../electron/vault/kept-checkpoints.ts';
import { POSTGRES_MIGRATIONS } from '../../../electron/vault/store/migrate.ts';
import { PostgresConnection } from '../../../electron/vault/store/postgres/pg-connection.ts';
import {
  removeServerVault,
  tablesMadeBy,
} from '../../../electron/vault/store/postgres/pg-schema.ts';
import { createVault } from '../../../electron/vault/vault.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../helpers/postgres-cluster.ts';
import { newVault, PASSPHRASES, TEST_KDF } from '../../helpers/vault.ts';

/**
 * Issue 14, review finding: a `custodian init` that fails after its migrations undoes what it
 * made. It used to drop every table in the schema, names pasted into the DROP in quotes of its
 * own: another application's tables in the same schema went with it, and a table named with a
 * quote in it could run SQL of its choosing. Now only the tables Custodian's migrations make are
 * dropped, quoted by the dialect, and never a vault that is someone else's.
 */
const unavailable = postgresUnavailable();

/** A table someone else keeps in the same schema, one with a name made to break out of quotes. */
const FOREIGN = 'duty_rota';
const HOSTILE = `members"; DROP TABLE ${FOREIGN}; --`;

describe.skipIf(unavailable !== null)(
  unavailable ?? "a failed creation drops Custodian's own tables and nobody else's",
  () => {
    let cluster: ThrowawayCluster;
    let n = 0;
    beforeAll(() => {
      cluster = startThrowawayCluster({ fsync: false });
    }, 60_000);
    afterAll(() => cluster.stop());

    function freshDatabase(): string {
      const name = `v${++n}`;
      cluster.createDatabase(name);
      return cluster.urlFor(name);
    }

    async function sql<T = Record<string, unknown>>(url: string, text: string): Promise<T[]> {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(text)).rows as T[];
      } finally {
        await client.end();
      }
    }

    const tables = async (url: string) =>
      (
        await sql<{ tablename: string }>(
          url,
          "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        )
      ).map((row) => row.tablename);

    it("the migrations' tables are the ones named, and no other", () => {
      const made = tablesMadeBy(POSTGRES_MIGRATIONS);
      expect(made).toEqual(expect.arrayContaining(['vault_header', 'log_head', 'credentials']));
      expect(made).not.toContain(FOREIGN);
    });

    it("another application's tables in the same schema survive, rows and all, whatever their names", async () => {
      const url = freshDatabase();
      (await newVault(url)).close();
      await sql(
        url,
        `CREATE TABLE ${FOREIGN} (officer text); INSERT INTO ${FOREIGN} VALUES ('PC 1234');
         CREATE TABLE ${pg.escapeIdentifier(HOSTILE)} (x int)`,
      );
      // The connection as the failed init holds it (opening the vault would refuse the schema,
      // which now holds tables the migrations did not make).
      const db = PostgresConnection.connect(url);
      try {
        const [{ vault_id }] = db.query('SELECT vault_id FROM vault_header', []).rows as [
          { vault_id: string },
        ];
        removeServerVault(db, vault_id, POSTGRES_MIGRATIONS);
      } finally {
        db.close();
      }
      expect(await tables(url)).toEqual([FOREIGN, HOSTILE].sort());
      expect(await sql(url, `SELECT officer FROM ${FOREIGN}`)).toEqual([{ officer: 'PC 1234' }]);
    });

    it("a vault that is another's (an init that raced this one and won) is left whole", async () => {
      const url = freshDatabase();
      (await newVault(url)).close();
      const before = await tables(url);
      const db = PostgresConnection.connect(url);
      try {
        removeServerVault(db, '0'.repeat(32), POSTGRES_MIGRATIONS);
      } finally {
        db.close();
      }
      expect(await tables(url)).toEqual(before);
      expect(before).toContain('vault_header');
    });

    it('an init that fails after its migrations leaves the database as empty as it found it', async () => {
      const url = freshDatabase();
      const folder = mkdtempSync(join(tmpdir(), 'custodian-kept-'));
      try {
        // The kept checkpoints' folder is a file: keeping the new vault's first checkpoint fails.
        const blocked = join(folder, 'not-a-folder');
        writeFileSync(blocked, '');
        await expect(
          createVault(url, {
            founderName: 'Lena Lead',
            passphrase: PASSPHRASES.lead,
            kdf: TEST_KDF,
            keptCheckpoints: new KeptCheckpointFolder(join(blocked, 'kept')),
          }),
        ).rejects.toThrow();
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
      expect(await tables(url)).toEqual([]);
      // And a second try on the same database can create the vault.
      (await newVault(url)).close();
      expect(await tables(url)).toContain('vault_header');
    });
  },
);
