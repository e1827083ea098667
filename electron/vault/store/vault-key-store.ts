import type { Db } from './connection.ts';
import type { VaultKeyGrant } from './key-wrap-codec.ts';
import { stateDigestStore } from './state-digest.ts';
import { statement } from './statements.ts';
import { tableExists } from './dialect.ts';

export interface VaultKeyGrantRow {
  member_id: string;
  epoch: number;
  sealed_box: VaultKeyGrant;
}

/** The vault_key_grants table (migration 006): each current member's K_vault, sealed to them. */
export const vaultKeyStore = {
  grant(db: Db, memberId: string): VaultKeyGrantRow | undefined {
    return statement(db, 'SELECT * FROM vault_key_grants WHERE member_id = ?').get(memberId) as
      VaultKeyGrantRow | undefined;
  },
  upsert(db: Db, row: VaultKeyGrantRow): void {
    stateDigestStore.tracked(db, 'vault_key_grants', 'member_id = ?', [row.member_id], () =>
      statement(
        db,
        `INSERT INTO vault_key_grants (member_id, epoch, sealed_box) VALUES (@member_id, @epoch, @sealed_box)
         ON CONFLICT (member_id) DO UPDATE SET epoch = excluded.epoch, sealed_box = excluded.sealed_box`,
      ).run(row),
    );
  },
  /** Every grant goes at a new epoch: the new ones are written for current members only. */
  deleteAll(db: Db): void {
    stateDigestStore.tracked(db, 'vault_key_grants', 'TRUE', [], () =>
      statement(db, 'DELETE FROM vault_key_grants').run(),
    );
  },
  /** Whether the table exists yet (a vault before migration 006 has none). */
  exists(db: Db): boolean {
    return tableExists(db, 'vault_key_grants');
  },
};
