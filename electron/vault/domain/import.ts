import { accountLabel } from '../../../shared/domain/accounts.ts';
import { invalidInput, toErrorInfo, VaultError } from '../errors.ts';
import type { ProgressReporter } from '../progress.ts';
import type { VaultSession } from '../session.ts';
import { createAccountInTransaction } from './account-creation.ts';
import { generatedPasswordStrength, generatePassword } from './generator.ts';
import type { PasswordScore } from './password-score.ts';
import { readCustodianCsv } from '../import/formats/custodian-csv.ts';
import type { ImportSource, SourceEntry } from '../import/source-entry.ts';
import { IMPORT_LIMITS } from './import-csv.ts';
import {
  checkRow,
  GENERATED_PASSWORD_NOTICE,
  isReady,
  type CheckedRow,
  type ImportDefaults,
  type ImportRowResult,
  type ReadyRow,
} from './import-rows.ts';
import { StrengthScorer } from './strength-scorer.ts';

export {
  IMPORT_LIMITS,
  checkImportSize,
  REQUIRED_COLUMNS,
  OPTIONAL_COLUMNS,
} from './import-csv.ts';
export type { ImportDefaults, ImportRowResult, ImportRowStatus } from './import-rows.ts';

/**
 * "dry-run" checks every row and writes nothing; "all" writes only if every row can be registered
 * (rows already registered are skipped, not errors); "valid" writes the rows that can be.
 */
export type ImportMode = 'dry-run' | 'all' | 'valid';

export interface ImportOptions {
  readonly mode?: ImportMode;
  /** Generate a password for a row that has none (9.8: then it must be set on the platform). */
  readonly generateMissing?: boolean;
  /** Force, unit type and unit for entries that do not say, and groups mapped to units. */
  readonly defaults?: ImportDefaults;
  /** Told each row's result as it is settled: in a dry run as checked, else once its batch is committed. */
  readonly onRow?: (row: ImportRowResult) => void;
  /** Awaited after each batch with the rows dealt with of all rows; may throw to stop (a lock). */
  readonly onProgress?: ProgressReporter;
  readonly batchRows?: number;
}

export interface ImportCounts {
  readonly total: number;
  readonly written: number;
  readonly skipped: number;
  readonly invalid: number;
}

/**
 * Bulk registration from CSV (9.8), in two passes over the text, each parsing as it goes.
 *
 * The check reads every row (the columns, the row limit, each row's values) and keeps only the
 * labels seen, for duplicates. Then, unless it is a dry run (or "all" found a row it cannot
 * register), the write reads the rows again a batch at a time: each batch's passwords are scored
 * on a worker while the batch before is written, then the batch is one transaction with its
 * accounts' entries and an `accounts.imported` entry of its own. Between batches the progress
 * reporter is awaited, so the console shows a bar and a lock lands there.
 *
 * If a batch cannot be written (a full disk) or the vault locks between batches, the batches
 * before it stay committed and the import stops with an error that says which lines were
 * registered and which were not (docs/adr/0012-import-in-batches.md). A re-run of the same file
 * finishes the job: the accounts already registered are skipped.
 */
export async function importAccounts(
  session: VaultSession,
  file: ImportSource | string,
  options: ImportOptions = {},
): Promise<ImportCounts> {
  // A string is Custodian's own CSV (the form every caller used before other formats were read).
  const source = typeof file === 'string' ? readCustodianCsv(file) : file;
  const mode = options.mode ?? 'all';
  const check = {
    generateMissing: options.generateMissing ?? false,
    defaults: options.defaults ?? {},
  };
  const emit = options.onRow ?? (() => undefined);

  // The check. "all" holds the results of the rows it cannot register, to report them alone.
  const counts = { total: 0, ready: 0, skipped: 0, invalid: 0 };
  const refused: ImportRowResult[] = [];
  let seen = new Map<string, number>();
  for await (const record of source.entries()) {
    // Every format has the CSV's row limit (Custodian's CSV stops at it while parsing).
    if (counts.total === IMPORT_LIMITS.rows) {
      throw invalidInput(
        `The file has more than ${IMPORT_LIMITS.rows.toLocaleString('en-GB')} entries, more than an import takes. Split it (in KeePassXC, a group at a time) and import each part; nothing was written.`,
      );
    }
    const { result } = checkRow(session, record, seen, check);
    counts.total += 1;
    if (result.status === 'ready') counts.ready += 1;
    else if (result.status === 'skipped') counts.skipped += 1;
    else counts.invalid += 1;
    if (mode === 'dry-run') emit(result);
    else if (result.status === 'invalid' && mode === 'all') refused.push(result);
  }
  const nothing = { total: counts.total, written: 0, skipped: counts.skipped };
  if (mode === 'dry-run') return { ...nothing, invalid: counts.invalid };
  if (refused.length > 0) {
    refused.forEach(emit);
    return { ...nothing, invalid: counts.invalid };
  }

  // The write, a batch a transaction.
  seen = new Map();
  const progress = { done: 0, written: 0, skipped: 0, invalid: 0, lastLine: 0 };
  const scorer = new StrengthScorer();
  try {
    let pending: PreparedBatch | undefined;
    const commit = (batch: PreparedBatch) =>
      commitBatch(session, batch, source.format, progress, counts.total, emit, options.onProgress);
    for await (const records of batchesOf(
      source.entries(),
      options.batchRows ?? IMPORT_LIMITS.batchRows,
    )) {
      const next = prepare(session, records, seen, check, scorer);
      if (pending) await commit(pending);
      pending = next;
    }
    if (pending) await commit(pending);
  } catch (error) {
    throw stoppedAt(error, progress, source.format === 'custodian-csv');
  } finally {
    await scorer.close();
  }
  return {
    total: counts.total,
    written: progress.written,
    skipped: progress.skipped,
    invalid: progress.invalid,
  };
}

/** The same import with every row's result collected: for files the size the console sends. */
export async function importAccountsReport(
  session: VaultSession,
  file: ImportSource | string,
  options: Omit<ImportOptions, 'onRow'> = {},
): Promise<ImportCounts & { rows: ImportRowResult[] }> {
  const rows: ImportRowResult[] = [];
  const counts = await importAccounts(session, file, {
    ...options,
    onRow: (row) => rows.push(row),
  });
  return { ...counts, rows };
}

interface PreparedBatch {
  readonly rows: CheckedRow[];
  readonly ready: (ReadyRow & { password: string })[];
  /** Scored on the worker while the batch before is written; a generated one from its entropy. */
  readonly strengths: Promise<PasswordScore[]>;
}

function prepare(
  session: VaultSession,
  records: readonly SourceEntry[],
  seen: Map<string, number>,
  check: { generateMissing: boolean; defaults: ImportDefaults },
  scorer: StrengthScorer,
): PreparedBatch {
  const rows = records.map((record) => checkRow(session, record, seen, check));
  const ready = rows.filter(isReady).map((row) => ({
    ...row,
    password: row.password ?? generatePassword(),
    generated: row.password === undefined,
  }));
  const typed = ready.filter((row) => !row.generated);
  const generated = { score: generatedPasswordStrength().score };
  const strengths = scorer
    .score(
      typed.map((row) => ({
        password: row.password,
        context: [row.account.handle, row.account.unitName],
      })),
    )
    .then((scores) => {
      const byRow = new Map(typed.map((row, i) => [row, scores[i]!]));
      return ready.map((row) =>
        row.generated
          ? generated
          : { score: byRow.get(row)!, against: [row.account.handle, row.account.unitName] },
      );
    });
  // As the scorer's own promise: a batch the import never reaches must not end the process.
  strengths.catch(() => undefined);
  return { rows, ready, strengths };
}

async function commitBatch(
  session: VaultSession,
  batch: PreparedBatch,
  format: ImportSource['format'],
  progress: { done: number; written: number; skipped: number; invalid: number; lastLine: number },
  total: number,
  emit: (row: ImportRowResult) => void,
  onProgress: ProgressReporter | undefined,
): Promise<void> {
  const strengths = await batch.strengths;
  const first = batch.rows[0]!.result.line;
  const last = batch.rows.at(-1)!.result.line;
  const skipped = batch.rows.filter((row) => row.result.status === 'skipped').length;
  const invalid = batch.rows.length - batch.ready.length - skipped;
  if (batch.ready.length > 0) {
    session.write((context) => {
      batch.ready.forEach((row, i) =>
        createAccountInTransaction(
          session,
          context,
          { ...row.account, password: row.password },
          row.details,
          strengths[i],
          row.credential,
        ),
      );
      // Counts and labels only: nothing of the source's secrets is in the trail.
      context.audit({
        kind: 'accounts.imported',
        details: {
          format,
          lines: `${first}-${last}`,
          written: batch.ready.length,
          skipped,
          invalid,
          generatedPasswords: batch.ready
            .filter((row) => row.result.passwordGenerated)
            .map((row) => accountLabel(row.account)),
        },
      });
    });
  }
  progress.done += batch.rows.length;
  progress.written += batch.ready.length;
  progress.skipped += skipped;
  progress.invalid += invalid;
  progress.lastLine = last;
  for (const row of batch.rows) {
    emit(
      isReady(row)
        ? {
            ...row.result,
            status: 'imported',
            message: row.result.passwordGenerated ? GENERATED_PASSWORD_NOTICE : null,
          }
        : row.result,
    );
  }
  await onProgress?.(progress.done, total);
}

async function* batchesOf<T>(
  items: AsyncIterable<T> | Iterable<T>,
  size: number,
): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * The error that stopped a write, saying what the batches before it left in the registry. With
 * nothing committed yet it is the error as it was ("nothing was saved" is then the whole truth).
 */
function stoppedAt(
  error: unknown,
  progress: { done: number; written: number; lastLine: number },
  csvLines: boolean,
) {
  if (progress.done === 0) return error;
  const info = toErrorInfo(error);
  const accounts = `${progress.written} account${progress.written === 1 ? '' : 's'}`;
  const [some, one, first] = csvLines ? ['lines', 'line', 2] : ['entries', 'entry', 1];
  return new VaultError(
    info.code,
    `${info.message} Before that, ${accounts} on ${some} ${first} to ${progress.lastLine} were registered; nothing from ${one} ${progress.lastLine + 1} on was. Run the same import again to finish: the accounts already registered are skipped.`,
    { cause: error },
  );
}
