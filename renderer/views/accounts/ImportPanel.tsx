import { useState } from 'react';
import { MAX_IMPORT_CSV_CHARS, type ResponseOf } from '../../../shared/ipc/contract.ts';
import { call } from '../../api.ts';
import { Outcome } from '../../components/Field.tsx';
import { useAction } from '../../components/useAction.ts';

type Report = ResponseOf<'accounts.import'>;

/**
 * Register many existing accounts from a CSV (policy 9.8). The file is checked first (a dry run
 * that shows each row's result); nothing is written until the person chooses to write every row
 * (only when all are valid) or just the valid ones.
 */
export function ImportPanel({
  onImported,
  onCancel,
}: {
  onImported: () => void;
  onCancel: () => void;
}) {
  const [csv, setCsv] = useState<string | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const { message, error, act, setMessage } = useAction();

  const check = (file: File | undefined) =>
    act(async () => {
      setReport(null);
      setCsv(null);
      if (!file) return;
      const text = await file.text();
      if (text.length > MAX_IMPORT_CSV_CHARS) {
        throw new Error(
          `${file.name} is larger than the console takes (${Math.round(MAX_IMPORT_CSV_CHARS / 1024)} KB, about 500 accounts). Split it, or use \`custodian account import\`.`,
        );
      }
      setReport(await call('accounts.import', { csv: text, mode: 'dry-run' }));
      setCsv(text);
    });

  const write = (mode: 'all' | 'valid') =>
    act(async () => {
      if (csv === null) return;
      const done = await call('accounts.import', { csv, mode });
      setReport(null);
      setCsv(null);
      setMessage(`Registered ${done.written} account${done.written === 1 ? '' : 's'}.`);
      onImported();
    });

  const invalid = report?.rows.filter((r) => r.error !== null).length ?? 0;
  const valid = (report?.rows.length ?? 0) - invalid;
  return (
    <section className="account-detail step-form-wide" aria-labelledby="import-title">
      <h2 id="import-title">Import accounts from a CSV (9.8)</h2>
      <p className="hint">
        Columns: platform, handle, force, unit_type, unit, username, and optionally password (left
        empty, a strong one is generated), profile_url, purpose, two_factor, created_on,
        last_activity_on, legacy. The file is checked first; nothing is written until you choose.
      </p>
      <label htmlFor="import-file">CSV file</label>
      <input
        id="import-file"
        type="file"
        accept=".csv,text/csv"
        onChange={(e) => void check(e.target.files?.[0])}
      />
      {report && (
        <>
          <p role="status">
            {valid} of {report.rows.length} rows can be registered
            {invalid > 0 ? `; ${invalid} cannot (see below)` : ''}.
          </p>
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
              {report.rows.map((row) => (
                <tr key={row.line} className={row.error ? 'row-error' : undefined}>
                  <td>{row.line}</td>
                  <td>{row.label}</td>
                  <td>
                    {row.error ??
                      (row.passwordGenerated ? 'ready (a password will be generated)' : 'ready')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <Outcome message={message} error={error} />
      <div className="actions">
        {report && invalid === 0 && valid > 0 && (
          <button type="button" className="primary" onClick={() => void write('all')}>
            Register all {valid}
          </button>
        )}
        {report && invalid > 0 && valid > 0 && (
          <button type="button" className="primary" onClick={() => void write('valid')}>
            Register the {valid} valid rows
          </button>
        )}
        <button type="button" onClick={onCancel}>
          {message ? 'Close' : 'Cancel'}
        </button>
      </div>
    </section>
  );
}
