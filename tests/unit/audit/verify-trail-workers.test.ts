import { copyFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrailChecks } from '../../../electron/vault/audit/trail-checks.ts';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { newVault, PASSPHRASES, tempDir, unlockAs } from '../../helpers/vault.ts';

/**
 * Issue 17: `audit verify` of a vault file reads its trail and opens every entry's details on
 * worker threads (audit/trail-worker.mjs, their own read-only connections and copies of K_vault),
 * and must give the verdict it gives reading every row in turn: the first bad entry named, with
 * the same words. Each tampered copy is verified both ways; pages of 2,000 entries each go to
 * two workers, so a trail of 5,000 spreads over both.
 */
describe('audit verify with the trail opened on worker threads', () => {
  let dir: string;
  let cleanup: () => void;
  let pristine: string;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    pristine = `${dir}/trail.vault`;
    const session = await newVault(pristine);
    try {
      for (let i = 0; i < 250; i++) {
        session.write(({ audit }) => {
          for (let j = 0; j < 20; j++) {
            audit({
              kind: 'credential.revealed',
              account: 'a'.repeat(32),
              details: { field: 'password', reason: `reveal ${i}.${j}` },
            });
          }
        });
      }
    } finally {
      session.close();
    }
  }, 120_000);
  afterAll(() => cleanup());

  /** A copy changed by `tamper` (the attacker's own SQLite), verified both ways: the verdicts agree. */
  const verifyAfter = async (name: string, tamper: (db: Database.Database) => void) => {
    const path = `${dir}/${name}.vault`;
    copyFileSync(pristine, path);
    const db = new Database(path);
    tamper(db);
    db.close();
    const session = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      const here = await verifyVault(session, { trailWorkers: false });
      expect(await verifyVault(session, { trailWorkers: true })).toEqual(here);
      return here;
    } finally {
      session.close();
    }
  };
  const set =
    (sql: string, ...params: unknown[]) =>
    (db: Database.Database) => {
      db.prepare(sql).run(...params);
    };

  it('passes the trail as written', async () => {
    expect(await verifyAfter('pristine', () => undefined)).toMatchObject({ ok: true });
  });

  it('opens every entry of an untouched trail on the workers, none left to this thread', async () => {
    const session = await unlockAs(pristine, 'Lena Lead', PASSPHRASES.lead);
    const trail = new TrailChecks(pristine, session.keys.vault, 2);
    try {
      let rows = 0;
      let passed = 0;
      for await (const page of trail.pages(5000)) {
        if ('unread' in page) throw new Error(`page after ${page.after} was not read`);
        rows += page.seqs.length;
        passed += page.passed.reduce((sum, bit) => sum + bit, 0);
      }
      expect({ rows, passed }).toEqual({ rows: 5000, passed: 5000 });
    } finally {
      await trail.close();
      session.close();
    }
  });

  it('has the workers already holding the key zero it and stop when a later one cannot start', async () => {
    const session = await unlockAs(pristine, 'Lena Lead', PASSPHRASES.lead);
    const started: Worker[] = [];
    try {
      expect(
        () =>
          new TrailChecks(pristine, session.keys.vault, 3, (url, options) => {
            if (started.length === 2) throw new Error('no more threads');
            const worker = new Worker(url, options);
            started.push(worker);
            return worker;
          }),
      ).toThrow('no more threads');
      const ends = await Promise.all(
        started.map(
          (worker) =>
            new Promise<{ zeroed: boolean }>((resolve) => {
              let zeroed = false;
              worker.on('message', (message: { closed?: boolean }) => {
                if (message.closed === true) zeroed = true;
              });
              worker.once('exit', () => resolve({ zeroed }));
            }),
        ),
      );
      expect(ends).toEqual([{ zeroed: true }, { zeroed: true }]);
    } finally {
      session.close();
    }
  });

  it('names an entry whose clear column was changed (its details no longer open)', async () => {
    const verdict = await verifyAfter(
      'edited',
      set("UPDATE audit_entries SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 4321"),
    );
    expect(verdict).toMatchObject({ ok: false, where: 'audit entry #4321' });
  });

  it('names the first of two bad entries, pages and workers apart', async () => {
    const verdict = await verifyAfter('two', (db) => {
      set("UPDATE audit_entries SET actor_id = 'someone' WHERE seq = 4500")(db);
      set("UPDATE audit_entries SET kind = 'credential.copied' WHERE seq = 2100")(db);
    });
    expect(verdict).toMatchObject({ ok: false, where: 'audit entry #2100' });
  });

  it('names an entry deleted from the middle as the gap', async () => {
    const verdict = await verifyAfter('gap', set('DELETE FROM audit_entries WHERE seq = 3000'));
    expect(verdict).toMatchObject({ ok: false, where: 'audit entry #3000' });
  });

  it('names a leaf hash replaced by another entry’s', async () => {
    const verdict = await verifyAfter(
      'leaf',
      set(
        'UPDATE audit_entries SET leaf_hash = (SELECT leaf_hash FROM audit_entries WHERE seq = 10) WHERE seq = 2500',
      ),
    );
    expect(verdict).toMatchObject({ ok: false, where: 'audit entry #2500' });
  });
});
