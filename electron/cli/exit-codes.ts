import { assertNever, ErrorCode } from '../../shared/errors.ts';

/** The CLI's exit codes, as documented in `custodian --help`. */
export const EXIT = {
  ok: 0,
  usage: 1,
  integrity: 2,
  inUse: 3,
  forbidden: 4,
  auth: 5,
  conflict: 6,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.INVALID_INPUT:
    case ErrorCode.NOT_FOUND:
    case ErrorCode.EXISTS:
    case ErrorCode.VAULT_TOO_NEW:
    case ErrorCode.STORAGE:
    case ErrorCode.INTERNAL:
      return EXIT.usage;
    case ErrorCode.INTEGRITY:
      return EXIT.integrity;
    case ErrorCode.IN_USE:
      return EXIT.inUse;
    case ErrorCode.FORBIDDEN:
      return EXIT.forbidden;
    case ErrorCode.AUTH_FAILED:
      return EXIT.auth;
    case ErrorCode.CONFLICT:
      return EXIT.conflict;
    default:
      return assertNever(code, 'error code');
  }
}

export const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  usage or input error (also: file not found, output file exists, disk full, vault from a
     newer Custodian)
  2  integrity failure: the vault or its audit trail was altered or is corrupt, or it is older
     than (or another history from) what this workstation last verified
  3  the vault is in use by another process; nothing was changed
  4  not permitted for your role
  5  wrong passphrase or unknown member
  6  the record changed since the version you named (--expected-version): someone else changed
     it; nothing was saved (the message says who and when)
  Output piped into a reader that stops early (\`custodian account list V | head\`) is cut off
  quietly: the command still finishes (and locks the vault) and exits as it would have.

Environment:
  CUSTODIAN_USER            acting member (instead of --as)
  CUSTODIAN_PASSPHRASE      acting member's passphrase when not on a terminal
  CUSTODIAN_NEW_PASSPHRASE  a new member's (or your new) passphrase when not on a terminal
  CUSTODIAN_CHECKPOINT_DIR  where this workstation keeps the last checkpoint it verified of each
                            vault (default: the user's state folder); a vault older than it, or
                            another history, exits 2`;
