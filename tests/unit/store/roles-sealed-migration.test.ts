import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import {
  assertSchemaIntact,
  migrate,
  MIGRATIONS,
  SCHEMA_VERSION,
  schemaVersion,
} from '../../../electron/vault/store/migrate.ts';
import { openVaultFile, sqliteFileOf, type Db } from '../../../electron/vault/store/connection.ts';
import { tempDir } from '../../helpers/vault.ts';

/**
 * Migration 009 (ADR 0028): the members and membership_chain tables are rebuilt so that the role,
 * certificate and statements can be sealed; until the first unlock seals them, the old values sit
 * in the legacy columns, untouched. The rebuild of members (which other tables refer to) runs with
 * foreign keys off, as SQLite's procedure needs, and every reference is checked before it commits.
 */
describe('migration 009: roles and statements move out of clear columns', () => {
  let dir: string;
  let cleanup: () => void;
  let db: Db;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    db = openVaultFile(`${dir}/v.vault`, { create: true });
    migrate(db, MIGRATIONS.slice(0, 8));
    const certificate = Buffer.alloc(64, 7);
    const insert = db.prepare(
      `INSERT INTO members (id, name_tag, role, box_public_key, sign_public_key, certified_by, certified_at, certificate, removed_at, version, sealed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, ?)`,
    );
    insert.run(
      'm1',
      Buffer.alloc(32, 1),
      'lead',
      Buffer.alloc(32, 2),
      Buffer.alloc(32, 3),
      'm1',
      '2026-01-01T00:00:00.000Z',
      certificate,
      Buffer.alloc(40, 4),
    );
    insert.run(
      'm2',
      Buffer.alloc(32, 5),
      'security',
      Buffer.alloc(32, 6),
      Buffer.alloc(32, 7),
      'm1',
      '2026-01-02T00:00:00.000Z',
      certificate,
      Buffer.alloc(40, 8),
    );
    db.prepare(
      "INSERT INTO key_slots (member_id, kdf, salt, lookup_tag, legacy_name_tag, version, sealed) VALUES ('m2', '{}', NULL, ?, NULL, 1, ?)",
    ).run(Buffer.alloc(32, 9), Buffer.alloc(40, 9));
    db.prepare('INSERT INTO membership_chain (seq, statement, signature) VALUES (1, ?, ?)').run(
      '{"kind":"genesis","role":"lead"}',
      Buffer.alloc(64, 1),
    );
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it('keeps every value in the legacy columns, in the order members were added, and the schema is the expected one', () => {
    migrate(db);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    assertSchemaIntact(db);
    const members = db
      .prepare(
        'SELECT id, legacy_role, legacy_certified_by, legacy_certified_at, length(legacy_certificate) AS c FROM members ORDER BY rowid',
      )
      .all();
    expect(members).toEqual([
      {
        id: 'm1',
        legacy_role: 'lead',
        legacy_certified_by: 'm1',
        legacy_certified_at: '2026-01-01T00:00:00.000Z',
        c: 64,
      },
      {
        id: 'm2',
        legacy_role: 'security',
        legacy_certified_by: 'm1',
        legacy_certified_at: '2026-01-02T00:00:00.000Z',
        c: 64,
      },
    ]);
    expect(db.prepare('SELECT seq, legacy_statement, sealed FROM membership_chain').all()).toEqual([
      { seq: 1, legacy_statement: '{"kind":"genesis","role":"lead"}', sealed: null },
    ]);
    // Foreign keys are enforced again, and still point at the rebuilt table.
    expect(sqliteFileOf(db)!.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqliteFileOf(db)!.pragma('foreign_key_check')).toEqual([]);
    expect(() =>
      db
        .prepare(
          "INSERT INTO key_slots (member_id, kdf, salt, lookup_tag, legacy_name_tag, version, sealed) VALUES ('nobody', '{}', NULL, ?, NULL, 1, ?)",
        )
        .run(Buffer.alloc(32, 1), Buffer.alloc(1)),
    ).toThrow(/FOREIGN KEY/);
  });

  it('a vault whose rows refer to rows that do not exist is refused, and nothing is changed', () => {
    sqliteFileOf(db)!.pragma('foreign_keys = OFF');
    db.prepare("UPDATE key_slots SET member_id = 'gone' WHERE member_id = 'm2'").run();
    sqliteFileOf(db)!.pragma('foreign_keys = ON');
    expect(() => migrate(db)).toThrow(expect.objectContaining({ code: ErrorCode.INTEGRITY }));
    expect(schemaVersion(db)).toBe(8);
    expect(db.prepare('SELECT role FROM members ORDER BY rowid').all()).toEqual([
      { role: 'lead' },
      { role: 'security' },
    ]);
    expect(sqliteFileOf(db)!.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});
