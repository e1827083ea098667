import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { randomId } from './crypto/random.ts';
import { fileSystemError, invalidInput } from './errors.ts';
import { acquireWriterLock } from './store/writer-lock.ts';
import { checkDestination, ExclusiveOutput } from './output-file.ts';
import { asVaultError } from './store/connection.ts';
import { openVault } from './store/open-vault.ts';
import { checkCopy, copyVaultFile, vaultIdOf } from './store/backup-copy.ts';

export interface BackupReport {
  readonly destination: string;
  readonly bytes: number;
}

/**
 * Copy a vault to `destination` while it may be open and written elsewhere. SQLite's online
 * backup copies one consistent state (it starts over if another connection writes mid-copy), so
 * the copy never mixes two transactions. The copy is the vault file as it is stored: every
 * secret in it stays sealed, so no passphrase is asked and nothing is decrypted. It is written
 * beside the destination first (a new file with a random name), checked (SQLite's integrity check and the schema), flushed to
 * disk, and only then renamed into place: a failed backup leaves no half-written file.
 *
 * Not audited: appending to the trail needs a member's keys and the writer lock, which the open
 * app holds; anyone able to run this could copy the file anyway (docs/THREAT-MODEL.md).
 */
export async function backupVault(vaultPath: string, destination: string): Promise<BackupReport> {
  // The export path rules (output-file.ts): a new file with a random name, created exclusively
  // without following a link, linked into place only if the destination still does not exist,
  // and never the vault or one of its files.
  const output = { vaultPath, replace: false };
  checkDestination(destination, output);
  const source = openVault(vaultPath, { create: false });
  let file: ExclusiveOutput | undefined;
  try {
    file = new ExclusiveOutput(destination, output);
    file.close();
    await copyVaultFile(source, file.temporary);
    chmodSync(file.temporary, 0o600);
    checkCopy(file.temporary);
    const fd = openSync(file.temporary, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    file.commit();
    return { destination, bytes: statSync(destination).size };
  } catch (error) {
    for (const suffix of ['-wal', '-shm']) {
      if (file) rmSync(`${file.temporary}${suffix}`, { force: true });
    }
    file?.abandon();
    throw fileSystemError(error) ?? asVaultError(error);
  } finally {
    source.close();
  }
}

export interface RestoreReport {
  /** Where the vault that was replaced now is, beside it: nothing is deleted by a restore. */
  readonly replacedAs: string;
}

/**
 * Put a backup in place of the vault (issue 14, ADR 0024), as `custodian restore` does before a
 * lead accepts it: only a backup of the same vault, only while no session holds the vault (its
 * writer lock), checked as a backup is, flushed, then renamed into place. The vault it replaces
 * is renamed aside with its write-ahead log, never deleted: a restore loses nothing. Opening the
 * restored vault is then refused on any workstation that saw later history, until a lead accepts
 * it (an audited entry): this function accepts nothing by itself.
 */
export async function restoreVaultFile(
  backupPath: string,
  vaultPath: string,
  now: Date = new Date(),
): Promise<RestoreReport> {
  if (!existsSync(vaultPath)) {
    throw invalidInput(
      `No vault at ${vaultPath} to restore over; nothing was changed. To start from the backup, copy it there.`,
    );
  }
  const ids = [backupPath, vaultPath].map(vaultIdOf);
  if (ids[0] !== ids[1]) {
    throw invalidInput(
      `${backupPath} is a backup of another vault (${ids[0]}), not of ${vaultPath} (${ids[1]}); nothing was changed.`,
    );
  }
  const lock = await acquireWriterLock(vaultPath);
  const temporary = `${vaultPath}.restoring-${randomId().slice(0, 12)}`;
  try {
    copyFileSync(backupPath, temporary, constants.COPYFILE_EXCL);
    chmodSync(temporary, 0o600);
    checkCopy(temporary);
    syncFile(temporary);
    const replacedAs = `${vaultPath}.replaced-${now.toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(vaultPath + suffix)) renameSync(vaultPath + suffix, replacedAs + suffix);
    }
    renameSync(temporary, vaultPath);
    syncFile(dirname(vaultPath));
    return { replacedAs };
  } catch (error) {
    rmSync(temporary, { force: true });
    throw fileSystemError(error) ?? asVaultError(error);
  } finally {
    lock.release();
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
