import { readFileSync, statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { FORCES, UNIT_TYPES, type Force, type UnitType } from '../../../shared/domain/accounts.ts';
import {
  checkImportSize,
  IMPORT_LIMITS,
  importAccounts,
  importAccountsReport,
  OPTIONAL_COLUMNS,
  REQUIRED_COLUMNS,
  type ImportDefaults,
  type ImportMode,
  type ImportRowResult,
} from '../../vault/domain/import.ts';
import { invalidInput } from '../../vault/errors.ts';
import { openImportSource } from '../../vault/import/open-source.ts';
import {
  FORMAT_NAMES,
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportSource,
} from '../../vault/import/source-entry.ts';
import { readPassphrase } from '../prompt.ts';
import { currentIo } from '../io.ts';
import { asOption, readInputFile, withSession, type Io } from '../support.ts';

const count = (n: number) => n.toLocaleString('en-GB');

const HELP = `
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
    .addHelpText('after', HELP)
    .action(
      async (
        vault: string,
        file: string,
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
        const defaults = defaultsFrom(o);
        // The source is opened (and decrypted) before the vault, so a wrong source passphrase
        // costs no unlock, and nothing of it is written anywhere: it is held in memory alone.
        const source = await openImportFile(file, o);
        const options = { mode, generateMissing: o.generateMissing ?? false, defaults };
        const placed = source.format !== 'custodian-csv';
        if (o.json) {
          const report = await withSession(vault, o, (session) =>
            importAccountsReport(session, source, options),
          );
          io.out(JSON.stringify(report, null, 2));
          if (report.invalid > 0) io.setExitCode(1);
          return;
        }
        const status = progressLine(io);
        const counts = await withSession(vault, o, (session) =>
          importAccounts(session, source, {
            ...options,
            onRow: (row) => {
              status.clear();
              const where = placed && row.destination ? `\t${row.destination}` : '';
              io.out(`${row.where}\t${row.label || '-'}\t${describeRow(row)}${where}`);
            },
            onProgress: async (done, total) => {
              status.show(
                `importing: ${count(done)} of ${count(total)} rows (${Math.floor((100 * done) / total)}%)`,
              );
              // Between batches, other members' commands get the vault (issue 11).
              if (done < total) await session.letOthersWrite();
            },
          }),
        ).finally(() => status.clear());
        if (mode === 'dry-run') {
          const ready = counts.total - counts.skipped - counts.invalid;
          io.out(
            `Dry run, nothing written: ${count(ready)} of ${count(counts.total)} entries would be registered, ${count(counts.skipped)} already registered (skipped), ${count(counts.invalid)} refused (above).`,
          );
        } else if (mode === 'all' && counts.invalid > 0) {
          io.out(
            `Nothing was written: ${count(counts.invalid)} of ${count(counts.total)} rows cannot be registered (above). Fix them, or pass --write-valid to write the others.`,
          );
        } else {
          const skipped =
            counts.skipped > 0 ? `, ${count(counts.skipped)} already registered (skipped)` : '';
          const invalid = counts.invalid > 0 ? `, ${count(counts.invalid)} invalid` : '';
          io.out(`${count(counts.written)} account(s) written${skipped}${invalid}.`);
        }
        if (counts.invalid > 0) io.setExitCode(1);
      },
    );
}

/** The file, refused before it is read if it is larger than an import takes, opened in its format. */
async function openImportFile(
  file: string,
  o: { format?: ImportFormat; sourcePassphraseFile?: string },
): Promise<ImportSource> {
  let size: number | undefined;
  try {
    size = statSync(file).size;
  } catch {
    throw invalidInput(`Cannot read the import file ${file}: check the path.`);
  }
  checkImportSize(size, file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw invalidInput(`Cannot read the import file ${file}: check the path.`);
  }
  return openImportSource(bytes, {
    name: `The import file ${file}`,
    ...(o.format ? { format: o.format } : {}),
    passphrase: () => sourcePassphrase(o.sourcePassphraseFile),
  });
}

/** The source's passphrase: the file (less one line ending), the environment, or a prompt. */
async function sourcePassphrase(file: string | undefined): Promise<string> {
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

function defaultsFrom(o: {
  force?: Force;
  unitType?: UnitType;
  unit?: string;
  groupUnit?: string[];
  unitsFromGroups?: boolean;
}): ImportDefaults {
  const groupUnits: Record<string, { unit: string; unitType?: UnitType }> = {};
  for (const mapping of o.groupUnit ?? []) {
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
  const unit = o.unit?.trim();
  return {
    ...(o.force ? { force: o.force } : {}),
    ...(o.unitType ? { unitType: o.unitType } : {}),
    ...(unit ? { unit } : {}),
    groupUnits,
    unitsFromGroups: o.unitsFromGroups ?? false,
  };
}

function unitTypeOf(value: string): UnitType {
  const found = UNIT_TYPES.find((type) => type === value);
  if (!found)
    throw invalidInput(`--group-unit: the unit type must be one of ${UNIT_TYPES.join(', ')}.`);
  return found;
}

function describeRow(row: ImportRowResult): string {
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
