import type { Db, WritableDb } from './connection.ts';
import type { TeamKeyGrant } from './key-wrap-codec.ts';
import type { MemberProfile } from './member-profile.ts';
import type { Sealed } from './sealed-row.ts';
import { stateDigestStore } from './state-digest.ts';
import { schemaVersion } from './migrate.ts';
import { statement } from './statements.ts';

/**
 * A members row. From format 9 (migration 009, ADR 0028) the role and the certificate are in the
 * sealed blob; a row from before keeps them in the `legacy_` columns (read from the old columns
 * in a vault not yet migrated) until the first unlock seals them (role-sealing.ts).
 */
export interface MemberRow {
  id: string;
  name_tag: Buffer | null;
  box_public_key: Buffer;
  sign_public_key: Buffer;
  removed_at: string | null;
  legacy_role: string | null;
  legacy_certified_by: string | null;
  legacy_certified_at: string | null;
  legacy_certificate: Buffer | null;
  version: number;
  sealed: Sealed<MemberProfile>;
}

/** The format (migration 009) from which a members row seals its role and certificate. */
export const ROLES_SEALED_FORMAT = 9;

/** The members rows as this format stores them, in the order they were added. */
function membersSql(db: Db, where = ''): string {
  if (schemaVersion(db) >= ROLES_SEALED_FORMAT) {
    return `SELECT * FROM members ${where} ORDER BY rowid`;
  }
  return `SELECT id, name_tag, box_public_key, sign_public_key, removed_at, role AS legacy_role, certified_by AS legacy_certified_by, certified_at AS legacy_certified_at, certificate AS legacy_certificate, version, sealed FROM members ${where} ORDER BY certified_at, rowid`;
}

/** A key slot row (migration 008: salted before format 8, name-bound from it; keyring.ts SlotLocator). */
export interface KeySlotRow {
  member_id: string;
  kdf: string;
  salt: Buffer | null;
  lookup_tag: Buffer | null;
  /** A salted slot's member's name tag from before format 8, to find it by until it is upgraded. */
  legacy_name_tag: Buffer | null;
  version: number;
  sealed: Buffer;
}

/** The format (migration 008) from which slots carry their lookup tags. */
const NAME_BOUND_FORMAT = 8;

export interface TeamGrantRow {
  member_id: string;
  generation: number;
  sealed_box: TeamKeyGrant;
}

export const memberStore = {
  byNameTag(db: Db, nameTag: Uint8Array): MemberRow | undefined {
    return statement(db, membersSql(db, 'WHERE name_tag = ?')).get(nameTag) as
      MemberRow | undefined;
  },
  byId(db: Db, id: string): MemberRow | undefined {
    return statement(db, membersSql(db, 'WHERE id = ?')).get(id) as MemberRow | undefined;
  },
  all(db: Db): MemberRow[] {
    return statement(db, membersSql(db)).all() as MemberRow[];
  },
  /** Rows still holding their role and certificate in clear (before their first unlock at format 9). */
  legacyRows(db: Db): MemberRow[] {
    return statement(db, membersSql(db, 'WHERE legacy_role IS NOT NULL')).all() as MemberRow[];
  },
  insert(db: WritableDb, row: MemberRow): void {
    stateDigestStore.tracked(db, 'members', 'id = ?', [row.id], () =>
      statement(
        db,
        `INSERT INTO members (id, name_tag, box_public_key, sign_public_key, removed_at, legacy_role, legacy_certified_by, legacy_certified_at, legacy_certificate, version, sealed)
         VALUES (@id, @name_tag, @box_public_key, @sign_public_key, @removed_at, NULL, NULL, NULL, NULL, @version, @sealed)`,
      ).run(row),
    );
  },
  /** A row from before format 9 with its role and certificate sealed, the clear copies gone. */
  sealLegacy(db: WritableDb, row: Pick<MemberRow, 'id' | 'version' | 'sealed'>): void {
    stateDigestStore.tracked(db, 'members', 'id = ?', [row.id], () =>
      statement(
        db,
        'UPDATE members SET legacy_role = NULL, legacy_certified_by = NULL, legacy_certified_at = NULL, legacy_certificate = NULL, version = @version, sealed = @sealed WHERE id = @id',
      ).run(row),
    );
  },
  /** A member row's name tag re-keyed (format 8: from the clear name salt to K_vault), sealed again. */
  retag(db: WritableDb, row: Pick<MemberRow, 'id' | 'name_tag' | 'version' | 'sealed'>): void {
    stateDigestStore.tracked(db, 'members', 'id = ?', [row.id], () =>
      statement(
        db,
        'UPDATE members SET name_tag = @name_tag, version = @version, sealed = @sealed WHERE id = @id',
      ).run(row),
    );
  },
  markRemoved(
    db: WritableDb,
    row: Pick<MemberRow, 'id' | 'removed_at' | 'version' | 'sealed'>,
  ): void {
    stateDigestStore.tracked(db, 'members', 'id = ?', [row.id], () =>
      statement(
        db,
        'UPDATE members SET name_tag = NULL, removed_at = @removed_at, version = @version, sealed = @sealed WHERE id = @id',
      ).run(row),
    );
  },
  slot(db: Db, memberId: string): KeySlotRow | undefined {
    return statement(db, 'SELECT * FROM key_slots WHERE member_id = ?').get(memberId) as
      KeySlotRow | undefined;
  },
  /**
   * Every slot, as an unlock searches them. In a vault not yet migrated to format 8 (the unlock
   * migrates only once the member is found), a slot's old name tag is its member row's.
   */
  slots(db: Db): KeySlotRow[] {
    if (schemaVersion(db) >= NAME_BOUND_FORMAT) {
      return statement(db, 'SELECT * FROM key_slots').all() as KeySlotRow[];
    }
    return statement(
      db,
      `SELECT key_slots.member_id, kdf, salt, NULL AS lookup_tag, members.name_tag AS legacy_name_tag, key_slots.version, key_slots.sealed
       FROM key_slots JOIN members ON members.id = key_slots.member_id`,
    ).all() as KeySlotRow[];
  },
  /** Write a slot; a slot written is never found by an old name tag again. */
  upsertSlot(db: WritableDb, row: Omit<KeySlotRow, 'legacy_name_tag'>): void {
    stateDigestStore.tracked(db, 'key_slots', 'member_id = ?', [row.member_id], () =>
      statement(
        db,
        `INSERT INTO key_slots (member_id, kdf, salt, lookup_tag, legacy_name_tag, version, sealed) VALUES (@member_id, @kdf, @salt, @lookup_tag, NULL, @version, @sealed)
         ON CONFLICT (member_id) DO UPDATE SET kdf = excluded.kdf, salt = excluded.salt, lookup_tag = excluded.lookup_tag, legacy_name_tag = NULL, version = excluded.version, sealed = excluded.sealed`,
      ).run(row),
    );
  },
  deleteSlot(db: WritableDb, memberId: string): void {
    stateDigestStore.tracked(db, 'key_slots', 'member_id = ?', [memberId], () =>
      statement(db, 'DELETE FROM key_slots WHERE member_id = ?').run(memberId),
    );
  },
  teamGrant(db: Db, memberId: string): TeamGrantRow | undefined {
    return statement(db, 'SELECT * FROM team_key_grants WHERE member_id = ?').get(memberId) as
      TeamGrantRow | undefined;
  },
  upsertTeamGrant(db: WritableDb, row: TeamGrantRow): void {
    stateDigestStore.tracked(db, 'team_key_grants', 'member_id = ?', [row.member_id], () =>
      statement(
        db,
        `INSERT INTO team_key_grants (member_id, generation, sealed_box) VALUES (@member_id, @generation, @sealed_box)
         ON CONFLICT (member_id) DO UPDATE SET generation = excluded.generation, sealed_box = excluded.sealed_box`,
      ).run(row),
    );
  },
  deleteTeamGrant(db: WritableDb, memberId: string): void {
    stateDigestStore.tracked(db, 'team_key_grants', 'member_id = ?', [memberId], () =>
      statement(db, 'DELETE FROM team_key_grants WHERE member_id = ?').run(memberId),
    );
  },
};
