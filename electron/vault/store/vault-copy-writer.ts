import Database from 'better-sqlite3';
import { closeSync, fsyncSync, openSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ErrorCode } from '../../../shared/errors.ts';
import { isServerUrl } from '../../../shared/vault-location.ts';
import { bytesEqual } from '../crypto/hash.ts';
import { fileSystemError, invalidInput, VaultError } from '../errors.ts';
import { ExclusiveOutput } from '../output-file.ts';
import { checkCopy } from './backup-copy.ts';
import { asVaultError, sqliteConnection } from './connection.ts';
import { migrate, POSTGRES_MIGRATIONS } from './migrate.ts';
import { openVault } from './open-vault.ts';
import type { PostgresConnection } from './postgres/pg-connection.ts';
import { applyPostgresMigrations } from './postgres/pg-schema.ts';
import type { Db, StoreConnection } from './store-connection.ts';
import { stateDigestStore, type TableDigest } from './state-digest.ts';
import { storedHead } from './trail-head.ts';
import {
  digestOfTable,
  insertRows,
  RowDigest,
  rowPages,
  serverTableNames,
  vaultTables,
} from './vault-rows.ts';

/** Where a check found the copy wrong, and what is wrong there. */
export interface CopyProblem {
  readonly where: string;
  readonly problem: string;
}

/**
 * The writing half of `custodian vault copy` (issue 14, ADR 0032): one read snapshot of the
 * source, its rows into a new file or an empty database, and the destination read back and
 * checked, against the snapshot and against the head the source verified to, before it is
 * committed or put in place. The caller (vault-copy.ts) has verified the source and says which
 * head that was and which head the snapshot must show (it, and the copier's own two entries).
 */
export interface SnapshotCopy {
  /** The source vault's own path: a file destination may never be it or one of its files. */
  readonly sourcePath: string;
  /** The signed head the source's full verification passed at. */
  readonly verified: Head;
  /** The audit layer's state check (audit/state-check.ts), run on the destination. */
  readonly stateProblem: (
    db: Db,
    committed: Uint8Array,
    recomputed: readonly TableDigest[],
  ) => CopyProblem | undefined;
  /**
   * The audit layer's check of the destination's trail (audit/copied-trail.ts): every leaf
   * recomputed from its opened entry, the root the verified one, every checkpoint signed.
   */
  readonly trailProblem: (db: Db) => CopyProblem | undefined;
  /** The error for a snapshot whose head is not the expected one (another writer). */
  readonly changedMeanwhile: () => Error;
  /**
   * The error for a copy whose trail or state is not what the source verified to: the source was
   * changed between its verification and the snapshot (an integrity error, exit 2).
   */
  readonly changedSinceVerified: (found: CopyProblem) => Error;
  /** After each table (the fault tests stop the server there). */
  readonly onTableCopied?: ((table: string) => void) | undefined;
}

export interface Head {
  readonly size: number;
  readonly root: Uint8Array;
  readonly signature: Uint8Array;
  readonly state?: Uint8Array | null;
}

/** Copy the source as one snapshot, which must show `head`; returns the rows copied. */
export function copySnapshot(
  source: Db,
  destination: string,
  head: Head,
  options: SnapshotCopy,
): number {
  return source.inReadTransaction(() => {
    const snapshot = storedHead(source);
    if (!snapshot || snapshot.size !== head.size || !bytesEqual(snapshot.root, head.root)) {
      throw options.changedMeanwhile();
    }
    return isServerUrl(destination)
      ? copyToServer(source, destination, head, options)
      : copyToFile(source, destination, head, options);
  });
}

/** Every table's rows, page by page, from the source's snapshot into the destination. */
function copyRows(source: Db, destination: StoreConnection, options: SnapshotCopy): RowDigests {
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
 * The destination, read back before it is committed: the same rows in every table as the
 * snapshot, its latest checkpoint the snapshot's head; then the copy itself against what the
 * source verified to (issue 14 review): its state digests recomputed from its rows must be the
 * state the verified checkpoint signs (the copier's own entries change no state), and its trail,
 * every leaf recomputed, must lead to the verified root. An edit made to the source between its
 * verification and the snapshot (by another workstation, the server's operator, or anyone with
 * the file) is copied cell for cell, so only the copy's own check can see it. Returns the rows
 * copied.
 */
function checkAgainstSource(
  destination: Db,
  copied: RowDigests,
  expected: Head,
  options: SnapshotCopy,
): number {
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
    head.size !== expected.size ||
    !bytesEqual(head.root, expected.root) ||
    !bytesEqual(head.signature, expected.signature) ||
    !expected.state ||
    !head.state ||
    !bytesEqual(head.state, expected.state)
  ) {
    throw new VaultError(
      ErrorCode.STORAGE,
      "The copy's latest checkpoint is not the source's as it was read; it was not kept, and nothing was written.",
    );
  }
  const { verified } = options;
  if (!verified.state || !bytesEqual(head.state, verified.state)) {
    throw options.changedSinceVerified({
      where: `checkpoint at size ${head.size}`,
      problem: `commits to another state than the one verified at size ${verified.size}`,
    });
  }
  const problem =
    options.stateProblem(destination, verified.state, stateDigestStore.recompute(destination)) ??
    options.trailProblem(destination);
  if (problem) throw options.changedSinceVerified(problem);
  return rows;
}

/**
 * Into a new file: written under a temporary name beside it (journal in DELETE mode, so one file,
 * as a backup is), checked by SQLite and against the source, flushed, linked into place, and the
 * folder flushed. Any failure removes the temporary file: the destination never exists half-made.
 */
function copyToFile(
  source: Db,
  destination: string,
  expected: Head,
  options: SnapshotCopy,
): number {
  const output = new ExclusiveOutput(destination, {
    vaultPath: options.sourcePath,
    replace: false,
  });
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
    const rows = checkAgainstSource(copy, copied, expected, options);
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
  expected: Head,
  options: SnapshotCopy,
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
      return checkAgainstSource(target, copied, expected, options);
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
