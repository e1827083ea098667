import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { readHeader } from '../../../electron/vault/store/header-store.ts';
import { FORMAT_4_FIXTURE, newVault, PASSPHRASES, tempDir, unlockAs } from '../../helpers/vault.ts';

/** Edit the closed vault file with plain SQLite, as someone with the file but no keys could. */
function edit(path: string, sql: string, ...params: unknown[]): void {
  const db = new Database(path);
  db.prepare(sql).run(...params);
  db.close();
}

const lead = (path: string) => unlockAs(path, 'Lena Lead', PASSPHRASES.lead);

describe('the vault header is authenticated (format 4)', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/h.vault`;
    (await newVault(path)).close();
  });
  afterEach(() => cleanup());

  it.each([
    ['created_at', "UPDATE vault_header SET created_at = '2016-01-01T00:00:00.000Z'"],
    [
      'default_kdf',
      `UPDATE vault_header SET default_kdf = '{"algorithm":"argon2id","memoryKiB":19456,"passes":1,"parallelism":1}'`,
    ],
    ['team_public_key', 'UPDATE vault_header SET team_public_key = randomblob(32)'],
    ['team_generation', 'UPDATE vault_header SET team_generation = team_generation + 1'],
  ])('a changed %s is refused at unlock', async (_column, sql) => {
    edit(path, sql);
    await expect(lead(path)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringMatching(/vault_header|team_key_grants/),
    });
  });

  it('a removed MAC is refused, not quietly recomputed', async () => {
    edit(path, 'UPDATE vault_header SET mac = NULL');
    await expect(lead(path)).rejects.toMatchObject({ code: ErrorCode.INTEGRITY });
  });

  it('a vault from before format 4 gets its MAC at the next unlock, and verifies', async () => {
    // Take a format-4 vault (made by the format-4 code) back to format 3 as an older Custodian
    // left it: no mac column.
    copyFileSync(FORMAT_4_FIXTURE, path);
    edit(path, 'ALTER TABLE vault_header DROP COLUMN mac');
    edit(path, 'PRAGMA user_version = 3');
    const session = await lead(path);
    try {
      expect(readHeader(session.db)?.mac).toBeInstanceOf(Buffer);
      expect(await verifyVault(session)).toMatchObject({ ok: true });
    } finally {
      session.close();
    }
  });
});

describe('the schema is exactly the one the migrations made', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/s.vault`;
    (await newVault(path)).close();
  });
  afterEach(() => cleanup());

  it.each([
    ['an added trigger', 'CREATE TRIGGER t AFTER INSERT ON audit_entries BEGIN SELECT 1; END'],
    ['a dropped index', 'DROP INDEX IF EXISTS rotation_due_open'],
    ['an added table', 'CREATE TABLE notes (x TEXT)'],
    ['a lowered format number', 'PRAGMA user_version = 3'],
  ])('%s is refused on open, before anything is read', async (_what, sql) => {
    edit(path, sql);
    await expect(lead(path)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringMatching(/structure has been altered/),
    });
  });
});
