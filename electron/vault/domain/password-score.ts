import { ErrorCode } from '../../../shared/errors.ts';
import { VaultError } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import type { AccountRow } from '../store/account-store.ts';
import { openAccountProfile } from './accounts.ts';
import { takeGeneratedStrength } from './generated-passwords.ts';
import { passwordStrength } from './strength.ts';

/**
 * A new password's 0-4 strength, worked out before the write transaction that stores it, so that
 * zxcvbn (10-45 ms a password) never runs while the transaction holds the database (issue 17).
 */
export interface PasswordScore {
  readonly score: number;
  /**
   * The words it was judged against (the account's handle and unit name, which an attacker of
   * the account tries first). Absent for a password the generator made: no word changes the
   * strength of a random draw.
   */
  readonly against?: readonly string[];
}

/**
 * Outside any write: the strength the generator's parameters give, when this session generated
 * the password (generated-passwords.ts); otherwise zxcvbn's score against the account's words.
 */
export function scorePassword(
  session: VaultSession,
  password: string,
  against: readonly string[],
): PasswordScore {
  const generated = takeGeneratedStrength(session, password);
  if (generated !== undefined) return { score: generated };
  return { score: passwordStrength(password, against), against: [...against] };
}

/**
 * scorePassword for a new password of an existing account, against its handle and unit. Undefined
 * when its record cannot be opened outside a transaction: a read follows another connection's
 * new key epoch only from the next turn of the event loop (session.ts, ADR 0019), where a write
 * follows it at once. The write then opens the record with the new keys and scores the password
 * there, as before issue 17; a record that is really damaged fails there the same way.
 */
export function scoreForAccount(
  session: VaultSession,
  row: AccountRow,
  password: string,
): PasswordScore | undefined {
  const generated = takeGeneratedStrength(session, password);
  if (generated !== undefined) return { score: generated };
  let words: readonly string[];
  try {
    const profile = openAccountProfile(session, row);
    words = [profile.handle, profile.unitName];
  } catch (error) {
    if (error instanceof VaultError && error.code === ErrorCode.INTEGRITY) return undefined;
    throw error;
  }
  return { score: passwordStrength(password, words), against: words };
}

/**
 * Inside the write: the score, or zxcvbn's again if the account's words changed since it was
 * worked out (another member renamed the account in between), so the stored score is always the
 * one the account's current words give.
 */
export function scoreFor(
  known: PasswordScore | undefined,
  password: string,
  against: readonly string[],
): number {
  if (known) {
    const words = known.against;
    if (!words || (words.length === against.length && words.every((w, i) => w === against[i])))
      return known.score;
  }
  return passwordStrength(password, against);
}
