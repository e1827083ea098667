import { mkdirSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import {
  loadMigrations,
  migrate,
  MIGRATIONS,
  SCHEMA_VERSION,
  schemaVersion,
} from '../../../electron/vault/store/migrate.ts';
import {
  openVaultFile,
  sqliteConnection,
  sqliteFileOf,
} from '../../../electron/vault/store/connection.ts';
import { tempDir } from '../../helpers/vault.ts';

describe('migrations', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('are numbered one a file from 001, rising, and bring a new vault to the latest version', () => {
    // Rising strictly from 1; a number held by another branch may be missing until the merge.
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(SCHEMA_VERSION).toBe(versions.at(-1));
    const db = openVaultFile(`${dir}/v.vault`, { create: true });
    migrate(db);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(sqliteFileOf(db)!.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqliteFileOf(db)!.pragma('synchronous', { simple: true })).toBe(2); // FULL
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

  it('refuse a number that does not rise (two files with one number)', () => {
    const folder = `${dir}/twice/`;
    mkdirSync(folder);
    writeFileSync(`${folder}001-first.sql`, 'CREATE TABLE a (x INTEGER);');
    writeFileSync(`${folder}003-third.sql`, 'CREATE TABLE c (x INTEGER);');
    writeFileSync(`${folder}003-again.sql`, 'CREATE TABLE d (x INTEGER);');
    expect(() => loadMigrations(folder)).toThrow(/out of sequence/);
  });

  it('leave the number of the latest file as the format, with a number missing between', () => {
    const folder = `${dir}/gap/`;
    mkdirSync(folder);
    writeFileSync(`${folder}001-first.sql`, 'CREATE TABLE a (x INTEGER);');
    writeFileSync(`${folder}003-third.sql`, 'CREATE TABLE c (x INTEGER);');
    const db = sqliteConnection(new Database(':memory:'));
    migrate(db, loadMigrations(folder));
    expect(schemaVersion(db)).toBe(3);
    db.close();
  });

  it('011 adds the policy records (6.4, 3.4, 6.3) to a vault made before it, keeping its rows', () => {
    const db = sqliteConnection(new Database(':memory:'));
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 8),
    );
    db.prepare(
      "INSERT INTO people (id, created_at, version, sealed) VALUES ('p1', '2026-01-01', 1, x'00')",
    ).run();
    migrate(db);
    const tables = (
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('complaints', 'channel_trials', 'third_party_apps') ORDER BY name",
        )
        .all() as { name: string }[]
    ).map((t) => t.name);
    expect(tables).toEqual(['channel_trials', 'complaints', 'third_party_apps']);
    expect(db.prepare('SELECT COUNT(*) AS n FROM people').get()).toEqual({ n: 1 });
    const plan = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT seq FROM audit_entries WHERE kind = 'third-party-app.added' ORDER BY seq",
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('audit_app_additions');
    db.close();
  });

  it('run in one transaction: a failing migration leaves the vault at its old version', () => {
    const folder = `${dir}/migrations/`;
    mkdirSync(folder);
    writeFileSync(`${folder}001-first.sql`, 'CREATE TABLE a (x INTEGER);');
    writeFileSync(`${folder}002-broken.sql`, 'CREATE TABLE b (x INTEGER); THIS IS NOT SQL;');
    const db = sqliteConnection(new Database(`${dir}/m.db`));
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
