import Papa from 'papaparse';
import type { AuditEntry } from '../../../shared/domain/audit.ts';
import type { VaultSession } from '../session.ts';
import type { OutputFile } from './export-file.ts';
import { describeForPeople } from './people-view.ts';

/** The spreadsheet: one row an entry, in words, ids kept as they are (describeForPeople). */
const CSV_COLUMNS = [
  'Sequence',
  'Time (UTC, ISO 8601)',
  'Event',
  'Who',
  'Account',
  'Reason given',
  'Details',
  'Leaf hash',
];

export async function writeCsv(
  session: VaultSession,
  file: OutputFile,
  entries: AsyncIterable<AuditEntry & { leaf: Uint8Array }>,
): Promise<number> {
  file.write(`${Papa.unparse([CSV_COLUMNS])}\r\n`);
  let count = 0;
  let batch: string[][] = [];
  const flush = () => {
    if (batch.length > 0)
      file.write(`${Papa.unparse(batch, { quotes: true, escapeFormulae: true })}\r\n`);
    batch = [];
  };
  for await (const entry of entries) {
    const r = describeForPeople(session, entry);
    batch.push([String(r.seq), r.at, r.event, r.actor, r.account, r.reason, r.details, r.leaf]);
    count += 1;
    if (batch.length === 5000) flush();
  }
  flush();
  return count;
}
