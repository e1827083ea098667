import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { newVault, PASSPHRASES, tempDir, unlockAs } from '../../helpers/vault.ts';

/**
 * Issue 17: `audit verify` checks checkpoint signatures on worker threads once a trail has more
 * than a few hundred of them, and opens every entry through one opener; it must still name the
 * first problem, as it did checking each in turn. 400 transactions, a signed checkpoint each.
 */
describe('audit verify with signatures on worker threads names the first problem', () => {
  let dir: string;
  let cleanup: () => void;
  let pristine: string;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    pristine = `${dir}/many.vault`;
    const session = await newVault(pristine);
    try {
      for (let i = 0; i < 400; i++) {
        session.write(({ audit }) => {
          audit({
            kind: 'credential.revealed',
            account: 'a'.repeat(32),
            details: { field: 'password', reason: `reveal ${i}` },
          });
        });
      }
    } finally {
      session.close();
    }
  }, 120_000);
  afterAll(() => cleanup());

  /** A copy of the vault changed by `tamper` (the attacker's own SQLite), then verified. */
  const verifyAfter = async (name: string, tamper: (db: Database.Database) => void) => {
    const path = `${dir}/${name}.vault`;
    copyFileSync(pristine, path);
    const db = new Database(path);
    tamper(db);
    db.close();
    const session = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      return await verifyVault(session);
    } finally {
      session.close();
    }
  };
  /** One bit of a checkpoint's signature changed. */
  const badSignature = (size: number) => (db: Database.Database) => {
    const { signature } = db
      .prepare('SELECT signature FROM audit_checkpoints WHERE size = ?')
      .get(size) as { signature: Buffer };
    signature[0]! ^= 0x01;
    db.prepare('UPDATE audit_checkpoints SET signature = ? WHERE size = ?').run(signature, size);
  };
  /** An entry's clear time changed: its details no longer open. */
  const editedEntry = (seq: number) => (db: Database.Database) => {
    db.prepare("UPDATE audit_entries SET at = '2020-01-01T00:00:00.000Z' WHERE seq = ?").run(seq);
  };
  const both =
    (...edits: ((db: Database.Database) => void)[]) =>
    (db: Database.Database) => {
      for (const edit of edits) edit(db);
    };

  it('passes the vault as written', async () => {
    expect(await verifyAfter('pristine', () => undefined)).toMatchObject({ ok: true });
  });

  it('names a bad signature on a checkpoint the workers checked', async () => {
    expect(await verifyAfter('bad-signature', badSignature(390))).toMatchObject({
      ok: false,
      where: 'checkpoint at size 390',
      problem: 'has a signature that does not verify',
    });
  });

  it('names the bad signature before an edited entry after it', async () => {
    expect(
      await verifyAfter('signature-then-entry', both(badSignature(350), editedEntry(395))),
    ).toMatchObject({ ok: false, where: 'checkpoint at size 350' });
  });

  it('names an edited entry before a bad signature after it', async () => {
    expect(
      await verifyAfter('entry-then-signature', both(editedEntry(380), badSignature(390))),
    ).toMatchObject({
      ok: false,
      where: 'audit entry #380',
      problem: 'does not match what was written',
    });
  });
});
