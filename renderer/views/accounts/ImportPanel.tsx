import { useState } from 'react';
import { MAX_IMPORT_CSV_CHARS, type ResponseOf } from '../../../shared/ipc/contract.ts';
import { call } from '../../api.ts';
import { Outcome } from '../../components/Field.tsx';
import { ProgressLine, useTaskProgress } from '../../components/TaskProgress.tsx';
import { useAction } from '../../components/useAction.ts';

type Report = ResponseOf<'accounts.import'>;
type Row = Report['rows'][number];

/**
 * Register many existing accounts from a CSV (policy 9.8). The file is checked first (a dry run
 * that shows each row's result); nothing is written until the person chooses to write every row
 * (only when all can be) or just the valid ones. A row without a password is refused unless the
 * person ticks "generate": the registry must hold the platform's real password, so each generated
 * one must then be set on the platform, and the result says so row by row. The write runs in
 * batches with a progress bar (main's 'import' progress); rows already registered are skipped.
 */
export function ImportPanel({
  onImported,
  onCancel,
}: {
  onImported: () => void;
  onCancel: () => void;
}) {
  const [csv, setCsv] = useState<string | null>(null);
  const [generateMissing, setGenerateMissing] = useState(false);
  const [report, setReport] = useState<Report | null>(null);
  const [written, setWritten] = useState<Report | null>(null);
  const [writing, setWriting] = useState(false);
  const [progress, restartProgress] = useTaskProgress('import');
  const { message, error, act, setMessage } = useAction();

  const check = (text: string | null, generate: boolean) =>
    act(async () => {
      setReport(null);
      setWritten(null);
      if (text === null) return;
      setReport(
        await call('accounts.import', { csv: text, mode: 'dry-run', generateMissing: generate }),
      );
    });

  const choose = (file: File | undefined) =>
    act(async () => {
      setReport(null);
      setWritten(null);
      setCsv(null);
      if (!file) return;
      const text = await file.text();
      if (text.length > MAX_IMPORT_CSV_CHARS) {
        throw new Error(
          `${file.name} is larger than the console takes (${Math.round(MAX_IMPORT_CSV_CHARS / 1024)} KB, about 500 accounts). Split it, or use \`custodian account import\`.`,
        );
      }
      setCsv(text);
      await check(text, generateMissing);
    });

  const write = (mode: 'all' | 'valid') =>
    act(async () => {
      if (csv === null) return;
      restartProgress();
      setWriting(true);
      try {
        const done = await call('accounts.import', { csv, mode, generateMissing });
        setReport(null);
        setCsv(null);
        setWritten(done);
        setMessage(registeredMessage(done));
        onImported();
      } finally {
        setWriting(false);
      }
    });

  // While the write runs, the bar stands in for the checked rows; after it, the rows as written.
  const shown = written ?? (writing ? null : report);
  const ready = report?.rows.filter((r) => r.status === 'ready').length ?? 0;
  const invalid = report?.invalid ?? 0;
  return (
    <section className="account-detail step-form-wide" aria-labelledby="import-title">
      <h2 id="import-title">Import accounts from a CSV (9.8)</h2>
      <p className="hint">
        Columns: platform, handle, force, unit_type, unit, username, password, and optionally
        profile_url, purpose, two_factor, created_on, last_activity_on, legacy. The file is checked
        first; nothing is written until you choose. Accounts already registered are skipped.
      </p>
      <label htmlFor="import-file">CSV file</label>
      <input
        id="import-file"
        type="file"
        accept=".csv,text/csv"
        disabled={writing}
        onChange={(e) => void choose(e.target.files?.[0])}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={generateMissing}
          disabled={writing}
          onChange={(e) => {
            setGenerateMissing(e.target.checked);
            void check(csv, e.target.checked);
          }}
        />{' '}
        Generate a password for rows without one (you must then set each on its platform, 9.8)
      </label>
      {report && !writing && (
        <p role="status">
          {ready} of {report.total} rows can be registered
          {report.skipped > 0 ? `; ${report.skipped} already registered (skipped)` : ''}
          {invalid > 0 ? `; ${invalid} cannot (see below)` : ''}.
        </p>
      )}
      {writing && (
        <ProgressLine label="Import progress" progress={progress} unit="rows">
          Registering the accounts, a batch at a time.
        </ProgressLine>
      )}
      {shown && shown.rows.length > 0 && (
        <table className="import-report">
          <caption className="visually-hidden">Result of each row</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Account</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {shown.rows.map((row) => (
              <tr key={row.line} className={row.status === 'invalid' ? 'row-error' : undefined}>
                <td>{row.line}</td>
                <td>{row.label}</td>
                <td>{describeRow(row)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Outcome message={message} error={error} />
      <div className="actions">
        {report && !writing && invalid === 0 && ready > 0 && (
          <button type="button" className="primary" onClick={() => void write('all')}>
            Register all {ready}
          </button>
        )}
        {report && !writing && invalid > 0 && ready > 0 && (
          <button type="button" className="primary" onClick={() => void write('valid')}>
            Register the {ready} valid rows
          </button>
        )}
        <button type="button" onClick={onCancel} disabled={writing}>
          {message ? 'Close' : 'Cancel'}
        </button>
      </div>
    </section>
  );
}

function describeRow(row: Row): string {
  switch (row.status) {
    case 'invalid':
      return row.message ?? 'cannot be registered';
    case 'skipped':
      return `skipped: ${row.message ?? 'already registered'}`;
    case 'ready':
      return row.passwordGenerated
        ? 'ready (a password will be generated: set it on the platform afterwards)'
        : 'ready';
    case 'imported':
      return row.message ? `registered; ${row.message}` : 'registered';
  }
}

function registeredMessage(done: Report): string {
  const accounts = `${done.written} account${done.written === 1 ? '' : 's'}`;
  const generated = done.rows.filter((r) => r.passwordGenerated && r.status === 'imported').length;
  return generated > 0
    ? `Registered ${accounts}. ${generated} with a generated password: set each on its platform now (see below).`
    : `Registered ${accounts}.`;
}
