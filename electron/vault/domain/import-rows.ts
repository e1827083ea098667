import { legacyRefusal } from '../../../shared/domain/account-lifecycle.ts';
import {
  accountLabel,
  FORCES,
  LIMITS,
  newAccountSchema,
  passwordSchema,
  UNIT_TYPES,
  type Force,
  type NewAccount,
  type UnitType,
} from '../../../shared/domain/accounts.ts';
import { accountDetailsSchema, type AccountDetails } from '../../../shared/domain/registry.ts';
import type { VaultSession } from '../session.ts';
import { placeEntry } from '../import/placement.ts';
import type { HistoricPassword, SourceEntry } from '../import/source-entry.ts';
import { normaliseTotp } from '../import/totp.ts';
import { findByHandle } from './accounts.ts';
import { IMPORT_LIMITS, shorten } from './import-csv.ts';

/** A row's fate: checked and ready (a dry run), written, left because it is registered, or refused. */
export type ImportRowStatus = 'ready' | 'imported' | 'skipped' | 'invalid';

export interface ImportRowResult {
  /** The entry's number: a CSV's spreadsheet row (the header being 1), else its place in the file. */
  readonly line: number;
  /** Where a person finds the entry in the source ("line 4", "Broadland › Twitter"). */
  readonly where: string;
  /** platform:handle, shortened if the file holds an absurd handle; '' when it cannot be placed. */
  readonly label: string;
  /** The force and unit it is (or would be) registered under, or null when refused. */
  readonly destination: string | null;
  readonly status: ImportRowStatus;
  /** Why it is invalid or skipped, or what to do about a generated password; never a value of it. */
  readonly message: string | null;
  /** The password was generated, as asked: the platform's password must be changed to it (9.8). */
  readonly passwordGenerated: boolean;
}

/** What fills what an entry does not say: the CLI's --force, --unit-type, --unit, --group-unit. */
export interface ImportDefaults {
  readonly force?: Force;
  readonly unitType?: UnitType;
  readonly unit?: string;
  /** A KeePass group, Bitwarden folder or collection, by its name, to a unit (and its type). */
  readonly groupUnits?: Readonly<
    Record<string, { readonly unit: string; readonly unitType?: UnitType }>
  >;
  /** An entry's own group name is its unit, where no mapping names it. */
  readonly unitsFromGroups?: boolean;
}

/** What the credential holds beyond the username and password. */
export interface ImportedCredential {
  readonly totpSecret?: string;
  readonly recoveryCodes?: readonly string[];
  readonly history: readonly HistoricPassword[];
}

/** A row that can be registered: the account, its details, and its password if the file gave one. */
export interface ReadyRow {
  readonly result: ImportRowResult;
  readonly account: NewAccount;
  readonly details: AccountDetails;
  readonly credential: ImportedCredential;
  /** Absent when the file left it empty and generation was asked for. */
  readonly password?: string;
}

export type CheckedRow = ReadyRow | { readonly result: ImportRowResult };

export const isReady = (row: CheckedRow): row is ReadyRow => 'account' in row;

export const GENERATED_PASSWORD_NOTICE =
  'password generated: change the password on the platform to it now (reveal it in Custodian), so the registry holds the real one (9.8)';

const NO_PASSWORD =
  "no password: the registry must hold the account's real password (9.8). Fill it in, or choose to generate one and then set it on the platform";

const HISTORY_LIMIT = 100;
const NOTES_LIMIT = 5000;

/**
 * Check one entry: its shape, every field's length (an error names the field and its length,
 * never its content), where it belongs (its own columns, else its URL or title, its group's unit
 * and the defaults; never a guess), the account and its details against the registry's schemas,
 * its TOTP, a second appearance in the file (`seen`: label to first line) and the registry
 * itself (skipped).
 */
export function checkRow(
  session: VaultSession,
  row: SourceEntry,
  seen: Map<string, number>,
  options: { generateMissing: boolean; defaults?: ImportDefaults },
): CheckedRow {
  const defaults = options.defaults ?? {};
  const cell = (name: string) => (row.columns[name] ?? '').trim();
  let label = '';
  let destination: string | null = null;
  const result = (status: ImportRowStatus, message: string | null, passwordGenerated = false) => ({
    line: row.line,
    where: row.where,
    label,
    destination: status === 'invalid' ? null : destination,
    status,
    message,
    passwordGenerated,
  });
  const fail = (message: string) => ({ result: result('invalid', message) });
  if (row.shapeError) return fail(row.shapeError);
  const tooLong = overLongField(row);
  if (tooLong) return fail(tooLong);

  // Where it belongs: Custodian's columns when the entry has them, else its URL or title.
  let platform = cell('platform').toLowerCase();
  let handle = cell('handle');
  if (platform === '' && handle === '') {
    const placed = placeEntry(row);
    if ('error' in placed) return fail(placed.error);
    ({ platform, handle } = placed);
  }
  label = `${shorten(platform, 20)}:${handle.length > LIMITS.handle ? shorten(handle, 40) : handle}`;
  const mapped = defaults.groupUnits?.[row.group];
  const ownGroup = defaults.unitsFromGroups ? (row.group.split('/').at(-1) ?? '') : '';
  const force = cell('force').toLowerCase() || defaults.force || '';
  const unitType = cell('unit_type').toLowerCase() || mapped?.unitType || defaults.unitType || '';
  const unitName = cell('unit') || mapped?.unit || ownGroup || defaults.unit || '';
  const missing = missingPlacement(row, { force, unitType, unitName });
  if (missing) return fail(missing);
  const account = newAccountSchema.safeParse({
    platform,
    handle,
    force,
    unitType,
    unitName,
    username: row.username.trim() === '' ? '' : row.username,
  });
  if (!account.success) return fail(describe(account.error.issues[0]));
  destination = `${account.data.force}, ${account.data.unitType} ${account.data.unitName}`;
  const key = accountLabel(account.data).toLowerCase();
  const first = seen.get(key);
  if (first !== undefined)
    return fail(
      `appears twice in the file (first ${row.where.startsWith('line') ? 'on line' : 'as entry'} ${first})`,
    );
  seen.set(key, row.line);
  if (findByHandle(session, account.data)) {
    return { result: result('skipped', 'already registered: left as it is') };
  }
  // Kept byte-exact: a password is not trimmed. Spaces alone are a blank, not a password anyone
  // set on the platform (9.8); a password with spaces around other characters is kept as it is.
  const given = row.password;
  const blank = given.trim() === '';
  if (blank && !options.generateMissing) return fail(NO_PASSWORD);
  if (!blank) {
    const password = passwordSchema.safeParse(given);
    if (!password.success)
      return fail(`password: ${password.error.issues[0]?.message ?? 'invalid'}`);
  }
  const credential = credentialOf(row);
  if ('error' in credential) return fail(credential.error);
  const details = detailsOf(row, cell);
  if ('error' in details) return fail(details.error);
  const legacyRefused = legacyRefusal({ ...account.data, ...details.value });
  if (legacyRefused) return fail(legacyRefused);
  if (account.data.unitType === 'individual' && !details.value.legacy) {
    return fail(
      'an individual account must be marked legacy (set up before January 2017, policy 9.5)',
    );
  }
  return {
    result: result('ready', null, blank),
    account: account.data,
    details: details.value,
    credential,
    ...(blank ? {} : { password: given }),
  };
}

/** The first field over its limit, by name and length (never its content). */
function overLongField(row: SourceEntry): string | null {
  const named: [string, string][] = [
    ...Object.entries(row.columns).filter(([column]) => column !== 'password'),
    ['title', row.title],
    ['URL', row.url],
    ['group', row.group],
    ['username', row.username],
    ['TOTP', row.totp],
  ];
  for (const [name, value] of named) {
    if (value.length > IMPORT_LIMITS.fieldChars) {
      return `the ${shorten(name)} ${row.columns[name] !== undefined ? 'column' : 'field'} is ${value.length.toLocaleString('en-GB')} characters long; a field is at most ${IMPORT_LIMITS.fieldChars.toLocaleString('en-GB')}`;
    }
  }
  if (row.password.length > LIMITS.password) {
    return `the password is ${row.password.length.toLocaleString('en-GB')} characters long; a password is at most ${LIMITS.password.toLocaleString('en-GB')}`;
  }
  return null;
}

/** What to set when the entry, its group and the defaults leave force, unit type or unit empty. */
function missingPlacement(
  row: SourceEntry,
  found: { force: string; unitType: string; unitName: string },
): string | null {
  const group = row.group ? ` or map its group "${shorten(row.group)}" to a unit` : '';
  if (found.force === '') {
    return `no force: give a default force (${FORCES.join(' or ')}; --force in the CLI) or a force field on the entry`;
  }
  if (found.unitType === '') {
    return `no unit type: give a default unit type (${UNIT_TYPES.join(', ')}; --unit-type in the CLI)${group}`;
  }
  if (found.unitName === '') {
    return `no unit: give a default unit (--unit in the CLI)${group}`;
  }
  return null;
}

function credentialOf(row: SourceEntry): ImportedCredential | { error: string } {
  const totp = normaliseTotp(row.totp, row.totpSettings);
  if (totp && 'error' in totp) return totp;
  const codes = row.recoveryCodes;
  if (codes.length > 50 || codes.some((code) => code.length > 100)) {
    return { error: 'recovery codes: at most 50, each at most 100 characters' };
  }
  if (row.history.length > HISTORY_LIMIT) {
    return {
      error: `the password history has ${row.history.length} passwords; an import carries at most ${HISTORY_LIMIT}`,
    };
  }
  for (const [i, old] of row.history.entries()) {
    if (!passwordSchema.safeParse(old.password).success || old.password === '') {
      return {
        error: `password history entry ${i + 1} is empty or not a password Custodian holds`,
      };
    }
  }
  return {
    ...(totp ? { totpSecret: totp.secret } : {}),
    ...(codes.length > 0 ? { recoveryCodes: codes } : {}),
    history: row.history,
  };
}

/**
 * The account's registry details: Custodian's columns where the source has them; the entry's
 * notes as they are, then each other field under its name (and a URL that is no web address).
 */
function detailsOf(
  row: SourceEntry,
  cell: (name: string) => string,
): { value: AccountDetails } | { error: string } {
  const url = row.url.trim();
  const urlIsAddress = url !== '' && accountDetailsSchema.shape.profileUrl.safeParse(url).success;
  const extra = [
    ...(url !== '' && !urlIsAddress ? [`URL: ${url}`] : []),
    ...row.fields.map((field) => `${field.name}: ${field.value}`),
  ];
  const notes = [row.notes.trim() === '' ? '' : row.notes, extra.join('\n')]
    .filter((part) => part !== '')
    .join('\n\n');
  if (notes.length > NOTES_LIMIT) {
    return {
      error: `the notes and other fields come to ${notes.length.toLocaleString('en-GB')} characters; the registry's notes hold ${NOTES_LIMIT.toLocaleString('en-GB')}. Shorten them in the source`,
    };
  }
  const legacy = cell('legacy').toLowerCase();
  const details = accountDetailsSchema.safeParse({
    ...(urlIsAddress ? { profileUrl: url } : {}),
    ...(cell('purpose') ? { purpose: cell('purpose') } : {}),
    ...(cell('two_factor') ? { twoFactor: cell('two_factor').toLowerCase() } : {}),
    ...(cell('created_on') ? { createdOn: cell('created_on') } : {}),
    ...(cell('last_activity_on') ? { lastActivityOn: cell('last_activity_on') } : {}),
    ...(legacy ? { legacy: ['yes', 'true', '1', 'y'].includes(legacy) } : {}),
    ...(notes !== '' ? { notes } : {}),
  });
  if (!details.success) return { error: describe(details.error.issues[0]) };
  return { value: details.data };
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
