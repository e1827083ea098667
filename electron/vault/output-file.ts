import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ErrorCode } from '../../shared/errors.ts';
import { invalidInput, VaultError } from './errors.ts';
import { failedUnlocksPathFor } from './store/failed-unlocks.ts';
import { lockPathFor } from './store/writer-lock.ts';

/**
 * Where an export, evidence file or backup may be written (docs/THREAT-MODEL.md, "Export paths").
 * Anyone who can write the destination folder can plant a symlink at a predictable name, and a
 * slip of `--out` can name the vault itself; an export holds the decrypted trail, so:
 *
 * - it is written to a new file with a random name in the destination's folder, created
 *   exclusively and without following a link (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600);
 * - it is linked into place only when complete, and the link fails if the name exists: an
 *   existing destination is refused unless the person confirmed replacing it (then the finished
 *   file is renamed over the name, which replaces a symlink itself, never its target);
 * - the open vault, its write-ahead log, shared memory, lock and failed-unlock files are never a
 *   destination, by whatever name: compared by real path and by device and inode.
 */
export interface OutputOptions {
  /** Replace an existing destination (the person was asked and said yes). */
  readonly replace?: boolean;
  /** The open vault: none of its files may be written over. */
  readonly vaultPath?: string;
}

/** The files that make up an open vault (SQLite's and Custodian's own beside it). */
function vaultFiles(vaultPath: string): string[] {
  return [
    vaultPath,
    `${vaultPath}-wal`,
    `${vaultPath}-shm`,
    `${vaultPath}-journal`,
    lockPathFor(vaultPath),
    failedUnlocksPathFor(vaultPath),
  ];
}

/** The path with its folder's links resolved (the file itself may not exist yet). */
function realLocation(path: string): string {
  const absolute = resolve(path);
  try {
    return join(realpathSync(dirname(absolute)), basename(absolute));
  } catch {
    return absolute;
  }
}

function statOrUndefined(stat: (path: string) => Stats, path: string): Stats | undefined {
  try {
    return stat(path);
  } catch {
    return undefined;
  }
}

function sameFile(a: Stats | undefined, b: Stats | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

function refuseVaultFile(destination: string, vaultPath: string | undefined): void {
  if (vaultPath === undefined) return;
  const target = realLocation(destination);
  const followed = statOrUndefined(statSync, destination);
  const itself = statOrUndefined(lstatSync, destination);
  for (const file of vaultFiles(vaultPath)) {
    const fileStat = statOrUndefined(statSync, file);
    if (
      realLocation(file) === target ||
      sameFile(followed, fileStat) ||
      sameFile(itself, fileStat) ||
      (itself?.isSymbolicLink() && realLocation(realpathOr(destination)) === realLocation(file))
    ) {
      throw invalidInput(
        `${destination} is the vault itself or one of the vault's own files; nothing was written. Choose another file for the export.`,
      );
    }
  }
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export function existingDestination(destination: string): VaultError {
  return new VaultError(
    ErrorCode.EXISTS,
    `${destination} already exists; nothing was written. Choose another name, or confirm replacing it (--replace on the command line).`,
  );
}

/** Check a destination before any work is done: the same rules the final link applies. */
export function checkDestination(destination: string, options: OutputOptions): void {
  refuseVaultFile(destination, options.vaultPath);
  const existing = statOrUndefined(lstatSync, destination);
  if (existing?.isDirectory()) {
    throw invalidInput(`${destination} is a folder; nothing was written. Give a file name.`);
  }
  if (existing && !options.replace) throw existingDestination(destination);
  const folder = statOrUndefined(statSync, dirname(resolve(destination)));
  if (!folder?.isDirectory()) {
    throw invalidInput(
      `The folder ${dirname(destination)} does not exist; nothing was written. Create it or choose another.`,
    );
  }
}

/** A new file beside `destination`, written to in full and only then put in its place. */
export class ExclusiveOutput {
  readonly destination: string;
  readonly temporary: string;
  readonly #options: OutputOptions;
  #fd: number | undefined;

  constructor(destination: string, options: OutputOptions) {
    checkDestination(destination, options);
    this.destination = destination;
    this.#options = options;
    const folder = dirname(resolve(destination));
    this.temporary = join(
      folder,
      `.${basename(destination)}.${randomBytes(12).toString('hex')}.partial`,
    );
    this.#fd = openSync(
      this.temporary,
      constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW,
      0o600,
    );
  }

  get fd(): number {
    if (this.#fd === undefined) throw new Error('The output file is closed.');
    return this.#fd;
  }

  write(data: string | Uint8Array): void {
    if (typeof data === 'string') writeSync(this.fd, data);
    else writeSync(this.fd, data);
  }

  /** Flush to disk, close, and put the file in place (a closed file for a writer that needs a path). */
  close(): void {
    if (this.#fd === undefined) return;
    try {
      fsyncSync(this.#fd);
    } finally {
      closeSync(this.#fd);
      this.#fd = undefined;
    }
  }

  commit(): void {
    this.close();
    // The rules again, at the last moment: the folder may have changed while the export ran.
    checkDestination(this.destination, this.#options);
    if (this.#options.replace) {
      renameSync(this.temporary, this.destination);
      return;
    }
    try {
      linkSync(this.temporary, this.destination);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw existingDestination(this.destination);
      // A file system without hard links (a FAT or exFAT stick for a case file): the name was
      // free a moment ago (checked above), so rename into it; only the no-replace race is lost.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
      renameSync(this.temporary, this.destination);
      return;
    }
    rmSync(this.temporary, { force: true });
  }

  abandon(): void {
    if (this.#fd !== undefined) {
      try {
        closeSync(this.#fd);
      } catch {
        // already closed
      }
      this.#fd = undefined;
    }
    rmSync(this.temporary, { force: true });
  }
}

/** Write a whole small file (evidence) by the same rules. */
export function writeOutputFile(destination: string, data: string, options: OutputOptions): void {
  const file = new ExclusiveOutput(destination, options);
  try {
    file.write(data);
    file.commit();
  } catch (error) {
    file.abandon();
    throw error;
  }
}
