import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCode } from '../../shared/errors.ts';
import { fileSystemError, invalidInput, VaultError } from './errors.ts';
import { asVaultError, integrityProblems, openVaultFile } from './store/connection.ts';
import { assertSchemaIntact } from './store/migrate.ts';

export interface BackupReport {
  readonly destination: string;
  readonly bytes: number;
}

/**
 * Copy a vault to `destination` while it may be open and written elsewhere. SQLite's online
 * backup copies one consistent state (it starts over if another connection writes mid-copy), so
 * the copy never mixes two transactions. The copy is the vault file as it is stored: every
 * secret in it stays sealed, so no passphrase is asked and nothing is decrypted. It is written
 * beside the destination first, checked (SQLite's integrity check and the schema), flushed to
 * disk, and only then renamed into place: a failed backup leaves no half-written file.
 *
 * Not audited: appending to the trail needs a member's keys and the writer lock, which the open
 * app holds; anyone able to run this could copy the file anyway (docs/THREAT-MODEL.md).
 */
export async function backupVault(vaultPath: string, destination: string): Promise<BackupReport> {
  const partial = `${destination}.partial`;
  const source = openVaultFile(vaultPath, { create: false });
  try {
    if (existsSync(destination)) {
      throw invalidInput(
        `${destination} already exists; nothing was written. Choose a new file for the backup.`,
      );
    }
    if (!existsSync(dirname(destination))) {
      throw invalidInput(`The folder ${dirname(destination)} does not exist; nothing was written.`);
    }
    rmSync(partial, { force: true });
    await source.backup(partial);
    chmodSync(partial, 0o600);
    checkCopy(partial);
    const fd = openSync(partial, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, destination);
    return { destination, bytes: statSync(destination).size };
  } catch (error) {
    for (const suffix of ['', '-wal', '-shm']) {
      try {
        rmSync(`${partial}${suffix}`, { force: true });
      } catch {
        // Nothing of ours to remove under a name the file system refuses.
      }
    }
    throw fileSystemError(error) ?? asVaultError(error);
  } finally {
    source.close();
  }
}

/** The copy as SQLite sees it: whole pages, sound indexes, exactly the schema Custodian made. */
function checkCopy(path: string): void {
  const copy = new Database(path, { fileMustExist: true });
  try {
    // A copy stands alone: one file, no write-ahead log beside it.
    copy.pragma('journal_mode = DELETE');
    const problems = integrityProblems(copy);
    if (problems.length > 0) {
      throw new VaultError(
        ErrorCode.INTEGRITY,
        `The backup copy fails SQLite's integrity check (${problems[0]}); it was not kept. Run \`custodian audit verify\` on the vault.`,
      );
    }
    assertSchemaIntact(copy);
  } finally {
    copy.close();
  }
}
