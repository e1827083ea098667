import { checkImportSize } from '../domain/import-csv.ts';
import { invalidInput } from '../errors.ts';
import { isBitwardenCsv, readBitwardenCsv } from './formats/bitwarden-csv.ts';
import {
  isPasswordProtected,
  looksLikeBitwardenJson,
  parseJson,
  readBitwardenJson,
} from './formats/bitwarden-json.ts';
import { firstCsvRow } from './formats/csv-table.ts';
import { readCustodianCsv } from './formats/custodian-csv.ts';
import { looksLikeKdbx, looksLikeKeePassXml } from './formats/keepass-signature.ts';
import { isKeePassXcCsv, readKeePassXcCsv } from './formats/keepassxc-csv.ts';
import {
  FORMAT_NAMES,
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportSource,
} from './source-entry.ts';

/** kdbxweb is loaded by the import that reads a KeePass file, not by every command (issue 17). */
const keepassReader = () => import('./formats/keepass.ts');

/** How the passphrase of a KeePass database or a password-protected export is asked for, when one is needed. */
export type SourcePassphrase = () => Promise<string>;

const READ = IMPORT_FORMATS.map((format) => FORMAT_NAMES[format]).join('; ');

/**
 * Open an import file: its format told from its content (a KDBX signature, a KeePassFile XML
 * root, Bitwarden's JSON, or a CSV header), unless `format` forces one. A file that is none of
 * them says which formats are read. The passphrase is asked for only when the format needs it.
 */
export async function openImportSource(
  bytes: Uint8Array,
  options: { format?: ImportFormat; passphrase?: SourcePassphrase; name?: string } = {},
): Promise<ImportSource> {
  const name = options.name ?? 'The file';
  checkImportSize(bytes.byteLength, name);
  const format = options.format ?? detectFormat(bytes, name);
  const passphrase =
    options.passphrase ??
    (() =>
      Promise.reject(
        invalidInput(
          `This ${FORMAT_NAMES[format]} needs its passphrase: give it (in the CLI --source-passphrase-file, CUSTODIAN_SOURCE_PASSPHRASE, or the prompt). Nothing was written.`,
        ),
      ));
  if (format === 'kdbx') {
    if (!looksLikeKdbx(bytes)) throw notThat(format);
    return (await keepassReader()).readKdbx(bytes, await passphrase());
  }
  const text = textOf(bytes, name);
  switch (format) {
    case 'keepassxc-xml':
      if (!looksLikeKeePassXml(text)) throw notThat(format);
      return (await keepassReader()).readKeePassXml(text);
    case 'bitwarden-json': {
      const value = parseJson(text);
      if (!looksLikeBitwardenJson(value)) throw notThat(format);
      return readBitwardenJson(value, passphrase);
    }
    case 'keepassxc-csv':
      if (!isKeePassXcCsv(firstCsvRow(text))) throw notThat(format);
      return readKeePassXcCsv(text);
    case 'bitwarden-csv':
      if (!isBitwardenCsv(firstCsvRow(text))) throw notThat(format);
      return readBitwardenCsv(text);
    case 'custodian-csv':
      return readCustodianCsv(text);
  }
}

/**
 * Whether opening this file will need a passphrase (the console and the CLI ask for it only
 * then). A file that is not the format forced, or none of the formats, is refused here as
 * `openImportSource` would, before anyone is asked for a passphrase it could not use.
 */
export function needsPassphrase(
  bytes: Uint8Array,
  format?: ImportFormat,
  name = 'The file',
): boolean {
  const detected = format ?? detectFormat(bytes, name);
  if (detected === 'kdbx') {
    if (!looksLikeKdbx(bytes)) throw notThat(detected);
    return true;
  }
  if (detected !== 'bitwarden-json') return false;
  try {
    return isPasswordProtected(JSON.parse(textOf(bytes, name).replace(/^\uFEFF/, '')));
  } catch {
    return false;
  }
}

export function detectFormat(bytes: Uint8Array, name = 'The file'): ImportFormat {
  if (looksLikeKdbx(bytes)) return 'kdbx';
  const text = textOf(bytes, name).replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (looksLikeKeePassXml(start)) return 'keepassxc-xml';
  if (start.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(start);
    } catch {
      value = undefined;
    }
    if (looksLikeBitwardenJson(value)) return 'bitwarden-json';
    throw unknownFormat();
  }
  const header = firstCsvRow(text);
  if (isKeePassXcCsv(header)) return 'keepassxc-csv';
  if (isBitwardenCsv(header)) return 'bitwarden-csv';
  // A header naming any of Custodian's columns is its CSV, so its own errors say what is missing.
  const names = header.map((name) => name.toLowerCase().replace(/[\s-]+/g, '_'));
  if (names.includes('platform') || names.includes('handle') || text.trim() === '') {
    return 'custodian-csv';
  }
  throw unknownFormat();
}

function textOf(bytes: Uint8Array, name = 'The file'): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // A password saved in another encoding would become U+FFFD: refused, not guessed at (9.8).
    throw invalidInput(
      `${name} is not UTF-8 text, nor a KeePass database. Save it as UTF-8 (from a spreadsheet: "CSV UTF-8") and try again; nothing was written.`,
    );
  }
}

function unknownFormat(why = ''): Error {
  return invalidInput(
    `The file is none of the formats Custodian imports. ${why ? `${why} ` : ''}It reads: ${READ}. Export it again in one of them (or name one with --format); nothing was written.`,
  );
}

function notThat(format: ImportFormat): Error {
  return invalidInput(
    `The file is not a ${FORMAT_NAMES[format]}, as --format says. Leave --format out to have it detected; nothing was written.`,
  );
}
