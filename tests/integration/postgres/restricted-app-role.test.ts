import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, FAST_KDF } from '../../helpers/cli.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../helpers/postgres-cluster.ts';
import { tempDir } from '../../helpers/vault.ts';

/**
 * Issue 14: "database roles: what the app's user needs on its tables and nothing else". The
 * schema belongs to one role, which ran `custodian init`; the workstations connect as another,
 * granted exactly what README's PostgreSQL section lists (CONNECT and TEMPORARY on the database,
 * USAGE on the schema, SELECT/INSERT/UPDATE/DELETE on the vault's tables) and nothing from PUBLIC.
 * Every command works as that role; dropping, altering, truncating or adding tables does not.
 */
const unavailable = postgresUnavailable();

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };
const DMT = { CUSTODIAN_USER: 'Dev Dmt', CUSTODIAN_PASSPHRASE: 'dmt passphrase two' };

/** The grants README documents, run by the schema's owner after `custodian init`. */
const GRANTS = `
  REVOKE ALL ON DATABASE team FROM PUBLIC;
  GRANT CONNECT, TEMPORARY ON DATABASE team TO custodian_app;
  REVOKE ALL ON SCHEMA public FROM PUBLIC;
  GRANT USAGE ON SCHEMA public TO custodian_app;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO custodian_app;
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO custodian_app;`;

describe.skipIf(unavailable !== null)(
  unavailable ?? "the app's database role needs its tables' rows and nothing more",
  () => {
    let cluster: ThrowawayCluster;
    let dir: string;
    let cleanup: (() => void) | undefined;
    let ownerUrl: string;
    let appUrl: string;
    const env = (who: Record<string, string>) => ({
      ...who,
      CUSTODIAN_CHECKPOINT_DIR: join(dir, 'kept'),
    });

    async function sql(url: string, text: string): Promise<void> {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(text);
      } finally {
        await client.end();
      }
    }

    /** The SQLSTATE a statement fails with as a role, or 'ok'. */
    async function asRole(url: string, text: string): Promise<string> {
      try {
        await sql(url, text);
        return 'ok';
      } catch (error) {
        return String((error as { code?: string }).code);
      }
    }

    beforeAll(async () => {
      cluster = startThrowawayCluster({ fsync: false });
      await sql(cluster.url, 'CREATE ROLE vault_owner LOGIN; CREATE ROLE custodian_app LOGIN');
      await sql(cluster.url, 'CREATE DATABASE team OWNER vault_owner');
      const base = cluster.urlFor('team');
      ownerUrl = base.replace('user=custodian_test', 'user=vault_owner');
      appUrl = base.replace('user=custodian_test', 'user=custodian_app');
      ({ dir, cleanup } = tempDir());
      const init = await custodian(['init', ownerUrl, ...FAST_KDF], env(LEAD));
      expect(init.code, init.stderr).toBe(0);
      await sql(ownerUrl, GRANTS);
    }, 120_000);
    afterAll(() => {
      cleanup?.();
      cluster.stop();
    });

    it('member add, account add, rotate, reveal, account list and audit verify all work as the app role', async () => {
      writeFileSync(join(dir, 'pw'), 'Initial-Password-42\n');
      const added = await custodian(
        [
          'account',
          'add',
          appUrl,
          '--platform',
          'x',
          '--handle',
          'NorfolkPolice',
          '--force',
          'norfolk',
          '--unit-type',
          'department',
          '--unit',
          'Corporate Communications',
          '--username',
          'norfolk-comms',
          '--password-file',
          join(dir, 'pw'),
        ],
        env(LEAD),
      );
      expect(added.code, added.stderr).toBe(0);
      const member = await custodian(
        ['member', 'add', appUrl, '--name', 'Dev Dmt', '--role', 'dmt'],
        { ...env(LEAD), CUSTODIAN_NEW_PASSPHRASE: DMT.CUSTODIAN_PASSPHRASE },
      );
      expect(member.code, member.stderr).toBe(0);
      const rotated = await custodian(
        ['rotate', appUrl, 'x:NorfolkPolice', '--reason', 'scheduled', '--generate'],
        env(DMT),
      );
      expect(rotated.code, rotated.stderr).toBe(0);
      const revealed = await custodian(
        ['reveal', appUrl, 'x:NorfolkPolice', '--reason', 'appeal'],
        env(DMT),
      );
      expect(revealed.code, revealed.stderr).toBe(0);
      expect(revealed.stdout.trim()).not.toBe('Initial-Password-42');
      const listed = await custodian(['account', 'list', appUrl], env(DMT));
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain('NorfolkPolice');
      const verified = await custodian(['audit', 'verify', appUrl], env(LEAD));
      expect(verified.code, verified.stderr).toBe(0);
      // A wrong passphrase is recorded on the server as the app role too, and folded in after.
      const wrong = await custodian(['account', 'list', appUrl], {
        ...env(DMT),
        CUSTODIAN_PASSPHRASE: 'not the passphrase',
      });
      expect(wrong.code).not.toBe(0);
      expect((await custodian(['account', 'list', appUrl], env(DMT))).code).toBe(0);
    });

    it('the app role cannot drop, alter, truncate or add tables, nor touch the grants', async () => {
      expect(await asRole(appUrl, 'DROP TABLE credentials')).toBe('42501');
      expect(await asRole(appUrl, 'ALTER TABLE credentials ADD COLUMN planted text')).toBe('42501');
      expect(await asRole(appUrl, 'TRUNCATE audit_entries')).toBe('42501');
      expect(await asRole(appUrl, 'CREATE TABLE planted (x int)')).toBe('42501');
      expect(await asRole(appUrl, 'CREATE INDEX planted ON credentials (key_id)')).toBe('42501');
      // A grant by a role without the grant option grants nothing (the server only warns).
      await asRole(appUrl, 'GRANT ALL ON credentials TO custodian_app');
      expect(await asRole(appUrl, 'TRUNCATE credentials CASCADE')).toBe('42501');
      // And the vault is as the owner left it: the schema check on open passes.
      expect((await custodian(['audit', 'verify', appUrl], env(LEAD))).code).toBe(0);
    });

    it('a role without the grants is told what is missing, and nothing is changed', async () => {
      await sql(
        cluster.url,
        'CREATE ROLE stranger LOGIN; GRANT CONNECT ON DATABASE team TO stranger',
      );
      const strangerUrl = appUrl.replace('user=custodian_app', 'user=stranger');
      const result = await custodian(['account', 'list', strangerUrl], env(DMT));
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/may not do what the vault needs|No vault in the database/);
    });
  },
);
