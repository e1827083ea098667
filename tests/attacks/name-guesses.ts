import Database from 'better-sqlite3';
import { entryLeafHash } from '../../electron/vault/audit/entry.ts';
import { bytesEqual } from '../../electron/vault/crypto/hash.ts';
import { memberNameTag } from '../../electron/vault/keyring.ts';
import type { AuditDetails, AuditKind } from '../../shared/domain/audit.ts';
import { ROLES } from '../../shared/domain/roles.ts';

/**
 * The guesser of issue 13, attack 14: the file, the source and a name to try, no passphrase.
 * Each function says whether one clear part of the file confirms the guess.
 */

interface ClearEntry {
  seq: number;
  at: string;
  kind: AuditKind;
  actor_id: string;
  account_id: string | null;
  leaf_hash: Buffer;
}

/** Every clear blob of the members and key_slots tables and the vault header: what a tag could hide in. */
function clearBlobs(db: Database.Database): Buffer[] {
  const blobs: Buffer[] = [];
  for (const table of ['members', 'key_slots', 'vault_header']) {
    for (const row of db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
      for (const [column, value] of Object.entries(row)) {
        if (column !== 'sealed' && Buffer.isBuffer(value)) blobs.push(value);
      }
    }
  }
  return blobs;
}

/** The details an entry of this kind would carry if it named `name`: the guesser's candidates. */
function guessedDetails(
  kind: AuditKind,
  name: string,
  ids: readonly string[],
): readonly AuditDetails[] {
  switch (kind) {
    case 'vault.created':
      return [{ founder: name, role: 'lead', format: 1 }];
    case 'member.added':
      return ids.flatMap((member) => ROLES.map((role) => ({ member, name, role })));
    case 'person.added':
      return ids.map((person) => ({ person, name }));
    default:
      return [];
  }
}

function readOnly<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Whether the name's tag under the header's clear salt is among the file's clear blobs. */
export function tagConfirms(path: string, name: string): boolean {
  return readOnly(path, (db) => {
    const header = db.prepare('SELECT * FROM vault_header').get() as { name_salt: Buffer };
    const tag = memberNameTag(header.name_salt, name);
    return clearBlobs(db).some((blob) => bytesEqual(blob, tag));
  });
}

/** Whether some audit entry's leaf hash, recomputed from guessed details naming `name`, matches. */
export function leafConfirms(path: string, name: string): boolean {
  return readOnly(path, (db) => {
    // Row ids are clear: the guesser tries each as the subject of the entry.
    const ids = [
      ...(db.prepare('SELECT id FROM members').all() as { id: string }[]),
      ...(db.prepare('SELECT id FROM people').all() as { id: string }[]),
    ].map((row) => row.id);
    const entries = db.prepare('SELECT * FROM audit_entries ORDER BY seq').all() as ClearEntry[];
    return entries.some((entry) =>
      guessedDetails(entry.kind, name, ids).some((details) =>
        bytesEqual(
          entryLeafHash({
            seq: entry.seq,
            at: entry.at,
            kind: entry.kind,
            actor: entry.actor_id,
            account: entry.account_id,
            details,
          }),
          entry.leaf_hash,
        ),
      ),
    );
  });
}
