import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { checkpointBody } from '../../electron/vault/audit/checkpoint.ts';
import { auditKindSchema, entryLeafHash } from '../../electron/vault/audit/entry.ts';
import { auditedTransaction, type NewAuditEntry } from '../../electron/vault/audit/log.ts';
import { Frontier } from '../../electron/vault/audit/merkle.ts';
import { open } from '../../electron/vault/crypto/aead.ts';
import {
  openSealed,
  sign,
  signingPublicKeyOf,
  type BoxKeyPair,
} from '../../electron/vault/crypto/keys.ts';
import { SecretBytes } from '../../electron/vault/crypto/secret-bytes.ts';
import { headerMac, memberNameTag, openSlot, storedKdf } from '../../electron/vault/keyring.ts';
import type { AuditEntryRow } from '../../electron/vault/store/audit-store.ts';
import { readHeader } from '../../electron/vault/store/header-store.ts';
import {
  openAuditDetails,
  sealAuditDetails,
} from '../../electron/vault/store/audit-entry-codec.ts';
import { type ReadableDb } from '../../electron/vault/store/connection.ts';
import { stateColumns, tableExists } from '../../electron/vault/store/dialect.ts';
import { isServerUrl } from '../../shared/vault-location.ts';
import { dashboardSummaryTable } from '../../electron/vault/store/dashboard-summary.ts';
import { stateCommitment, stateDigestStore } from '../../electron/vault/store/state-digest.ts';
import { associatedData, type ClearColumns } from '../../electron/vault/store/sealed-row.ts';
// The same list the epoch's re-seal walks: what an insider with K_vault and the source can open.
import { VAULT_KEY_TABLES } from '../../electron/vault/store/reseal.ts';
import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { addThirdPartyApp } from '../../electron/vault/domain/third-party-apps.ts';
import { insiderConnection } from '../helpers/insider-connection.ts';
import { PASSPHRASES, populatedVault, unlockAs, vaultLocation } from '../helpers/vault.ts';

/**
 * The insider of the threat model: a member with their own passphrase (so K_vault, which every
 * member holds), the source code and `sqlite3` on the closed file, or on a shared vault (issue 14)
 * the database's credentials and `psql` (the workstations' own role: rows, not keys). Every helper
 * takes the vault as the test names it: a path, which on the `postgres` project is a database of
 * the test's throwaway cluster (tests/helpers/vault.ts `vaultLocation`), reached over a connection
 * of the insider's own. Where a statement is SQLite's own, the helper says so and the server gets
 * its twin.
 */

/** Whether the vault a test names is on the server (the `postgres` project). */
export function onServer(path: string): boolean {
  return isServerUrl(vaultLocation(path));
}

/**
 * A connection of the insider's own to the vault: better-sqlite3 on the file, or a plain
 * connection to the server's database as psql makes (no schema check, no session, no key). The
 * store's statements run on it as on the app's (`?` parameters are numbered on the server).
 */
export function insiderDb(path: string): ReadableDb {
  return insiderConnection(vaultLocation(path));
}

/** Run `use` on an insider's connection (insiderDb), closed after. */
export function withInsiderDb<T>(path: string, use: (db: ReadableDb) => T): T {
  const db = insiderDb(path);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/**
 * Edit the vault with plain SQL, as anyone who can write the file (sqlite3) or the database (psql)
 * could: one statement, outside any transaction of the app's. Returns the rows changed.
 */
export function editVault(path: string, sql: string, ...params: unknown[]): number {
  return withInsiderDb(path, (db) => db.prepare(sql).run(...params).changes);
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
  const keys = signingKeysIn(session);
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
  // Whoever can re-MAC the header can also sign the edited state (ADR 0020).
  resignStateAs(path, keys);
}

/** What a member needs to append to the trail and sign as themselves, copied out of a session. */
export interface SigningKeys {
  readonly vaultId: string;
  readonly memberId: string;
  readonly vaultKey: SecretBytes;
  readonly signing: SecretBytes;
}

function signingKeysIn(session: Awaited<ReturnType<typeof unlockAs>>): SigningKeys {
  return {
    vaultId: session.vaultId,
    memberId: session.member.id,
    vaultKey: new SecretBytes(session.keys.vault.reveal().slice()),
    signing: new SecretBytes(session.keys.signing.secretKey.reveal().slice()),
  };
}

/** A member's signing keys, as they keep them before editing the file. */
export async function signingKeysOf(
  path: string,
  member: { name: string; passphrase: string },
): Promise<SigningKeys> {
  const session = await unlockAs(path, member.name, member.passphrase);
  try {
    return signingKeysIn(session);
  } finally {
    session.close();
  }
}

/**
 * Sign the file's rows, as they now stand, as the vault's state (ADR 0020), as any current member
 * can with their own keys after editing rows: every table's digest recomputed, and an entry of
 * their own appended whose checkpoint commits to it. The state check is then satisfied, and only
 * the signed chain and the rows' own seals are left to catch the edit.
 */
export function resignStateAs(
  path: string,
  keys: SigningKeys,
  at = new Date().toISOString(),
): void {
  const db = insiderDb(path);
  try {
    auditedTransaction(
      db,
      {
        vaultId: keys.vaultId,
        vaultKey: keys.vaultKey,
        actor: {
          memberId: keys.memberId,
          signing: { secretKey: keys.signing, publicKey: signingPublicKeyOf(keys.signing) },
        },
      },
      at,
      (writable, audit) => {
        stateDigestStore.replaceAll(writable, stateDigestStore.recompute(writable));
        audit({ kind: 'session.locked' });
      },
    );
  } finally {
    db.close();
  }
}

export const kdfJson = (memoryMiB: number, passes: number): string =>
  JSON.stringify({ algorithm: 'argon2id', memoryKiB: memoryMiB * 1024, passes, parallelism: 1 });

/** Every account-key wrap of an account as it stands in the file. */
export function wrapsOf(path: string, accountId: string): { holder: string; sealed_box: Buffer }[] {
  return withInsiderDb(
    path,
    (db) =>
      db
        .prepare('SELECT holder, sealed_box FROM account_key_wraps WHERE account_id = ?')
        .all(accountId) as { holder: string; sealed_box: Buffer }[],
  );
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

/**
 * Server copies kept by `keepCopy`, by the name the test gave the copy: every table's rows (their
 * cells as the state digest sees them, the server's own `rowid` left out), as an insider's
 * `pg_dump` of the database keeps them.
 */
const serverCopies = new Map<string, Map<string, { columns: string; rows: unknown[][] }>>();

/**
 * Keep a copy of the vault as it stands, under the name `kept` (a path beside the vault): the file
 * copied, or on the server its tables' rows, as a member who kept one could.
 */
export function keepCopy(path: string, kept: string): void {
  if (!onServer(path)) {
    copyFileSync(path, kept);
    return;
  }
  withInsiderDb(path, (db) => {
    const tables = db
      .prepare(
        'SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename',
      )
      .pluck()
      .all() as string[];
    const copy = new Map<string, { columns: string; rows: unknown[][] }>();
    for (const table of tables) {
      const columns = stateColumns(db, table);
      copy.set(table, {
        columns,
        rows: db.prepare(`SELECT ${columns} FROM ${table}`).raw().all() as unknown[][],
      });
    }
    serverCopies.set(kept, copy);
  });
}

/** Put back `table`'s rows that `where` picks from the kept copy (`old`), replacing today's. */
export function putBack(
  table: string,
  where = 'TRUE',
): { readonly table: string; readonly where: string } {
  return { table, where };
}

/**
 * Copy rows back from an older copy of the vault (keepCopy), as a member who kept one could: each
 * step either puts a table's rows back (putBack: today's rows that `where` picks deleted, the kept
 * copy's inserted) or is a statement of its own naming the kept copy's tables as `old.TABLE`. On
 * the file the copy is attached as `old`; on the server its rows are loaded into temporary tables
 * of the insider's connection first.
 */
export function restoreRows(
  path: string,
  kept: string,
  steps: readonly (string | { readonly table: string; readonly where: string })[],
): void {
  const server = onServer(path);
  withInsiderDb(path, (db) => {
    const copy = server ? serverCopies.get(kept) : undefined;
    if (server && !copy) throw new Error(`No copy kept as ${kept}: keepCopy first.`);
    if (copy) {
      // Temporary tables come first in the search path unless it names them: after the vault's
      // own schema, so a bare name is always the vault's table and the kept copy is `pg_temp.`.
      db.prepare("SELECT set_config('search_path', current_schema() || ', pg_temp', false)").get();
      for (const [table, { columns, rows }] of copy) {
        db.prepare(
          `CREATE TEMPORARY TABLE ${table} AS SELECT ${columns} FROM ${table} WITH NO DATA`,
        ).run();
        if (rows.length === 0) continue;
        const marks = `(${rows[0]!.map(() => '?').join(', ')})`;
        const insert = db.prepare(`INSERT INTO pg_temp.${table} VALUES ${marks}`);
        for (const row of rows) insert.run(...row);
      }
    } else db.prepare('ATTACH DATABASE ? AS old').run(kept);
    const old = server ? 'pg_temp.' : 'old.';
    for (const step of steps) {
      if (typeof step === 'string') {
        db.prepare(step.replaceAll('old.', old)).run();
        continue;
      }
      const columns = stateColumns(db, step.table);
      db.prepare(`DELETE FROM ${step.table} WHERE ${step.where}`).run();
      db.prepare(
        `INSERT INTO ${step.table} ${server ? `(${columns}) ` : ''}SELECT ${columns} FROM ${old}${step.table} WHERE ${step.where}`,
      ).run();
    }
    if (!server) db.prepare('DETACH DATABASE old').run();
  });
}

/**
 * Rewrite the audit trail as a member can with their own keys (issue 13, attack 6): drop the
 * entries `drop` names, renumber and re-seal every later entry with its original actor, rebuild
 * the Merkle tree, keep the checkpoints before the first dropped entry and sign one checkpoint of
 * their own wherever a later one stood. Every leaf, seal and signature is well formed: only who
 * signed what can give it away.
 */
export async function rewriteTrailAs(
  path: string,
  member: { name: string; passphrase: string },
  drop: (entry: { seq: number; kind: string; actor_id: string }) => boolean,
): Promise<{ dropped: number }> {
  const session = await unlockAs(path, member.name, member.passphrase);
  const vaultKey = new SecretBytes(session.keys.vault.reveal().slice());
  const signing = new SecretBytes(session.keys.signing.secretKey.reveal().slice());
  const { vaultId } = session;
  const actorId = session.member.id;
  session.close();
  const db = insiderDb(path);
  try {
    const entries = db
      .prepare(`SELECT ${stateColumns(db, 'audit_entries')} FROM audit_entries ORDER BY seq`)
      .all() as AuditEntryRow[];
    const checkpoints = db.prepare('SELECT size FROM audit_checkpoints ORDER BY size').all() as {
      size: number;
    }[];
    const firstDropped = entries.find(drop)?.seq;
    if (firstDropped === undefined) throw new Error('nothing to drop');
    const kept = entries.filter((entry) => !drop(entry));
    const state = stateCommitment(stateDigestStore.stored(db));
    db.inWriteTransaction(() => {
      db.prepare('DELETE FROM audit_entries WHERE seq >= ?').run(firstDropped);
      db.prepare('DELETE FROM audit_checkpoints WHERE size >= ?').run(firstDropped);
      const frontier = new Frontier();
      const insert = db.prepare(
        'INSERT INTO audit_entries (seq, at, kind, actor_id, account_id, leaf_hash, sealed) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      const resign = new Set(checkpoints.filter((c) => c.size >= firstDropped).map((c) => c.size));
      kept.forEach((entry, index) => {
        const seq = index + 1;
        if (seq >= firstDropped) {
          const details = openAuditDetails(vaultKey, entry);
          const kind = auditKindSchema.parse(entry.kind);
          const leaf = entryLeafHash({
            seq,
            at: entry.at,
            kind,
            actor: entry.actor_id,
            account: entry.account_id,
            details,
          });
          const row = { ...entry, seq, leaf_hash: Buffer.from(leaf) };
          const sealed = sealAuditDetails(vaultKey, row, details);
          insert.run(
            seq,
            entry.at,
            entry.kind,
            entry.actor_id,
            entry.account_id,
            row.leaf_hash,
            Buffer.from(sealed),
          );
          frontier.append(leaf);
          // Wherever a checkpoint stood (moved back by what was dropped before it), sign one.
          if (resign.has(entry.seq) || seq === kept.length) {
            const root = frontier.root();
            // Every checkpoint signs the state as well (ADR 0020): the rows are unchanged.
            // Every checkpoint from the first dropped entry on was deleted above: none is left here.
            db.prepare(
              'INSERT INTO audit_checkpoints (size, root, signer_id, signature, state) VALUES (?, ?, ?, ?, ?)',
            ).run(
              seq,
              Buffer.from(root),
              actorId,
              Buffer.from(sign(signing, checkpointBody(vaultId, seq, root, state))),
              Buffer.from(state),
            );
          }
        } else {
          frontier.append(new Uint8Array(entry.leaf_hash));
        }
      });
      db.prepare('DELETE FROM merkle_frontier').run();
      const node = db.prepare('INSERT INTO merkle_frontier (level, hash) VALUES (?, ?)');
      for (const { level, hash } of frontier.nodes) node.run(level, Buffer.from(hash));
    });
    return { dropped: entries.length - kept.length };
  } finally {
    db.close();
  }
}

/**
 * Append entries of one's own to the closed file with the real appender and one's own keys (kept
 * from an old copy by a removed member): the trail and its checkpoint are well formed.
 */
export function appendAsHolderOf(
  path: string,
  keys: { vaultId: string; memberId: string; vaultKey: SecretBytes; signing: SecretBytes },
  entries: readonly NewAuditEntry[],
  at: string,
): void {
  // The insider's own copy of the file, opened as the app opens it.
  const db = insiderDb(path);
  try {
    auditedTransaction(
      db,
      {
        vaultId: keys.vaultId,
        vaultKey: keys.vaultKey,
        actor: {
          memberId: keys.memberId,
          signing: { secretKey: keys.signing, publicKey: signingPublicKeyOf(keys.signing) },
        },
      },
      at,
      (_writable, audit) => {
        for (const entry of entries) audit(entry);
      },
    );
  } finally {
    db.close();
  }
}

/**
 * Every K_vault-sealed row of the file that this key opens, as `table/id`, optionally only those
 * a filter picks (say, written after a removal). What an insider holding a K_vault learns.
 */
export function rowsOpenedBy(
  path: string,
  vaultKey: Uint8Array,
  pick: (table: string, row: Record<string, unknown>) => boolean = () => true,
): string[] {
  const db = insiderDb(path);
  const key = new SecretBytes(vaultKey.slice());
  const opened: string[] = [];
  try {
    for (const { table, id } of VAULT_KEY_TABLES) {
      // A file from before the table was made (membership_chain: format 5) has none of its rows.
      if (!tableExists(db, table)) continue;
      const rows = db.prepare(`SELECT ${stateColumns(db, table)} FROM ${table}`).all() as Record<
        string,
        unknown
      >[];
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
  const db = insiderDb(path);
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

/**
 * A member seals a dashboard summary that shows no open lost-device incident (10.1), keeping the
 * digests it names, and signs the state around it in a transaction of their own (review of ADR
 * 0027): the state check is satisfied, and only making the summary again shows the lie.
 */
export function sealSummaryHidingIncidentsAs(path: string, member: SigningKeys): void {
  const db = insiderDb(path);
  try {
    auditedTransaction(
      db,
      {
        vaultId: member.vaultId,
        vaultKey: member.vaultKey,
        actor: {
          memberId: member.memberId,
          signing: { secretKey: member.signing, publicKey: signingPublicKeyOf(member.signing) },
        },
      },
      new Date().toISOString(),
      (writable, audit) => {
        const stored = dashboardSummaryTable.get(writable, member.vaultKey, 'current')!;
        if (stored.value.openIncidents.length === 0) throw new Error('No open incident to hide.');
        dashboardSummaryTable.update(writable, member.vaultKey, stored, stored.clear, {
          ...stored.value,
          openIncidents: [],
        });
        audit({ kind: 'session.locked' });
      },
    );
  } finally {
    db.close();
  }
}

/**
 * A vault whose first account Ada Admin administers, with an app Corporate Communications added to
 * it (6.3: not to be deleted by others); returns the app's id.
 */
export async function corporateCommunicationsAppVault(path: string): Promise<string> {
  const [x] = (await populatedVault(path)).accounts as [string];
  const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
  try {
    grantAdministrator(lead, x, findMemberByName(lead, 'Ada Admin').id);
    return addThirdPartyApp(lead, {
      account: x,
      name: 'Orlo',
      addedBy: 'corporate-communications',
      addedByName: 'Corporate Communications',
      addedOn: '2026-10-01',
      reaches: ['publish'],
    }).id;
  } finally {
    lead.close();
  }
}

/**
 * A format-4 member's K_vault, by opening their salted slot directly with their passphrase: such a
 * vault refuses every unlock but a lead's (ADR 0010's upgrade), and an unlock would upgrade it.
 * The slot of that format still held K_vault itself.
 */
export async function format4VaultKeyOf(
  path: string,
  member: { name: string; passphrase: string },
): Promise<SecretBytes> {
  const db = new Database(path, { readonly: true });
  try {
    const salt = (db.prepare('SELECT name_salt FROM vault_header').get() as { name_salt: Buffer })
      .name_salt;
    const { id } = db
      .prepare('SELECT id FROM members WHERE name_tag = ?')
      .get(Buffer.from(memberNameTag(salt, member.name))) as { id: string };
    const slot = db.prepare('SELECT * FROM key_slots WHERE member_id = ?').get(id) as {
      kdf: string;
      salt: Buffer;
      version: number;
      sealed: Buffer;
    };
    const opened = await openSlot(
      id,
      { ...slot, lookupTag: null },
      storedKdf(slot.kdf, 'slot'),
      member.passphrase,
    );
    const key = opened?.legacyVaultKey;
    if (!key) throw new Error(`${member.name}'s slot does not open or holds no K_vault.`);
    return key;
  } finally {
    db.close();
  }
}
