import { statSync } from 'node:fs';
import type { Command } from 'commander';
import {
  checkImportSize,
  IMPORT_LIMITS,
  importAccounts,
  importAccountsReport,
  OPTIONAL_COLUMNS,
  REQUIRED_COLUMNS,
  type ImportMode,
  type ImportRowResult,
} from '../../vault/domain/import.ts';
import { invalidInput } from '../../vault/errors.ts';
import { asOption, readInputFile, withSession, type Io } from '../support.ts';

const count = (n: number) => n.toLocaleString('en-GB');

const HELP = `
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
    .description('register accounts from a CSV; checks every row first')
    .argument('<vault>')
    .argument(
      '<file>',
      `CSV with columns ${REQUIRED_COLUMNS.join(',')}[,${OPTIONAL_COLUMNS.join(',')}]`,
    )
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
        },
      ) => {
        if (o.dryRun && o.writeValid)
          throw invalidInput('Give --dry-run or --write-valid, not both.');
        const mode: ImportMode = o.dryRun ? 'dry-run' : o.writeValid ? 'valid' : 'all';
        const csv = readImportFile(file);
        const options = { mode, generateMissing: o.generateMissing ?? false };
        if (o.json) {
          const report = await withSession(vault, o, (session) =>
            importAccountsReport(session, csv, options),
          );
          io.out(JSON.stringify(report, null, 2));
          if (report.invalid > 0) io.setExitCode(1);
          return;
        }
        const status = progressLine(io);
        const counts = await withSession(vault, o, (session) =>
          importAccounts(session, csv, {
            ...options,
            onRow: (row) => {
              status.clear();
              io.out(`line ${row.line}\t${row.label}\t${describeRow(row)}`);
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
        if (mode === 'all' && counts.invalid > 0) {
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

/** The file, refused before it is read if it is larger than an import takes. */
function readImportFile(file: string): string {
  let bytes: number | undefined;
  try {
    bytes = statSync(file).size;
  } catch {
    // readInputFile says it cannot be read.
  }
  if (bytes !== undefined) checkImportSize(bytes, file);
  return readInputFile(file, 'the CSV file');
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
