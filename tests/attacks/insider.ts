import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { open } from '../../electron/vault/crypto/aead.ts';
import { openSealed, type BoxKeyPair } from '../../electron/vault/crypto/keys.ts';
import { SecretBytes } from '../../electron/vault/crypto/secret-bytes.ts';
import { headerMac } from '../../electron/vault/keyring.ts';
import { readHeader } from '../../electron/vault/store/header-store.ts';
import { associatedData, type ClearColumns } from '../../electron/vault/store/sealed-row.ts';
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

/**
 * The tables whose sealed column is under K_vault, and their row key. Every one builds its
 * associated data the same way (table, row id, version, every other column), which is what lets
 * an insider with K_vault and the source code open any of them.
 */
const VAULT_KEY_TABLES: readonly { table: string; id: string }[] = [
  { table: 'members', id: 'id' },
  { table: 'accounts', id: 'id' },
  { table: 'rotations', id: 'id' },
  { table: 'rotation_due', id: 'id' },
  { table: 'audit_entries', id: 'seq' },
  { table: 'people', id: 'id' },
  { table: 'team_memberships', id: 'id' },
  { table: 'devices', id: 'id' },
  { table: 'incidents', id: 'id' },
  { table: 'quiet_periods', id: 'id' },
  { table: 'account_changes', id: 'id' },
  { table: 'settings', id: 'id' },
  { table: 'health_summaries', id: 'id' },
];

/**
 * Every K_vault-sealed row of the file that this key opens, as `table/id`, optionally only those
 * a filter picks (say, written after a removal). What an insider holding a K_vault learns.
 */
export function rowsOpenedBy(
  path: string,
  vaultKey: Uint8Array,
  pick: (table: string, row: Record<string, unknown>) => boolean = () => true,
): string[] {
  const db = new Database(path, { readonly: true });
  const key = new SecretBytes(vaultKey.slice());
  const opened: string[] = [];
  try {
    for (const { table, id } of VAULT_KEY_TABLES) {
      const rows = db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
      for (const row of rows) {
        if (!pick(table, row)) continue;
        const clear: ClearColumns = {};
        for (const [name, value] of Object.entries(row)) {
          if (name === id || name === 'version' || name === 'sealed') continue;
          clear[name] = value as ClearColumns[string];
        }
        const ad = associatedData({
          table,
          id: row[id] as string,
          version: (row.version as number | undefined) ?? 1,
          clear,
        });
        try {
          open(key, row.sealed as Uint8Array, ad).fill(0);
          opened.push(`${table}/${String(row[id])}`);
        } catch {
          // does not open with this key
        }
      }
    }
  } finally {
    key.wipe();
    db.close();
  }
  return opened;
}

/** The vault file and its -wal, as one buffer: what a byte search of "the file" covers. */
export function fileAndWal(path: string): Buffer {
  const parts = [readFileSync(path)];
  if (existsSync(`${path}-wal`)) parts.push(readFileSync(`${path}-wal`));
  return Buffer.concat(parts);
}

/** A member's key slot row as it stands in the file: what a carver looks for later. */
export function slotRow(
  path: string,
  memberId: string,
): { kdf: string; salt: Buffer; version: number; sealed: Buffer } {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT * FROM key_slots WHERE member_id = ?').get(memberId) as {
      kdf: string;
      salt: Buffer;
      version: number;
      sealed: Buffer;
    };
  } finally {
    db.close();
  }
}

/**
 * What a member's passphrase gives them on a copy of the file: their id, X25519 key pair, the
 * K_vault they hold and (lead/dmt) the team key pair, all copied out of the session as an insider
 * would keep them.
 */
export async function everyKeyOf(
  path: string,
  member: { name: string; passphrase: string },
): Promise<{ id: string; box: BoxKeyPair; vault: Uint8Array; team: BoxKeyPair | undefined }> {
  const session = await unlockAs(path, member.name, member.passphrase);
  const copy = (pair: BoxKeyPair): BoxKeyPair => ({
    publicKey: pair.publicKey.slice(),
    secretKey: new SecretBytes(pair.secretKey.reveal().slice()),
  });
  try {
    return {
      id: session.member.id,
      box: copy(session.keys.box),
      vault: session.keys.vault.reveal().slice(),
      team: session.team ? copy(session.team) : undefined,
    };
  } finally {
    session.close();
  }
}
