import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { RequestOf, ResponseOf } from '../../../shared/ipc/contract.ts';
import { checkImportSize, importAccountsReport, type ImportDefaults } from '../domain/import.ts';
import { invalidInput } from '../errors.ts';
import { detectFormat, needsPassphrase, openImportSource } from '../import/open-source.ts';
import type { ImportSource } from '../import/source-entry.ts';
import type { HandlerContext } from './types.ts';

/**
 * The import (the console's wizard, renderer/views/accounts/ImportPanel.tsx, and `custodian account
 * import`): Custodian's CSV as text, any format as the file's bytes, or a file chosen for import
 * (read here, refused before it is read if it is larger than an import takes). A file that needs
 * its passphrase and came without one is answered `needsPassphrase` (so the wizard or the CLI
 * asks) with nothing checked. The source passphrase is used for this call and dropped; it is
 * never kept, logged or audited. Between batches, a CLI's router lets other members' commands
 * write (issue 11); the console keeps its lock.
 */
export async function importAccountsFrom(
  ctx: HandlerContext,
  r: RequestOf<'accounts.import'>,
): Promise<ResponseOf<'accounts.import'>> {
  const session = ctx.session();
  let source: ImportSource | string;
  const chosen = r.source === undefined ? undefined : ctx.file(r.source, 'import-source');
  if (r.file !== undefined || chosen !== undefined) {
    const bytes = chosen === undefined ? Buffer.from(r.file ?? '', 'base64') : readChosen(chosen);
    const format = r.format;
    const name = chosen === undefined ? 'The file' : nameOf(chosen);
    if (r.sourcePassphrase === undefined && needsPassphrase(bytes, format, name)) {
      return {
        format: format ?? detectFormat(bytes, name),
        needsPassphrase: true,
        groups: [],
        rows: [],
        total: 0,
        written: 0,
        skipped: 0,
        invalid: 0,
      };
    }
    const passphrase = r.sourcePassphrase;
    source = await openImportSource(bytes, {
      name,
      ...(format ? { format } : {}),
      ...(passphrase !== undefined ? { passphrase: () => Promise.resolve(passphrase) } : {}),
    });
  } else {
    source = r.csv ?? '';
  }
  const defaults: ImportDefaults = {
    ...(r.defaults?.force ? { force: r.defaults.force } : {}),
    ...(r.defaults?.unitType ? { unitType: r.defaults.unitType } : {}),
    ...(r.defaults?.unit ? { unit: r.defaults.unit } : {}),
    groupUnits: Object.fromEntries(
      Object.entries(r.groupUnits ?? {}).map(([group, to]) => [
        group,
        { unit: to.unit, ...(to.unitType ? { unitType: to.unitType } : {}) },
      ]),
    ),
    unitsFromGroups: r.unitsFromGroups ?? false,
  };
  const report = await importAccountsReport(session, source, {
    mode: r.mode,
    generateMissing: r.generateMissing ?? false,
    defaults,
    ...(r.mode === 'dry-run'
      ? {}
      : { onProgress: ctx.progress('import', { letOthersWrite: true }) }),
  });
  return {
    ...report,
    format: typeof source === 'string' ? 'custodian-csv' : source.format,
    needsPassphrase: false,
    groups: typeof source === 'string' ? [] : [...source.groups],
  };
}

/** The chosen file's bytes, refused before it is read if it is larger than an import takes. */
function readChosen(path: string): Buffer {
  const unreadable = () =>
    invalidInput(`Cannot read the import file ${basename(path)}: check the path.`);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw unreadable();
  }
  checkImportSize(size, nameOf(path));
  try {
    return readFileSync(path);
  } catch {
    throw unreadable();
  }
}

/** How errors name a chosen file: by its name, since its folder stays with the host. */
const nameOf = (path: string) => `The import file ${basename(path)}`;
