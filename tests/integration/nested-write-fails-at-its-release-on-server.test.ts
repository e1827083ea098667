import pg from 'pg';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addPerson, listPeople } from '../../electron/vault/domain/people.ts';
import type { VaultSession } from '../../electron/vault/session.ts';
import { newVault, PASSPHRASES, tempDir, unlockAs, vaultLocation } from '../helpers/vault.ts';

/**
 * On the server a write inside a write is a savepoint, and its held statements, its checkpoint's
 * INSERT among them, are sent with its RELEASE (ADR 0034). An operator's trigger (or any
 * constraint) that refuses one fails the RELEASE. The write must fail whole and leave the server
 * as it was: nothing of it committed, then or by the next write, and no transaction left open
 * holding the log head and the digests, which every other workstation's write waits on.
 */
describe.skipIf(process.env['CUSTODIAN_TEST_BACKEND'] !== 'postgres')(
  'a nested write whose checkpoint INSERT fails at its savepoint’s RELEASE (server)',
  () => {
    /** The operator's trap: the `nth` checkpoint INSERT from now fails, once (a sequence is not rolled back). */
    async function trapCheckpoint(operator: pg.Client, nth: number): Promise<void> {
      await operator.query(`CREATE SEQUENCE trap;
        CREATE FUNCTION trap() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF nextval('trap') = ${nth} THEN RAISE EXCEPTION 'operator trap'; END IF; RETURN NEW; END $$;
        CREATE TRIGGER trap BEFORE INSERT ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION trap();`);
    }

    async function withServerVault(
      test: (session: VaultSession, operator: pg.Client, path: string) => Promise<void>,
    ): Promise<void> {
      const { dir, cleanup } = tempDir();
      const path = join(dir, 'nested.vault');
      const session = await newVault(path);
      const operator = new pg.Client({ connectionString: vaultLocation(path) });
      await operator.connect();
      try {
        await test(session, operator, path);
      } finally {
        await operator.end();
        session.close();
        cleanup();
      }
    }

    const count = async (operator: pg.Client, table: string) =>
      Number(
        (await operator.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n,
      );

    it('the write fails, nothing of it is committed, and neither the next write nor another workstation is held up', async () => {
      await withServerVault(async (session, operator) => {
        await trapCheckpoint(operator, 2);
        const entriesBefore = await count(operator, 'audit_entries');
        expect(() =>
          session.write(() => {
            addPerson(session, { name: 'Priya Patel' });
            addPerson(session, { name: 'Tom Reed' }); // its checkpoint INSERT is refused
          }),
        ).toThrow(/operator trap/);

        const states = (
          await operator.query(
            `SELECT state FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid()
                AND backend_type = 'client backend'`,
          )
        ).rows.map((row: { state: string }) => row.state);
        expect(states.filter((state) => state.startsWith('idle in transaction'))).toEqual([]);
        expect(await count(operator, 'people')).toBe(0);
        expect(await count(operator, 'audit_entries')).toBe(entriesBefore);

        // Another workstation's write takes the log head's lock first: it is free.
        await operator.query("SET lock_timeout = '2s'");
        await operator.query('BEGIN');
        await operator.query('SELECT commits FROM log_head WHERE singleton = 1 FOR UPDATE');
        await operator.query('LOCK TABLE state_digests IN EXCLUSIVE MODE');
        await operator.query('ROLLBACK');

        // The next write saves itself alone, not the failed one's savepoint with it.
        addPerson(session, { name: 'Ana Ruiz' });
        expect(listPeople(session).map((person) => person.value.name)).toEqual(['Ana Ruiz']);
        expect(await count(operator, 'people')).toBe(1);
      });
    }, 120_000);

    it('an outer write that goes on after its inner write failed signs the state as it is', async () => {
      await withServerVault(async (session, operator, path) => {
        await trapCheckpoint(operator, 2);
        let inner: unknown;
        session.write(() => {
          addPerson(session, { name: 'Priya Patel' });
          try {
            addPerson(session, { name: 'Tom Reed' }); // refused at its RELEASE, rolled back
          } catch (error) {
            inner = error;
          }
          addPerson(session, { name: 'Ana Ruiz' });
        });
        expect(String(inner)).toMatch(/operator trap/);
        expect(
          listPeople(session)
            .map((person) => person.value.name)
            .sort(),
        ).toEqual(['Ana Ruiz', 'Priya Patel']);
        // Unlocking checks the stored digests against the rows and the last checkpoint: the
        // digests the failed write had moved were rolled back with it, and nothing signed them.
        session.close();
        // The trap goes first: unlocking also checks the schema is Custodian's own.
        await operator.query(
          'DROP TRIGGER trap ON audit_checkpoints; DROP FUNCTION trap(); DROP SEQUENCE trap',
        );
        const again = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
        try {
          expect(listPeople(again)).toHaveLength(2);
        } finally {
          again.close();
        }
      });
    }, 120_000);
  },
);
