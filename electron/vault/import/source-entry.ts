import type { ImportFormat } from '../../../shared/domain/import-formats.ts';

export {
  FORMAT_NAMES,
  IMPORT_FORMATS,
  type ImportFormat,
} from '../../../shared/domain/import-formats.ts';

/**
 * One entry of an import file, whatever format it came in: what every reader
 * (formats/*.ts) makes, and what import-rows.ts checks. Everything here but `where`, `title`,
 * `url` and `group` may be a secret of the source: it goes into a sealed credential or sealed
 * account record, never into a message, a log or the trail.
 */
export interface SourceEntry {
  /** The entry's number: a CSV's spreadsheet row (the header is 1), else its place in the file (1, 2, …). */
  readonly line: number;
  /** Where a person finds it in the source: "line 4", or "Broadland › Twitter" for a KeePass entry. */
  readonly where: string;
  /** Why the entry cannot be read at all (a CSV row of the wrong width), or null. */
  readonly shapeError: string | null;
  /** Custodian's own columns, where the source names them (Custodian's CSV; a field named "force"). */
  readonly columns: Readonly<Record<string, string>>;
  readonly title: string;
  readonly url: string;
  /** KeePass group path below the root, Bitwarden folder or first collection; '' when none. */
  readonly group: string;
  readonly username: string;
  /** Byte for byte as the source holds it: never trimmed. */
  readonly password: string;
  /** As the source wrote it (otpauth URI or base32); totp.ts reads it. */
  readonly totp: string;
  /** KeePassXC's older "TOTP Settings" field ("30;6"), when the secret came from "TOTP Seed". */
  readonly totpSettings: string;
  readonly recoveryCodes: readonly string[];
  readonly notes: string;
  /** Other fields the source holds, each carried into the notes under its name. */
  readonly fields: readonly { readonly name: string; readonly value: string }[];
  /** Earlier passwords, oldest first, where the source keeps them (KDBX, Bitwarden). */
  readonly history: readonly HistoricPassword[];
}

export interface HistoricPassword {
  readonly password: string;
  readonly setAt: string;
  readonly replacedAt: string;
}

/** A file opened for import: its entries can be read more than once (a check, then the write). */
export interface ImportSource {
  readonly format: ImportFormat;
  /** The groups, folders or collections entries are in, for mapping to units. */
  readonly groups: readonly string[];
  entries(): AsyncIterable<SourceEntry> | Iterable<SourceEntry>;
}

/** Fields a reader fills when the source has no such thing. */
export const EMPTY_ENTRY: Omit<SourceEntry, 'line' | 'where'> = {
  shapeError: null,
  columns: {},
  title: '',
  url: '',
  group: '',
  username: '',
  password: '',
  totp: '',
  totpSettings: '',
  recoveryCodes: [],
  notes: '',
  fields: [],
  history: [],
};

/** A field whose name says it holds recovery (backup) codes: one code a line or space. */
export const RECOVERY_FIELD = /recovery|backup\s*codes?/i;

export function splitCodes(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((code) => code.trim())
    .filter((code) => code.length > 0);
}

/** Custodian's column names a custom field may use to say where the account belongs. */
export const PLACEMENT_FIELDS = ['platform', 'handle', 'force', 'unit_type', 'unit'] as const;

/**
 * Sort a source's custom fields: Custodian's own (force, unit…), recovery codes, the TOTP, and
 * the rest, which go into the notes under their names.
 */
export function sortFields(fields: readonly { name: string; value: string }[]): {
  columns: Record<string, string>;
  recoveryCodes: string[];
  totp: string;
  totpSettings: string;
  rest: { name: string; value: string }[];
} {
  const columns: Record<string, string> = {};
  const recoveryCodes: string[] = [];
  let totp = '';
  let totpSettings = '';
  const rest: { name: string; value: string }[] = [];
  for (const field of fields) {
    const key = field.name
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if ((PLACEMENT_FIELDS as readonly string[]).includes(key)) columns[key] = field.value;
    else if (key === 'otp' || key === 'totp' || key === 'totp_seed') totp = field.value;
    else if (key === 'totp_settings') totpSettings = field.value;
    else if (RECOVERY_FIELD.test(field.name)) recoveryCodes.push(...splitCodes(field.value));
    else if (field.value !== '') rest.push(field);
  }
  return { columns, recoveryCodes, totp, totpSettings, rest };
}
