import { EMPTY_ENTRY, type ImportSource, type SourceEntry } from '../source-entry.ts';
import { readCsvTable, widthError } from './csv-table.ts';

/**
 * KeePassXC's CSV export (Database > Export > CSV, `keepassxc-cli export --format csv`):
 * "Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created".
 * The group path starts with the root group's name, which is left off so that the groups read
 * the same as from the database itself. The CSV carries no history and no custom fields.
 */
export const KEEPASSXC_CSV_COLUMNS = ['Group', 'Title', 'Username', 'Password', 'URL', 'Notes'];

export function isKeePassXcCsv(header: readonly string[]): boolean {
  return KEEPASSXC_CSV_COLUMNS.every((column, i) => header[i] === column);
}

export function readKeePassXcCsv(text: string): ImportSource {
  const table = readCsvTable(text);
  const index = (name: string) => table.header.indexOf(name);
  const at = (cells: readonly string[], name: string) => {
    const i = index(name);
    return i < 0 ? '' : (cells[i] ?? '');
  };
  const groupOf = (cells: readonly string[]) => at(cells, 'Group').split('/').slice(1).join('/');
  const groups = [...new Set(table.rows.map((row) => groupOf(row.cells)).filter((g) => g !== ''))];
  return {
    format: 'keepassxc-csv',
    groups,
    *entries(): Generator<SourceEntry> {
      for (const { line, cells } of table.rows) {
        const title = at(cells, 'Title');
        const group = groupOf(cells);
        yield {
          ...EMPTY_ENTRY,
          line,
          where: `line ${line} (${[...group.split('/'), title].filter((p) => p).join(' › ')})`,
          shapeError: widthError(cells, table.header.length),
          title,
          group,
          url: at(cells, 'URL'),
          username: at(cells, 'Username'),
          password: at(cells, 'Password'),
          notes: at(cells, 'Notes'),
          totp: at(cells, 'TOTP'),
        };
      }
    },
  };
}
