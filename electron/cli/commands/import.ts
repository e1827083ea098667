import { Option, type Command } from 'commander';
import { FORCES, UNIT_TYPES, type Force, type UnitType } from '../../../shared/domain/accounts.ts';
import {
  FORMAT_NAMES,
  IMPORT_FORMATS,
  type ImportFormat,
} from '../../../shared/domain/import-formats.ts';
import type { TaskProgress } from '../../../shared/ipc/channels.ts';
import type { RequestOf, ResponseOf } from '../../../shared/ipc/contract.ts';
import {
  IMPORT_LIMITS,
  OPTIONAL_COLUMNS,
  REQUIRED_COLUMNS,
} from '../../vault/domain/import-csv.ts';
import { invalidInput } from '../../vault/errors.ts';
import { readPassphrase } from '../prompt.ts';
import { currentIo } from '../io.ts';
import { asOption, readInputFile, type Io } from '../support.ts';
import { withVault } from '../vault-client.ts';

type ImportMode = RequestOf<'accounts.import'>['mode'];
type ImportDefaultsRequest = NonNullable<RequestOf<'accounts.import'>['defaults']>;

const count = (n: number) => n.toLocaleString('en-GB');

// Made when help is asked for: the numbers' formatting loads ICU's en-GB data, ~15 ms that
// every other command would pay at start (issue 17).
const help = () => `
Formats (detected from the content; --format to force one):
${IMPORT_FORMATS.map((f) => `  ${f.padEnd(15)} ${FORMAT_NAMES[f]}`).join('\n')}
A KeePass database or a password-protected Bitwarden export needs its passphrase: from
--source-passphrase-file, else CUSTODIAN_SOURCE_PASSPHRASE, else a prompt on a terminal.

Where an entry from KeePass or Bitwarden belongs: its platform and handle from its URL (a profile
address such as https://x.com/NAME) or a title such as x:NAME, never guessed; force, unit type and
unit from fields of those names on the entry, else its group's mapping (--group-unit
"GROUP=TYPE:UNIT" or "GROUP=UNIT", repeatable; --units-from-groups takes each group's own name),
else --force, --unit-type and --unit. An entry that cannot be placed is an error for that entry,
saying what to set. The username, the password (byte for byte), the TOTP secret, recovery codes,
notes, URL and the password history (KDBX, Bitwarden) are carried across; other fields go into
the notes, under their names.

Each row is checked first; "already registered" rows are skipped, so running the same file again
after an interrupted import finishes it. A row without a password is an error (policy 9.8: the
registry must hold the account's real password) unless --generate-missing is given; then each
generated password must be set on the platform (reveal it with \`custodian reveal\`).

Limits: a file of at most ${IMPORT_LIMITS.fileBytes / 1024 / 1024} MB and ${count(IMPORT_LIMITS.rows)} rows, a field of at most ${count(IMPORT_LIMITS.fieldChars)} characters;
split a larger file. Rows are written ${IMPORT_LIMITS.batchRows} to a transaction, each with its own audit entries;
if one fails, the earlier ones stay and the error says which lines were registered.
Progress is shown on stderr when it is a terminal.`;

/** `custodian account import` (9.8): bulk registration from a CSV, in batches, with progress. */
export function registerAccountImport(account: Command, io: Io): void {
  account
    .command('import')
    .description(
      'register accounts from a KeePass database, a KeePassXC or Bitwarden export, or a CSV; checks every entry first',
    )
    .argument('<vault>')
    .argument(
      '<file>',
      `KDBX, KeePassXC XML/CSV, Bitwarden JSON/CSV, or a CSV with columns ${REQUIRED_COLUMNS.join(',')}[,${OPTIONAL_COLUMNS.join(',')}]`,
    )
    .addOption(
      new Option('--format <format>', 'the file format, when not to detect it').choices(
        IMPORT_FORMATS,
      ),
    )
    .option(
      '--source-passphrase-file <file>',
      "file holding the KeePass database's or Bitwarden export's passphrase",
    )
    .addOption(new Option('--force <force>', 'force for entries that do not say').choices(FORCES))
    .addOption(
      new Option('--unit-type <type>', 'unit type for entries that do not say').choices(UNIT_TYPES),
    )
    .option('--unit <name>', 'unit for entries that do not say')
    .option(
      '--group-unit <GROUP=[TYPE:]UNIT>',
      'the unit for entries in a KeePass group or Bitwarden folder/collection (repeatable)',
      (value: string, all: string[] | undefined) => [...(all ?? []), value],
    )
    .option('--units-from-groups', "each entry's own group name is its unit, unless mapped")
    .option('--dry-run', 'check and report every row; write nothing')
    .option('--write-valid', 'write the valid rows even if some are not')
    .option(
      '--generate-missing',
      'generate a password for a row without one; you must then set it on the platform (9.8)',
    )
    .option('--json')
    .addOption(asOption())
    .addHelpText('after', help)
    .action(
      async (
        vault: string,
        path: string,
        o: {
          json?: boolean;
          as?: string;
          dryRun?: boolean;
          writeValid?: boolean;
          generateMissing?: boolean;
          format?: ImportFormat;
          sourcePassphraseFile?: string;
          force?: Force;
          unitType?: UnitType;
          unit?: string;
          groupUnit?: string[];
          unitsFromGroups?: boolean;
        },
      ) => {
        if (o.dryRun && o.writeValid)
          throw invalidInput('Give --dry-run or --write-valid, not both.');
        const mode: ImportMode = o.dryRun ? 'dry-run' : o.writeValid ? 'valid' : 'all';
        const status = progressLine(io);
        const onProgress = (p: TaskProgress) =>
          status.show(
            `importing: ${count(p.done)} of ${count(p.total)} rows (${Math.floor((100 * p.done) / p.total)}%)`,
          );
        const report = await withVault(
          vault,
          o,
          async ({ call, file }) => {
            const request = {
              source: await file(path, 'import-source'),
              ...(o.format ? { format: o.format } : {}),
              defaults: defaultsFrom(o),
              ...groupUnitsFrom(o.groupUnit, o.unitsFromGroups),
              mode,
              generateMissing: o.generateMissing ?? false,
            } satisfies RequestOf<'accounts.import'>;
            const first = await call('accounts.import', request);
            if (!first.needsPassphrase) return first;
            // The file is a KeePass database or a protected export: ask for its passphrase once
            // the vault has said so (nothing was checked yet), then the same request with it.
            const sourcePassphrase = await sourcePassphraseFrom(o.sourcePassphraseFile);
            return call('accounts.import', { ...request, sourcePassphrase });
          },
          { onProgress },
        ).finally(() => status.clear());
        if (o.json) {
          const { total, written, skipped, invalid, rows } = report;
          io.out(JSON.stringify({ total, written, skipped, invalid, rows }, null, 2));
          if (invalid > 0) io.setExitCode(1);
          return;
        }
        const placed = report.format !== 'custodian-csv';
        for (const row of report.rows) {
          const where = placed && row.destination ? `\t${row.destination}` : '';
          io.out(`${row.where}\t${row.label || '-'}\t${describeRow(row)}${where}`);
        }
        if (mode === 'dry-run') {
          const ready = report.total - report.skipped - report.invalid;
          io.out(
            `Dry run, nothing written: ${count(ready)} of ${count(report.total)} entries would be registered, ${count(report.skipped)} already registered (skipped), ${count(report.invalid)} refused (above).`,
          );
        } else if (mode === 'all' && report.invalid > 0) {
          io.out(
            `Nothing was written: ${count(report.invalid)} of ${count(report.total)} rows cannot be registered (above). Fix them, or pass --write-valid to write the others.`,
          );
        } else {
          const skipped =
            report.skipped > 0 ? `, ${count(report.skipped)} already registered (skipped)` : '';
          const invalid = report.invalid > 0 ? `, ${count(report.invalid)} invalid` : '';
          io.out(`${count(report.written)} account(s) written${skipped}${invalid}.`);
        }
        if (report.invalid > 0) io.setExitCode(1);
      },
    );
}

/** The source's passphrase: the file (less one line ending), the environment, or a prompt. */
async function sourcePassphraseFrom(file: string | undefined): Promise<string> {
  if (file !== undefined) {
    const text = readInputFile(file, 'the source passphrase file').replace(/\r?\n$/, '');
    if (text === '') throw invalidInput(`The source passphrase file ${file} is empty.`);
    return text;
  }
  const io = currentIo();
  const fromEnv = io.env['CUSTODIAN_SOURCE_PASSPHRASE'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!(io.stdin.isTTY === true && io.stderr.isTTY === true)) {
    throw invalidInput(
      'No passphrase for the file to import: give --source-passphrase-file FILE, set CUSTODIAN_SOURCE_PASSPHRASE, or run in a terminal to be asked. Nothing was written.',
    );
  }
  return readPassphrase('Passphrase of the file to import: ', 'CUSTODIAN_SOURCE_PASSPHRASE');
}

/** The defaults for entries that do not say where they go, as the request carries them. */
function defaultsFrom(o: {
  force?: Force;
  unitType?: UnitType;
  unit?: string;
}): ImportDefaultsRequest {
  const unit = o.unit?.trim();
  return {
    ...(o.force ? { force: o.force } : {}),
    ...(o.unitType ? { unitType: o.unitType } : {}),
    ...(unit ? { unit } : {}),
  };
}

/** `--group-unit GROUP=[TYPE:]UNIT` (repeatable) as the request's map, and `--units-from-groups`. */
function groupUnitsFrom(
  mappings: readonly string[] | undefined,
  unitsFromGroups: boolean | undefined,
): Pick<RequestOf<'accounts.import'>, 'groupUnits' | 'unitsFromGroups'> {
  const groupUnits: Record<string, { unit: string; unitType?: UnitType }> = {};
  for (const mapping of mappings ?? []) {
    const match = /^(.+?)=(?:([a-z]+):)?(.+)$/.exec(mapping);
    if (!match) {
      throw invalidInput(
        `--group-unit ${mapping}: write it as GROUP=UNIT or GROUP=TYPE:UNIT (TYPE one of ${UNIT_TYPES.join(', ')}).`,
      );
    }
    const unitType = match[2] === undefined ? undefined : unitTypeOf(match[2]);
    groupUnits[match[1]!.trim()] = {
      unit: match[3]!.trim(),
      ...(unitType ? { unitType } : {}),
    };
  }
  return { groupUnits, ...(unitsFromGroups ? { unitsFromGroups: true } : {}) };
}

function unitTypeOf(value: string): UnitType {
  const found = UNIT_TYPES.find((type) => type === value);
  if (!found)
    throw invalidInput(`--group-unit: the unit type must be one of ${UNIT_TYPES.join(', ')}.`);
  return found;
}

function describeRow(row: ResponseOf<'accounts.import'>['rows'][number]): string {
  switch (row.status) {
    case 'invalid':
      return row.message ?? 'invalid';
    case 'skipped':
      return `skipped (${row.message ?? 'already registered'})`;
    case 'ready':
      return row.passwordGenerated
        ? 'ready (a password will be generated: you must then set it on the platform, 9.8)'
        : 'ready';
    case 'imported':
      return row.message ? `imported; ${row.message}` : 'imported';
  }
}

/** One self-overwriting line on stderr, only when it is a terminal (a pipe gets no progress). */
function progressLine(io: Io): { show(text: string): void; clear(): void } {
  const tty = io.stderr.isTTY;
  let shown = false;
  return {
    show(text) {
      if (!tty) return;
      io.stderr.write(`\r${text}\x1b[K`);
      shown = true;
    },
    clear() {
      if (!shown) return;
      io.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
