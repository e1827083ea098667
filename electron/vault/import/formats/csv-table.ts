import Papa from 'papaparse';
import { invalidInput } from '../../errors.ts';

/** A peer's CSV export read whole (it is at most IMPORT_LIMITS.fileBytes): its header and rows. */
export interface CsvTable {
  readonly header: readonly string[];
  /** Each row with its spreadsheet number (the header is 1; a quoted line break stays in its row). */
  readonly rows: readonly { readonly line: number; readonly cells: readonly string[] }[];
}

export function readCsvTable(text: string): CsvTable {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    header: false,
    skipEmptyLines: 'greedy',
  });
  const [header, ...rows] = parsed.data;
  if (!header) throw invalidInput('The CSV is empty: it needs a header row.');
  return {
    header: header.map((name) => name.trim()),
    rows: rows.map((cells, i) => ({ line: i + 2, cells })),
  };
}

/** The first line of a text, for telling CSV exports apart by their header. */
export function firstCsvRow(text: string): string[] {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const parsed = Papa.parse<string[]>(firstLine, { header: false });
  return (parsed.data[0] ?? []).map((name) => name.trim());
}

/** Why a row does not line up with the header, or null. */
export function widthError(cells: readonly string[], width: number): string | null {
  if (cells.length > width) {
    return 'has more values than the header has columns (a value holding a comma must be in double quotes)';
  }
  if (cells.length < width) return 'has fewer values than the header has columns';
  return null;
}
