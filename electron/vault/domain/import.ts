import { legacyRefusal } from '../../../shared/domain/account-lifecycle.ts';
import Papa from 'papaparse';
import {
  accountLabel,
  newAccountSchema,
  passwordSchema,
  type NewAccount,
} from '../../../shared/domain/accounts.ts';
import { accountDetailsSchema, type AccountDetails } from '../../../shared/domain/registry.ts';
import { invalidInput } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { requireRole } from '../vault.ts';
import { createAccountInTransaction, listAccounts } from './accounts.ts';
import { generatePassword } from './generator.ts';

/** Columns a registration CSV must have; the rest are optional. */
export const REQUIRED_COLUMNS = [
  'platform',
  'handle',
  'force',
  'unit_type',
  'unit',
  'username',
] as const;
export const OPTIONAL_COLUMNS = [
  'password',
  'profile_url',
  'purpose',
  'two_factor',
  'created_on',
  'last_activity_on',
  'legacy',
] as const;

export interface ImportRowResult {
  /** 1-based line number in the file, the header being line 1. */
  readonly line: number;
  readonly label: string;
  readonly error: string | null;
  readonly passwordGenerated: boolean;
}

export interface ImportReport {
  readonly rows: ImportRowResult[];
  readonly written: number;
}

interface ParsedRow {
  readonly line: number;
  readonly account?: NewAccount & { password: string };
  readonly details?: AccountDetails;
  readonly result: ImportRowResult;
}

/**
 * Bulk registration from CSV. Every row is checked first; nothing is written unless every row is
 * valid, or `writeValid` asks to write the valid ones. `dryRun` writes nothing and reports all.
 */
export function importAccounts(
  session: VaultSession,
  csv: string,
  options: { dryRun?: boolean; writeValid?: boolean } = {},
): ImportReport {
  requireRole(session, ['lead', 'dmt'], 'importing accounts');
  const parsed = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (header) =>
      header
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_'),
  });
  const columns = parsed.meta.fields ?? [];
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    throw invalidInput(
      `The CSV is missing the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; nothing was written.`,
    );
  }
  const known = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);
  const unknown = columns.filter((column) => !known.has(column));
  if (unknown.length > 0)
    throw invalidInput(`The CSV has unknown columns: ${unknown.join(', ')}; nothing was written.`);

  const existing = new Set(listAccounts(session).map((a) => accountLabel(a).toLowerCase()));
  const seen = new Set<string>();
  const rows = parsed.data.map((raw, index) => checkRow(raw, index + 2, existing, seen));
  const valid = rows.filter((row) => row.result.error === null);
  const allValid = valid.length === rows.length;
  if (options.dryRun || (!allValid && !options.writeValid) || valid.length === 0) {
    return { rows: rows.map((r) => r.result), written: 0 };
  }
  session.write((context) => {
    for (const row of valid)
      createAccountInTransaction(session, context, row.account!, row.details ?? {});
    context.audit({
      kind: 'accounts.imported',
      details: { written: valid.length, skipped: rows.length - valid.length },
    });
  });
  return { rows: rows.map((r) => r.result), written: valid.length };
}

function checkRow(
  raw: Record<string, string>,
  line: number,
  existing: Set<string>,
  seen: Set<string>,
): ParsedRow {
  const cell = (name: string) => (raw[name] ?? '').trim();
  const label = `${cell('platform')}:${cell('handle')}`;
  const fail = (error: string): ParsedRow => ({
    line,
    result: { line, label, error, passwordGenerated: false },
  });
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
  if (existing.has(key)) return fail('already registered');
  if (seen.has(key)) return fail('appears twice in the file');
  seen.add(key);
  const passwordGenerated = (raw['password'] ?? '') === '';
  const password = passwordSchema.safeParse(
    passwordGenerated ? generatePassword() : raw['password'],
  );
  if (!password.success) return fail(`password: ${password.error.issues[0]?.message ?? 'invalid'}`);
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
  return {
    line,
    account: { ...account.data, password: password.data },
    details: details.data,
    result: { line, label, error: null, passwordGenerated },
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
