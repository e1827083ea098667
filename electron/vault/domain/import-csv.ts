import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { invalidInput } from '../errors.ts';

/**
 * What one import takes (issue 11: a 20,000-row file ran for 12 minutes, and a 5 MB field came
 * back whole in an error). A force registers hundreds of accounts, not tens of thousands: a
 * larger file is split, and each part is its own import. A field is at most the longest column
 * the registry holds (purpose, 2,000 characters); a file, ten thousand such rows of ordinary size.
 */
export const IMPORT_LIMITS = {
  /** The largest file, in bytes (a 10,000-row registration CSV is about 1 MB). */
  fileBytes: 8 * 1024 * 1024,
  rows: 10_000,
  fieldChars: 2_000,
  /** Rows written in one transaction, each with its own audit entries. */
  batchRows: 200,
} as const;

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
const KNOWN = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);

/** One row of the file, with its number as a spreadsheet shows it (the header is row 1). */
export interface CsvRecord {
  readonly line: number;
  readonly cells: Readonly<Record<string, string>>;
  /** Why the row cannot be read as the header's columns, or null. */
  readonly shapeError: string | null;
}

const MB = 1024 * 1024;
const count = (n: number) => n.toLocaleString('en-GB');

/** Refuse a file over the size limit before reading it; the message says what to do. */
export function checkImportSize(bytes: number, name = 'The CSV'): void {
  if (bytes > IMPORT_LIMITS.fileBytes) {
    throw invalidInput(
      `${name} is ${(bytes / MB).toFixed(1)} MB, larger than an import takes (${IMPORT_LIMITS.fileBytes / MB} MB, ${count(IMPORT_LIMITS.rows)} rows). Split it and import each part; nothing was written.`,
    );
  }
}

/** A column name as an error may show it: never more than a few dozen characters of it. */
export function shorten(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${count(text.length)} characters)`;
}

/**
 * The rows of a registration CSV, parsed as they are read (papaparse's stream, which waits while
 * the reader is busy), so no list of every row is ever built. The header is checked before the
 * first row is given; more rows than an import takes stop it with an error.
 */
export async function* csvRecords(csv: string): AsyncGenerator<CsvRecord> {
  checkImportSize(Buffer.byteLength(csv, 'utf8'));
  const columns: string[] = [];
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (header: string) => {
      const name = header
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_');
      columns.push(name);
      return name;
    },
  });
  const rows = Readable.from(slices(csv.replace(/^\uFEFF/, ''))).pipe(parser);
  let index = 0;
  try {
    for await (const raw of rows as AsyncIterable<Record<string, string | string[]>>) {
      if (index === 0) checkColumns(columns);
      index += 1;
      if (index > IMPORT_LIMITS.rows) {
        throw invalidInput(
          `The CSV has more than ${count(IMPORT_LIMITS.rows)} rows, more than an import takes. Split it and import each part; nothing was written.`,
        );
      }
      yield record(raw, index + 1, columns.length);
    }
    if (index === 0) checkColumns(columns);
  } finally {
    rows.destroy();
  }
}

function* slices(text: string, size = 64 * 1024): Generator<string> {
  for (let at = 0; at < text.length; at += size) yield text.slice(at, at + size);
}

function checkColumns(columns: readonly string[]): void {
  if (columns.length === 0) throw invalidInput('The CSV is empty: it needs a header row.');
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    throw invalidInput(
      `The CSV is missing the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; nothing was written.`,
    );
  }
  const unknown = columns.filter((column) => !KNOWN.has(column));
  if (unknown.length > 0) {
    const named = unknown.slice(0, 5).map((column) => shorten(column));
    const more = unknown.length > 5 ? ` and ${count(unknown.length - 5)} more` : '';
    throw invalidInput(
      `The CSV has unknown columns: ${named.join(', ')}${more}; nothing was written. The columns are ${[...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].join(', ')}.`,
    );
  }
}

function record(raw: Record<string, string | string[]>, line: number, width: number): CsvRecord {
  const cells: Record<string, string> = {};
  let present = 0;
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') continue;
    cells[key] = value;
    present += 1;
  }
  // papaparse keeps values beyond the header's width under __parsed_extra, and leaves out the
  // columns of a short row: either way the values no longer line up with their columns.
  const shapeError =
    '__parsed_extra' in raw
      ? 'has more values than the header has columns (a value holding a comma must be in double quotes)'
      : present < width
        ? 'has fewer values than the header has columns'
        : null;
  return { line, cells, shapeError };
}
