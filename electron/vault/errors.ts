import { ErrorCode, type ErrorInfo } from '../../shared/errors.ts';

/**
 * The one error type the vault core throws on purpose. Its message is shown to people as is,
 * so it must never contain a secret; the `cause` stays inside the process and is never printed.
 */
export class VaultError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VaultError';
    this.code = code;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

export const integrityError = (where: string, what = 'does not match what was written') =>
  new VaultError(
    ErrorCode.INTEGRITY,
    `Integrity check failed: ${where} ${what}. The vault has been altered or damaged; do not write to it — restore from a backup and report it to Information Security.`,
  );

export const forbidden = (what: string) =>
  new VaultError(ErrorCode.FORBIDDEN, `Not permitted: ${what}.`);

export const invalidInput = (message: string) => new VaultError(ErrorCode.INVALID_INPUT, message);

export const notFound = (message: string) => new VaultError(ErrorCode.NOT_FOUND, message);

/**
 * A write refused because the record is no longer the version the user loaded (ADR 0023): the
 * message names who changed it and when (domain/conflicts.ts reads that from the trail, inside
 * the refused transaction). Nothing was saved, so the form can offer to try again.
 */
export class ConflictError extends VaultError {
  /** The record's version now, so a caller who has shown the message can try again on it. */
  readonly currentVersion: number | undefined;

  constructor(message: string, currentVersion?: number) {
    super(ErrorCode.CONFLICT, message);
    this.name = 'ConflictError';
    this.currentVersion = currentVersion;
  }
}

/**
 * The store's own refusal: an UPDATE that was to replace version N found another version (or no
 * row). The last line of defence under the domain's checks, so it names only the row.
 */
export const staleRow = (table: string, id: string) =>
  new ConflictError(
    `The ${table} record ${id} was changed by someone else while you were editing; nothing was saved. Reload it and make your change again.`,
  );

export const authFailed = () =>
  new VaultError(
    ErrorCode.AUTH_FAILED,
    'Unlock failed: unknown member or wrong passphrase. Check both and try again.',
  );

/**
 * Turn anything thrown inside the core into an ErrorInfo safe to show: a VaultError as is,
 * SQLite's known failures as their meaning, anything else as an internal error without detail.
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof VaultError) return error.toInfo();
  const sqliteCode = (error as { code?: unknown } | null)?.code;
  if (typeof sqliteCode === 'string') {
    const mapped = sqliteError(sqliteCode);
    if (mapped) return mapped.toInfo();
  }
  const refused = fileSystemError(error);
  if (refused) return refused.toInfo();
  return {
    code: ErrorCode.INTERNAL,
    message: 'Internal error: the operation was not completed and nothing was saved.',
  };
}

/** SQLite result codes (better-sqlite3 puts them on `error.code`) that people can act on. */
export function sqliteError(code: string): VaultError | undefined {
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    return new VaultError(
      ErrorCode.IN_USE,
      'The vault is in use by another process; nothing was changed. Try again when it is closed.',
    );
  }
  // EFBIG (a file-size limit) reaches SQLite as a failed write, not SQLITE_FULL; to the person
  // at the keyboard both mean the same: there is no room to save.
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE') {
    return new VaultError(
      ErrorCode.STORAGE,
      'The disk is full (or a file-size limit was reached); nothing was saved. Free some space and try again.',
    );
  }
  if (
    code === 'SQLITE_READONLY' ||
    code.startsWith('SQLITE_READONLY_') ||
    code === 'SQLITE_CANTOPEN' ||
    code === 'SQLITE_PERM'
  ) {
    return new VaultError(
      ErrorCode.STORAGE,
      'The vault file cannot be written or opened; nothing was saved. Check the file and folder permissions.',
    );
  }
  if (code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_')) {
    return new VaultError(
      ErrorCode.STORAGE,
      'The disk reported an error; nothing was saved. Check the disk and try again.',
    );
  }
  if (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_') || code === 'SQLITE_NOTADB') {
    return new VaultError(
      ErrorCode.INTEGRITY,
      'The vault file is corrupt or is not a Custodian vault; nothing was changed. Restore it from a backup.',
    );
  }
  return undefined;
}

/**
 * Node's file-system errors (they carry `syscall` and an errno code) as what they mean to the
 * person: a full disk, or a path they can fix. The path is shortened, never the content.
 */
export function fileSystemError(error: unknown): VaultError | undefined {
  const e = error as Partial<NodeJS.ErrnoException> | null;
  if (!e || typeof e.syscall !== 'string' || typeof e.code !== 'string') return undefined;
  if (e.code === 'ENOSPC' || e.code === 'EFBIG' || e.code === 'EDQUOT') {
    return new VaultError(
      ErrorCode.STORAGE,
      'The disk is full (or a file-size limit was reached); the file was not written. Free some space and try again.',
    );
  }
  const path = typeof e.path === 'string' ? e.path : 'a file';
  const shown = path.length > 120 ? `${path.slice(0, 120)}…` : path;
  return new VaultError(
    ErrorCode.STORAGE,
    `The file system refused ${shown} (${e.code}). Check the path, its folder and the permissions.`,
  );
}
