import type { ResponseOf } from '../../../shared/ipc/contract.ts';

export type Report = ResponseOf<'accounts.import'>;
type Row = Report['rows'][number];

/** Each entry's result: where it is in the file, the account it is, what happens, and where it goes. */
export function ImportReport({ report }: { report: Report }) {
  return (
    <table className="import-report">
      <caption className="visually-hidden">Result of each entry</caption>
      <thead>
        <tr>
          <th scope="col">Entry</th>
          <th scope="col">Account</th>
          <th scope="col">Result</th>
          <th scope="col">Registered under</th>
        </tr>
      </thead>
      <tbody>
        {report.rows.map((row) => (
          <tr key={row.line} className={row.status === 'invalid' ? 'row-error' : undefined}>
            <td>{row.where}</td>
            <td>{row.label || '—'}</td>
            <td>{describeRow(row)}</td>
            <td>{row.destination ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
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
