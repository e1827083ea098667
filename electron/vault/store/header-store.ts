import type { Db, WritableDb } from './connection.ts';
import { statement } from './statements.ts';

export interface HeaderRow {
  vault_id: string;
  created_at: string;
  founder_id: string;
  name_salt: Buffer;
  default_kdf: string;
  team_public_key: Buffer;
  team_generation: number;
  /** keyring.ts headerMac; null only in a vault from before format 4 until its next unlock. */
  mac: Buffer | null;
}

export function readHeader(db: Db): HeaderRow | undefined {
  return statement(db, 'SELECT * FROM vault_header WHERE singleton = 1').get() as
    HeaderRow | undefined;
}

export function insertHeader(db: WritableDb, row: HeaderRow): void {
  statement(
    db,
    `INSERT INTO vault_header (singleton, vault_id, created_at, founder_id, name_salt, default_kdf, team_public_key, team_generation, mac)
     VALUES (1, @vault_id, @created_at, @founder_id, @name_salt, @default_kdf, @team_public_key, @team_generation, @mac)`,
  ).run(row);
}

export function updateTeamKey(
  db: WritableDb,
  publicKey: Uint8Array,
  generation: number,
  mac: Uint8Array,
): void {
  statement(
    db,
    'UPDATE vault_header SET team_public_key = ?, team_generation = ?, mac = ? WHERE singleton = 1',
  ).run(publicKey, generation, mac);
}

export function setHeaderMac(db: WritableDb, mac: Uint8Array): void {
  statement(db, 'UPDATE vault_header SET mac = ? WHERE singleton = 1').run(mac);
}
