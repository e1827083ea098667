import { EMPTY_ENTRY, sortFields, type ImportSource, type SourceEntry } from '../source-entry.ts';
import { readCsvTable, widthError } from './csv-table.ts';

/**
 * Bitwarden's CSV export: a personal vault's columns are folder, favorite, type, name, notes,
 * fields, reprompt, login_uri, login_username, login_password, login_totp; an organisation's
 * have collections in place of folder and favorite. `fields` holds custom fields one a line as
 * "name: value"; `login_uri` several addresses separated by commas. Only logins are accounts.
 */
export function isBitwardenCsv(header: readonly string[]): boolean {
  return ['type', 'name', 'login_username', 'login_password'].every((c) => header.includes(c));
}

export function readBitwardenCsv(text: string): ImportSource {
  const table = readCsvTable(text);
  const at = (cells: readonly string[], name: string) => {
    const i = table.header.indexOf(name);
    return i < 0 ? '' : (cells[i] ?? '');
  };
  // A row in several collections is placed by its first; mapping is by that name.
  const groupOf = (cells: readonly string[]) =>
    at(cells, 'folder') || (at(cells, 'collections').split(',')[0] ?? '').trim();
  const groups = [...new Set(table.rows.map((row) => groupOf(row.cells)).filter((g) => g !== ''))];
  return {
    format: 'bitwarden-csv',
    groups,
    *entries(): Generator<SourceEntry> {
      for (const { line, cells } of table.rows) {
        const type = at(cells, 'type').trim();
        const title = at(cells, 'name');
        const sorted = sortFields(customFields(at(cells, 'fields')));
        yield {
          ...EMPTY_ENTRY,
          line,
          where: `line ${line} (${title || 'no name'})`,
          shapeError:
            widthError(cells, table.header.length) ??
            (type === 'login'
              ? null
              : `a Bitwarden ${type || 'item'}, not a login: only logins are registered`),
          columns: sorted.columns,
          title,
          group: groupOf(cells),
          url: (at(cells, 'login_uri').split(',')[0] ?? '').trim(),
          username: at(cells, 'login_username'),
          password: at(cells, 'login_password'),
          totp: at(cells, 'login_totp') || sorted.totp,
          recoveryCodes: sorted.recoveryCodes,
          notes: at(cells, 'notes'),
          fields: sorted.rest,
        };
      }
    },
  };
}

/** "name: value" a line; a line without ": " continues the value before it. */
function customFields(text: string): { name: string; value: string }[] {
  const fields: { name: string; value: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const colon = line.indexOf(': ');
    if (colon > 0) fields.push({ name: line.slice(0, colon), value: line.slice(colon + 2) });
    else if (fields.length > 0) fields.at(-1)!.value += `\n${line}`;
    else fields.push({ name: line.replace(/:$/, ''), value: '' });
  }
  return fields;
}
