import { legacyRefusal } from '../../../shared/domain/account-lifecycle.ts';
import {
  accountLabel,
  LIMITS,
  newAccountSchema,
  passwordSchema,
  type NewAccount,
} from '../../../shared/domain/accounts.ts';
import { accountDetailsSchema, type AccountDetails } from '../../../shared/domain/registry.ts';
import type { VaultSession } from '../session.ts';
import { findByHandle } from './accounts.ts';
import { IMPORT_LIMITS, shorten, type CsvRecord } from './import-csv.ts';

/** A row's fate: checked and ready (a dry run), written, left because it is registered, or refused. */
export type ImportRowStatus = 'ready' | 'imported' | 'skipped' | 'invalid';

export interface ImportRowResult {
  /** The row's number as a spreadsheet shows it, the header being 1. */
  readonly line: number;
  /** platform:handle, shortened if the file holds an absurd handle. */
  readonly label: string;
  readonly status: ImportRowStatus;
  /** Why it is invalid or skipped, or what to do about a generated password; never a value of it. */
  readonly message: string | null;
  /** The password was generated, as asked: the platform's password must be changed to it (9.8). */
  readonly passwordGenerated: boolean;
}

/** A row that can be registered: the account, its details, and its password if the file gave one. */
export interface ReadyRow {
  readonly result: ImportRowResult;
  readonly account: NewAccount;
  readonly details: AccountDetails;
  /** Absent when the file left it empty and generation was asked for. */
  readonly password?: string;
}

export type CheckedRow = ReadyRow | { readonly result: ImportRowResult };

export const isReady = (row: CheckedRow): row is ReadyRow => 'account' in row;

export const GENERATED_PASSWORD_NOTICE =
  'password generated: change the password on the platform to it now (reveal it in Custodian), so the registry holds the real one (9.8)';

const NO_PASSWORD =
  "no password: the registry must hold the account's real password (9.8). Fill it in, or choose to generate one and then set it on the platform";

/**
 * Check one row: its shape, every field's length (an error names the column and its length,
 * never its content), the account and its details against the registry's schemas, a second
 * appearance in the file (`seen`: label to first line) and the registry itself (skipped).
 */
export function checkRow(
  session: VaultSession,
  row: CsvRecord,
  seen: Map<string, number>,
  options: { generateMissing: boolean },
): CheckedRow {
  const cell = (name: string) => (row.cells[name] ?? '').trim();
  // A handle too long to be one is shown by its start and length, never whole.
  const handle = cell('handle');
  const label = `${shorten(cell('platform'), 20)}:${handle.length > LIMITS.handle ? shorten(handle, 40) : handle}`;
  const result = (status: ImportRowStatus, message: string | null, passwordGenerated = false) => ({
    line: row.line,
    label,
    status,
    message,
    passwordGenerated,
  });
  const fail = (message: string) => ({ result: result('invalid', message) });
  if (row.shapeError) return fail(row.shapeError);
  for (const [column, value] of Object.entries(row.cells)) {
    if (value.length > IMPORT_LIMITS.fieldChars) {
      return fail(
        `the ${column} column is ${value.length.toLocaleString('en-GB')} characters long; a field is at most ${IMPORT_LIMITS.fieldChars.toLocaleString('en-GB')}`,
      );
    }
  }
  const account = newAccountSchema.safeParse({
    platform: cell('platform').toLowerCase(),
    handle: cell('handle'),
    force: cell('force').toLowerCase(),
    unitType: cell('unit_type').toLowerCase(),
    unitName: cell('unit'),
    username: cell('username'),
  });
  if (!account.success) return fail(describe(account.error.issues[0]));
  const key = accountLabel(account.data).toLowerCase();
  const first = seen.get(key);
  if (first !== undefined) return fail(`appears twice in the file (first on line ${first})`);
  seen.set(key, row.line);
  if (findByHandle(session, account.data)) {
    return { result: result('skipped', 'already registered: left as it is') };
  }
  // Kept byte-exact: a password is not trimmed.
  const given = row.cells['password'] ?? '';
  // Spaces alone are a blank cell, not a password anyone set on the platform (9.8); a password
  // with spaces around other characters is kept byte for byte.
  const blank = given.trim() === '';
  if (blank && !options.generateMissing) return fail(NO_PASSWORD);
  if (!blank) {
    const password = passwordSchema.safeParse(given);
    if (!password.success)
      return fail(`password: ${password.error.issues[0]?.message ?? 'invalid'}`);
  }
  const legacy = cell('legacy').toLowerCase();
  const details = accountDetailsSchema.safeParse({
    ...(cell('profile_url') ? { profileUrl: cell('profile_url') } : {}),
    ...(cell('purpose') ? { purpose: cell('purpose') } : {}),
    ...(cell('two_factor') ? { twoFactor: cell('two_factor').toLowerCase() } : {}),
    ...(cell('created_on') ? { createdOn: cell('created_on') } : {}),
    ...(cell('last_activity_on') ? { lastActivityOn: cell('last_activity_on') } : {}),
    ...(legacy ? { legacy: ['yes', 'true', '1', 'y'].includes(legacy) } : {}),
  });
  if (!details.success) return fail(describe(details.error.issues[0]));
  const legacyRefused = legacyRefusal({ ...account.data, ...details.data });
  if (legacyRefused) return fail(legacyRefused);
  if (account.data.unitType === 'individual' && !details.data.legacy) {
    return fail(
      'an individual account must be marked legacy (set up before January 2017, policy 9.5)',
    );
  }
  const generated = blank;
  return {
    result: result('ready', null, generated),
    account: account.data,
    details: details.data,
    ...(generated ? {} : { password: given }),
  };
}

function describe(
  issue: { path: PropertyKey[]; message: string; code?: string; values?: unknown[] } | undefined,
): string {
  if (!issue) return 'invalid';
  const field = issue.path.map(String).join('.');
  // A column with a fixed set of values says which, in words a person can act on.
  const message =
    issue.code === 'invalid_value' && Array.isArray(issue.values)
      ? `must be one of ${issue.values.map(String).join(', ')}`
      : issue.message;
  return field ? `${field}: ${message}` : message;
}
