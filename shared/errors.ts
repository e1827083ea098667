/**
 * Every error that crosses a boundary (CLI, IPC) is `{ code, message }` with a code from here.
 * Messages say what happened and what to do; they never carry a secret or a stack (STYLE.md 4).
 */
export const ErrorCode = {
  /** Bad arguments or input the user can correct. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** A named thing (vault file, account, member) does not exist. */
  NOT_FOUND: 'NOT_FOUND',
  /** The vault or the audit trail does not match what was written: tampered or corrupt. */
  INTEGRITY: 'INTEGRITY',
  /** Another process is changing the vault. */
  IN_USE: 'IN_USE',
  /**
   * The record changed since the user loaded it (another member, another window): nothing was
   * saved; the message says who changed it and when (ADR 0023).
   */
  CONFLICT: 'CONFLICT',
  /** The acting member's role does not allow this. */
  FORBIDDEN: 'FORBIDDEN',
  /** Wrong passphrase or unknown member; deliberately indistinguishable. */
  AUTH_FAILED: 'AUTH_FAILED',
  /** The vault was written by a newer Custodian. */
  VAULT_TOO_NEW: 'VAULT_TOO_NEW',
  /** The file to write exists; nothing was written (the console asks before replacing it). */
  EXISTS: 'EXISTS',
  /** The disk is full or not writable; nothing was saved. */
  STORAGE: 'STORAGE',
  /** A bug: an invariant did not hold. */
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorInfo {
  readonly code: ErrorCode;
  readonly message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${String(value)}`);
}

export function strictAssert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant failed: ${message}`);
}
