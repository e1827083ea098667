import { mkdirSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import {
  loadMigrations,
  migrate,
  MIGRATIONS,
  RESERVED_ELSEWHERE,
  SCHEMA_VERSION,
  schemaVersion,
} from '../../../electron/vault/store/migrate.ts';
import { openVaultFile } from '../../../electron/vault/store/connection.ts';
import { tempDir } from '../../helpers/vault.ts';

describe('migrations', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('are numbered one a file from 001 and bring a new vault to the latest version', () => {
    // One a number, in order, but for the numbers other branches hold (RESERVED_ELSEWHERE).
    const numbers = Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1);
    expect(MIGRATIONS.map((m) => m.version)).toEqual(
      numbers.filter((n) => !RESERVED_ELSEWHERE.has(n)),
    );
    const db = openVaultFile(`${dir}/v.vault`, { create: true });
    migrate(db);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    db.close();
  });

  it('001 creates every table the vault uses', () => {
    const db = new Database(':memory:');
    db.exec(MIGRATIONS[0]!.sql);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    expect(tables).toEqual([
      'account_key_wraps',
      'accounts',
      'audit_checkpoints',
      'audit_entries',
      'credentials',
      'key_slots',
      'members',
      'merkle_frontier',
      'rotation_due',
      'rotations',
      'team_key_grants',
      'vault_header',
    ]);
    db.close();
  });

  it('the open-rotation lookup uses its partial index', () => {
    const db = new Database(':memory:');
    db.exec(MIGRATIONS[0]!.sql);
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT * FROM rotation_due WHERE account_id = ? AND resolved_by IS NULL',
      )
      .all('x') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('rotation_due_open');
    db.close();
  });

  it('run in one transaction: a failing migration leaves the vault at its old version', () => {
    const folder = `${dir}/migrations/`;
    mkdirSync(folder);
    writeFileSync(`${folder}001-first.sql`, 'CREATE TABLE a (x INTEGER);');
    writeFileSync(`${folder}002-broken.sql`, 'CREATE TABLE b (x INTEGER); THIS IS NOT SQL;');
    const db = new Database(`${dir}/m.db`);
    expect(() => migrate(db, loadMigrations(folder))).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(
      db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('a', 'b')").get(),
    ).toEqual({ n: 0 });
    db.close();
  });

  it('a vault from a newer Custodian is refused with a clear message, untouched', () => {
    const path = `${dir}/newer.vault`;
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openVaultFile(path, { create: false })).toThrow(
      expect.objectContaining({
        code: ErrorCode.VAULT_TOO_NEW,
        message: expect.stringMatching(/newer version of Custodian/),
      }),
    );
  });
});
