import Database from 'better-sqlite3';
import { openSealed, type BoxKeyPair } from '../../electron/vault/crypto/keys.ts';
import { SecretBytes } from '../../electron/vault/crypto/secret-bytes.ts';
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

/** Every account-key wrap of an account as it stands in the file. */
export function wrapsOf(path: string, accountId: string): { holder: string; sealed_box: Buffer }[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare('SELECT holder, sealed_box FROM account_key_wraps WHERE account_id = ?')
      .all(accountId) as { holder: string; sealed_box: Buffer }[];
  } finally {
    db.close();
  }
}

/** How many of these sealed boxes the key pair opens: the attacker's test of what they received. */
export function opensAny(pair: BoxKeyPair, boxes: readonly { sealed_box: Buffer }[]): number {
  let opened = 0;
  for (const box of boxes) {
    try {
      openSealed(pair, box.sealed_box).wipe();
      opened += 1;
    } catch {
      // not sealed to this key: what the attack must come to
    }
  }
  return opened;
}

/** A member's own id and X25519 key pair, as they have them after unlocking with their passphrase. */
export async function keysOf(
  path: string,
  member: { name: string; passphrase: string },
): Promise<{ id: string; box: BoxKeyPair }> {
  const session = await unlockAs(path, member.name, member.passphrase);
  try {
    const box = session.keys.box;
    return {
      id: session.member.id,
      box: { publicKey: box.publicKey, secretKey: new SecretBytes(box.secretKey.reveal().slice()) },
    };
  } finally {
    session.close();
  }
}

/** Copy rows back from an older copy of the file, as a member who kept one could. */
export function restoreRows(path: string, oldCopy: string, statements: readonly string[]): void {
  const db = new Database(path);
  try {
    db.prepare('ATTACH DATABASE ? AS old').run(oldCopy);
    for (const sql of statements) db.exec(sql);
    db.exec('DETACH DATABASE old');
  } finally {
    db.close();
  }
}
