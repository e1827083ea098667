import Database from 'better-sqlite3';
import { headerMac } from '../../electron/vault/keyring.ts';
import { readHeader } from '../../electron/vault/store/header-store.ts';
import { unlockAs } from '../helpers/vault.ts';

/**
 * The insider of the threat model: a member with their own passphrase (so K_vault, which every
 * member holds), the source code and `sqlite3` on the closed file.
 */

/** Edit the closed vault file with plain SQLite, as anyone who can write the file could. */
export function editVault(path: string, sql: string, ...params: unknown[]): void {
  const db = new Database(path);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/**
 * Set the header's default key-derivation parameters and re-MAC the header with the insider's own K_vault, so the header MAC
 * (which only stops those without K_vault) still matches.
 */
export async function lowerDefaultKdfAsMember(
  path: string,
  member: { name: string; passphrase: string },
  defaultKdf: string,
): Promise<void> {
  const session = await unlockAs(path, member.name, member.passphrase);
  let mac: Uint8Array;
  try {
    mac = headerMac(session.keys.vault, { ...readHeader(session.db)!, default_kdf: defaultKdf });
  } finally {
    session.close();
  }
  editVault(
    path,
    'UPDATE vault_header SET default_kdf = ?, mac = ? WHERE singleton = 1',
    defaultKdf,
    Buffer.from(mac),
  );
}

export const kdfJson = (memoryMiB: number, passes: number): string =>
  JSON.stringify({ algorithm: 'argon2id', memoryKiB: memoryMiB * 1024, passes, parallelism: 1 });
