import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, openSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ErrorCode } from '../../shared/errors.ts';
import { isServerUrl, redactServerUrl } from '../../shared/vault-location.ts';
import { verifyVault } from './audit/verify.ts';
import { stateProblem } from './audit/state-check.ts';
import { bytesEqual, toHex } from './crypto/hash.ts';
import { fileSystemError, invalidInput, VaultError } from './errors.ts';
import { ExclusiveOutput } from './output-file.ts';
import type { VaultSession } from './session.ts';
import { checkCopy } from './store/backup-copy.ts';
import { asVaultError, sqliteConnection } from './store/connection.ts';
import { migrate, POSTGRES_MIGRATIONS, schemaVersion, SCHEMA_VERSION } from './store/migrate.ts';
import { openVault } from './store/open-vault.ts';
import { PostgresConnection } from './store/postgres/pg-connection.ts';
import { applyPostgresMigrations } from './store/postgres/pg-schema.ts';
import type { Db, StoreConnection } from './store/store-connection.ts';
import { stateDigestStore } from './store/state-digest.ts';
import { storedHead } from './store/trail-head.ts';
import {
  digestOfTable,
  insertRows,
  pendingServerFailedUnlocks,
  RowDigest,
  rowPages,
  serverTableNames,
  vaultTables,
} from './store/vault-rows.ts';

export interface CopyReport {
  /** Where the copy is, fit to show (a server URL without its password). */
  readonly destination: string;
  readonly entries: number;
  readonly root: string;
  readonly rows: number;
  /** Failed unlocks the server recorded after the copy began: they stay there (unauthenticated). */
  readonly failedUnlocksLeft: number;
}

export interface CopyOptions {
  /**
   * Told after each table is written, before the destination is checked and committed: the
   * fault tests stop the server there, mid-copy. Nothing else needs it.
   */
  readonly onTableCopied?: (table: string) => void;
}

/** Verifications tried while other members write, before the copy gives up. */
const ATTEMPTS = 3;

/**
 * `custodian vault copy` (issue 14, ADR 0032): the open vault, verified as the acting member
 * sees it, copied row for row into a new vault file or an empty database. Nothing is opened or
 * sealed again on the way: the copy holds the same sealed blobs, ids, trail and checkpoints, so it
 * says exactly what the source said, tampering included, and `audit verify` of it gives the same
 * answer. A source that fails verification is refused (an integrity error, exit 2) before anything
 * is written: a "backup" that carries an operator's edit would look like evidence of a clean vault
 * to whoever finds it later.
 *
 * The destination is written in one step: a file under a temporary name, flushed, checked, then
 * linked into place; a database in one transaction that makes the schema and fills it, checked
 * before it commits. Either way it is checked against the verified source before anyone can see
 * it: every table the same rows (a digest of every cell), the state digests what the latest
 * checkpoint signs, and that checkpoint the one the source verified to.
 *
 * Lead only (the contract): a copy is a second vault with the same id, which every workstation
 * that opens both will see as a fork (ADR 0024); moving the team is a lead's decision.
 */
export async function copyVault(
  session: VaultSession,
  destination: string,
  options: CopyOptions = {},
): Promise<CopyReport> {
  refuseUnusableDestination(session, destination);
  const verified = await verifiedHead(session, destination);
  // The session's lock entry goes in now, so the copy ends as this session leaves the source, and
  // the head this workstation keeps (ADR 0024) is the copy's: the copier's own next open of the
  // copy is no fork. Nothing else is written by this session after it.
  session.recordLockNow();
  const head = storedHead(session.db)!;
  if (head.size !== verified.size + 1) throw changedMeanwhile(session, destination);
  const copied = session.db.inReadTransaction(() => {
    // The snapshot must be the state just verified, and the lock entry on it.
    const snapshot = storedHead(session.db);
    if (!snapshot || snapshot.size !== head.size || !bytesEqual(snapshot.root, head.root)) {
      throw changedMeanwhile(session, destination);
    }
    return isServerUrl(destination)
      ? copyToServer(session.db, destination, head, options)
      : copyToFile(session.db, session.path, destination, head, options);
  });
  const failedUnlocksLeft =
    session.db.dialect === 'postgres' ? pendingServerFailedUnlocks(session.db) : 0;
  return {
    destination: shown(destination),
    entries: head.size,
    root: toHex(head.root),
    rows: copied,
    failedUnlocksLeft,
  };
}

/**
 * Verify the source in full, and again if another member wrote meanwhile, until its head stood
 * still across one whole verification: that head is what the copy is of.
 */
async function verifiedHead(session: VaultSession, destination: string): Promise<Head> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const before = storedHead(session.db);
    const report = await verifyVault(session);
    if (!report.ok) {
      throw new VaultError(
        ErrorCode.INTEGRITY,
        `${session.db.location} does not verify (${report.where} ${report.problem}), so it was not copied: a copy would carry the same fault and look like a sound backup. Nothing was written to ${shown(destination)}. Run \`custodian audit verify\` on it, and tell Information Security.`,
      );
    }
    if (!before || schemaVersion(session.db) !== SCHEMA_VERSION) {
      throw new VaultError(
        ErrorCode.INTEGRITY,
        `${session.db.location} has no signed checkpoint of the current format to copy from; nothing was written.`,
      );
    }
    const after = storedHead(session.db);
    if (after && after.size === before.size && bytesEqual(after.root, before.root)) return before;
  }
  throw changedMeanwhile(session, destination);
}

function changedMeanwhile(session: VaultSession, destination: string): VaultError {
  return new VaultError(
    ErrorCode.IN_USE,
    `${session.db.location} changed while it was being copied (other members are writing); nothing was written to ${shown(destination)}. Try again when the team is quieter.`,
  );
}

function shown(location: string): string {
  return isServerUrl(location) ? redactServerUrl(location) : location;
}

/** Refused before the verification's cost: the source itself, or a file that exists. */
function refuseUnusableDestination(session: VaultSession, destination: string): void {
  if (isServerUrl(destination)) {
    if (isServerUrl(session.path) && sameServerVault(session.path, destination)) {
      throw invalidInput(
        `${shown(destination)} is the vault being copied; nothing was written. Name an empty database.`,
      );
    }
    return;
  }
  if (!isServerUrl(session.path) && resolve(session.path) === resolve(destination)) {
    throw invalidInput(`${destination} is the vault being copied; nothing was written.`);
  }
  if (existsSync(destination)) {
    throw new VaultError(
      ErrorCode.EXISTS,
      `${destination} already exists; nothing was written, and it was left as it is. A copy never replaces a file: name a new file, or move that one aside first.`,
    );
  }
  if (!existsSync(dirname(resolve(destination)))) {
    throw invalidInput(
      `The folder ${dirname(destination)} does not exist; nothing was written. Create it or name another.`,
    );
  }
}

function sameServerVault(a: string, b: string): boolean {
  return redactServerUrl(a) === redactServerUrl(b);
}

interface Head {
  readonly size: number;
  readonly root: Uint8Array;
  readonly signature: Uint8Array;
  readonly state?: Uint8Array | null;
}

/** Every table's rows, page by page, from the source's snapshot into the destination. */
function copyRows(source: Db, destination: StoreConnection, options: CopyOptions): RowDigests {
  const digests = new Map<string, RowDigest>();
  for (const table of vaultTables()) {
    const digest = new RowDigest();
    for (const rows of rowPages(source, table)) {
      insertRows(destination, table, rows);
      digest.add(rows);
    }
    digests.set(table.name, digest);
    options.onTableCopied?.(table.name);
  }
  return digests;
}

type RowDigests = ReadonlyMap<string, RowDigest>;

/**
 * The destination, read back before it is committed, against the verified source: the same rows
 * in every table, state digests that are the rows' and that the latest checkpoint signs, and that
 * checkpoint the one verified. Returns the rows copied.
 */
function checkAgainstSource(destination: Db, copied: RowDigests, verified: Head): number {
  let rows = 0;
  for (const table of vaultTables()) {
    const expected = copied.get(table.name)!;
    const actual = digestOfTable(destination, table);
    if (actual.rows !== expected.rows || actual.hex !== expected.hex) {
      throw new VaultError(
        ErrorCode.STORAGE,
        `The copy's ${table.name} table does not hold the rows read from the source (${actual.rows} of ${expected.rows}); it was not kept, and nothing was written.`,
      );
    }
    rows += actual.rows;
  }
  const head = storedHead(destination);
  if (
    !head ||
    head.size !== verified.size ||
    !bytesEqual(head.root, verified.root) ||
    !bytesEqual(head.signature, verified.signature) ||
    !verified.state ||
    !head.state ||
    !bytesEqual(head.state, verified.state)
  ) {
    throw new VaultError(
      ErrorCode.STORAGE,
      "The copy's latest checkpoint is not the one the source verified to; it was not kept, and nothing was written.",
    );
  }
  const problem = stateProblem(destination, head.state, stateDigestStore.recompute(destination));
  if (problem) {
    throw new VaultError(
      ErrorCode.STORAGE,
      `The copy's state (${problem.where}) ${problem.problem}; it was not kept, and nothing was written.`,
    );
  }
  return rows;
}

/**
 * Into a new file: written under a temporary name beside it (journal in DELETE mode, so one file,
 * as a backup is), checked by SQLite and against the source, flushed, linked into place, and the
 * folder flushed. Any failure removes the temporary file: the destination never exists half-made.
 */
function copyToFile(
  source: Db,
  sourcePath: string,
  destination: string,
  verified: Head,
  options: CopyOptions,
): number {
  const output = new ExclusiveOutput(destination, { vaultPath: sourcePath, replace: false });
  let file: Database.Database | undefined;
  try {
    output.close();
    file = new Database(output.temporary);
    file.pragma('journal_mode = DELETE');
    file.pragma('synchronous = FULL');
    file.pragma('secure_delete = ON');
    file.pragma('trusted_schema = OFF');
    const copy = sqliteConnection(file);
    migrate(copy);
    // Rows go in table by table, referenced tables first; every reference is checked at the end.
    file.pragma('foreign_keys = OFF');
    const copied = copy.inWriteTransaction(() => copyRows(source, copy, options));
    if ((file.pragma('foreign_key_check') as unknown[]).length > 0) {
      throw new VaultError(
        ErrorCode.STORAGE,
        "The copy's rows refer to rows that are not in it; it was not kept, and nothing was written.",
      );
    }
    const rows = checkAgainstSource(copy, copied, verified);
    file.close();
    file = undefined;
    checkCopy(output.temporary);
    syncPath(output.temporary);
    output.commit();
    syncPath(dirname(resolve(destination)));
    return rows;
  } catch (error) {
    file?.close();
    for (const suffix of ['-journal', '-wal', '-shm']) {
      rmSync(`${output.temporary}${suffix}`, { force: true });
    }
    output.abandon();
    throw fileSystemError(error) ?? asVaultError(error);
  }
}

/**
 * Into an empty database, in one transaction: the schema (the server's migrations), every row, and
 * the checks, then COMMIT. A server that goes away, a check that fails, anything thrown: the
 * server rolls it all back, and the database is as empty as it was.
 */
function copyToServer(
  source: Db,
  destination: string,
  verified: Head,
  options: CopyOptions,
): number {
  // openVault's create check: a database with any table in it is refused, left as it is.
  const server = openVault(destination, { create: true }) as unknown as PostgresConnection;
  try {
    return server.inSchemaTransaction(() => {
      // A database another copy or `custodian init` filled since the check above: refused.
      if (serverTableNames(server as unknown as Db).length > 0) {
        throw invalidInput(
          `The database at ${server.location} is no longer empty; nothing was written to it.`,
        );
      }
      applyPostgresMigrations(server, POSTGRES_MIGRATIONS);
      const target = server as unknown as Db;
      const copied = copyRows(source, target, options);
      return checkAgainstSource(target, copied, verified);
    });
  } finally {
    server.close();
  }
}

function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
