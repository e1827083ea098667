import type { Db, WritableDb } from './connection.ts';
import type { TeamKeyGrant } from './key-wrap-codec.ts';
import type { MemberProfile } from './member-profile.ts';
import type { Sealed } from './sealed-row.ts';
import { stateDigestStore } from './state-digest.ts';
import { statement } from './statements.ts';

export interface MemberRow {
  id: string;
  name_tag: Buffer | null;
  role: string;
  box_public_key: Buffer;
  sign_public_key: Buffer;
  certified_by: string;
  certified_at: string;
  certificate: Buffer;
  removed_at: string | null;
  version: number;
  sealed: Sealed<MemberProfile>;
}

export interface KeySlotRow {
  member_id: string;
  kdf: string;
  salt: Buffer;
  version: number;
  sealed: Buffer;
}

export interface TeamGrantRow {
  member_id: string;
  generation: number;
  sealed_box: TeamKeyGrant;
}

export const memberStore = {
  byNameTag(db: Db, nameTag: Uint8Array): MemberRow | undefined {
    return statement(db, 'SELECT * FROM members WHERE name_tag = ?').get(nameTag) as
      MemberRow | undefined;
  },
  byId(db: Db, id: string): MemberRow | undefined {
    return statement(db, 'SELECT * FROM members WHERE id = ?').get(id) as MemberRow | undefined;
  },
  all(db: Db): MemberRow[] {
    return statement(db, 'SELECT * FROM members ORDER BY certified_at, rowid').all() as MemberRow[];
  },
  insert(db: WritableDb, row: MemberRow): void {
    stateDigestStore.tracked(db, 'members', 'id = ?', [row.id], () =>
      statement(
        db,
        `INSERT INTO members (id, name_tag, role, box_public_key, sign_public_key, certified_by, certified_at, certificate, removed_at, version, sealed)
         VALUES (@id, @name_tag, @role, @box_public_key, @sign_public_key, @certified_by, @certified_at, @certificate, @removed_at, @version, @sealed)`,
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
  /** Every slot's key-derivation parameters (for the cost of an unknown member's unlock). */
  slotKdfs(db: Db): { member_id: string; kdf: string }[] {
    return statement(db, 'SELECT member_id, kdf FROM key_slots').all() as {
      member_id: string;
      kdf: string;
    }[];
  },
  upsertSlot(db: WritableDb, row: KeySlotRow): void {
    stateDigestStore.tracked(db, 'key_slots', 'member_id = ?', [row.member_id], () =>
      statement(
        db,
        `INSERT INTO key_slots (member_id, kdf, salt, version, sealed) VALUES (@member_id, @kdf, @salt, @version, @sealed)
         ON CONFLICT (member_id) DO UPDATE SET kdf = excluded.kdf, salt = excluded.salt, version = excluded.version, sealed = excluded.sealed`,
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
