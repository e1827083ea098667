import type { Db, WritableDb } from './connection.ts';
import { stateDigestStore } from './state-digest.ts';
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
  /**
   * The checkpoint size from which every checkpoint commits to the state (ADR 0020); null in a
   * vault from before format 7 until its first unlock after the migration (absent before it).
   */
  state_since?: number | null;
}

export function readHeader(db: Db): HeaderRow | undefined {
  return statement(db, 'SELECT * FROM vault_header WHERE singleton = 1').get() as
    HeaderRow | undefined;
}

const HEADER = 'singleton = 1';

export function insertHeader(db: WritableDb, row: HeaderRow): void {
  stateDigestStore.tracked(db, 'vault_header', HEADER, [], () =>
    statement(
      db,
      `INSERT INTO vault_header (singleton, vault_id, created_at, founder_id, name_salt, default_kdf, team_public_key, team_generation, mac, state_since)
       VALUES (1, @vault_id, @created_at, @founder_id, @name_salt, @default_kdf, @team_public_key, @team_generation, @mac, @state_since)`,
    ).run({ ...row, state_since: row.state_since ?? null }),
  );
}

export function updateTeamKey(
  db: WritableDb,
  publicKey: Uint8Array,
  generation: number,
  mac: Uint8Array,
): void {
  stateDigestStore.tracked(db, 'vault_header', HEADER, [], () =>
    statement(
      db,
      'UPDATE vault_header SET team_public_key = ?, team_generation = ?, mac = ? WHERE singleton = 1',
    ).run(publicKey, generation, mac),
  );
}

/** The default key derivation for new slots, as a lead signed it (ADR 0030); with the MAC that covers it. */
export function setDefaultKdf(db: WritableDb, json: string, mac: Uint8Array): void {
  stateDigestStore.tracked(db, 'vault_header', HEADER, [], () =>
    statement(db, 'UPDATE vault_header SET default_kdf = ?, mac = ? WHERE singleton = 1').run(
      json,
      mac,
    ),
  );
}

export function setHeaderMac(db: WritableDb, mac: Uint8Array): void {
  stateDigestStore.tracked(db, 'vault_header', HEADER, [], () =>
    statement(db, 'UPDATE vault_header SET mac = ? WHERE singleton = 1').run(mac),
  );
}

/** From this checkpoint size on, every checkpoint commits to the state; with the MAC that covers it. */
export function setStateSince(db: WritableDb, size: number, mac: Uint8Array): void {
  stateDigestStore.tracked(db, 'vault_header', HEADER, [], () =>
    statement(db, 'UPDATE vault_header SET state_since = ?, mac = ? WHERE singleton = 1').run(
      size,
      mac,
    ),
  );
}
