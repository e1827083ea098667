import type { RequestOf, ResponseOf } from '../../../shared/ipc/contract.ts';
import { importAccountsReport, type ImportDefaults } from '../domain/import.ts';
import { detectFormat, needsPassphrase, openImportSource } from '../import/open-source.ts';
import type { ImportSource } from '../import/source-entry.ts';
import type { HandlerContext } from './types.ts';

/**
 * The console's import (its wizard, renderer/views/accounts/ImportPanel.tsx): Custodian's CSV as
 * text, or any other format as the file's bytes. A file that needs its passphrase and came
 * without one is answered `needsPassphrase` (so the wizard asks) with nothing checked. The source
 * passphrase is used for this call and dropped; it is never kept, logged or audited.
 */
export async function importFromConsole(
  ctx: HandlerContext,
  r: RequestOf<'accounts.import'>,
): Promise<ResponseOf<'accounts.import'>> {
  const session = ctx.session();
  let source: ImportSource | string;
  if (r.file !== undefined) {
    const bytes = Buffer.from(r.file, 'base64');
    const format = r.format;
    if (r.sourcePassphrase === undefined && needsPassphrase(bytes, format)) {
      return {
        format: format ?? detectFormat(bytes),
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
  };
  const report = await importAccountsReport(session, source, {
    mode: r.mode,
    generateMissing: r.generateMissing ?? false,
    defaults,
    ...(r.mode === 'dry-run' ? {} : { onProgress: ctx.progress('import') }),
  });
  return {
    ...report,
    format: typeof source === 'string' ? 'custodian-csv' : source.format,
    needsPassphrase: false,
    groups: typeof source === 'string' ? [] : [...source.groups],
  };
}
