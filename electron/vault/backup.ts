import { chmodSync, closeSync, fsyncSync, openSync, rmSync, statSync } from 'node:fs';
import { fileSystemError } from './errors.ts';
import { checkDestination, ExclusiveOutput } from './output-file.ts';
import { asVaultError, openVaultFile } from './store/connection.ts';
import { checkCopy, copyVaultFile } from './store/backup-copy.ts';

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
  const source = openVaultFile(vaultPath, { create: false });
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
