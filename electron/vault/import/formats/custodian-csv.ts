import { csvRecords } from '../../domain/import-csv.ts';
import { EMPTY_ENTRY, type ImportSource, type SourceEntry } from '../source-entry.ts';

/**
 * Custodian's own registration CSV (import-csv.ts: its columns, limits and streaming parse). Its
 * columns say where each account belongs, so nothing is derived; the defaults fill only what a
 * row leaves empty.
 */
export function readCustodianCsv(csv: string): ImportSource {
  return {
    format: 'custodian-csv',
    groups: [],
    async *entries(): AsyncGenerator<SourceEntry> {
      for await (const record of csvRecords(csv)) {
        yield {
          ...EMPTY_ENTRY,
          line: record.line,
          where: `line ${record.line}`,
          shapeError: record.shapeError,
          columns: record.cells,
          username: record.cells['username'] ?? '',
          password: record.cells['password'] ?? '',
          url: record.cells['profile_url'] ?? '',
        };
      }
    },
  };
}
