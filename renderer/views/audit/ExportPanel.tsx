import { useId, useState, type SyntheticEvent } from 'react';
import { call } from '../../api.ts';
import { Outcome } from '../../components/Field.tsx';
import { FileField, fileHandle, NO_FILE, type FileChoice } from '../../components/FileField.tsx';
import { ProgressLine, useTaskProgress } from '../../components/TaskProgress.tsx';
import { ReplaceFile } from '../../components/ReplaceFile.tsx';
import { useFileSave } from '../../components/useFileSave.ts';
import { EventKindSelect } from './LogFilters.tsx';

const FORMATS = [
  { id: 'jsonl', label: 'JSON Lines evidence bundle (checkable offline)' },
  { id: 'csv', label: 'CSV for a spreadsheet' },
  { id: 'pdf', label: 'PDF for a case file' },
] as const;

/** What to do with each kind of file next: only a JSON Lines bundle can be checked offline. */
const AFTER_EXPORT = {
  jsonl: 'Anyone can check this bundle offline with `custodian audit verify-export`.',
  csv: 'A spreadsheet cannot prove itself: keep the checkpoint root with it, and export JSON Lines too where the trail must be proved.',
  pdf: 'The cover carries the checkpoint root to compare by hand; export JSON Lines too where the trail must be proved offline.',
} as const;

/**
 * Export the trail (policy 6.4, 6.5, 6.14) for an audit, a complaint or a misconduct case. Lead
 * and security only; the export is itself recorded. No secret is ever in it.
 */
export function ExportPanel({ onExported }: { onExported: () => void }) {
  const id = useId();
  const [format, setFormat] = useState<(typeof FORMATS)[number]['id']>('jsonl');
  const [out, setOut] = useState<FileChoice>(NO_FILE);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [account, setAccount] = useState('');
  const [person, setPerson] = useState('');
  const [actor, setActor] = useState('');
  const [kind, setKind] = useState('');
  const { existing, busy, message, error, save, setError, keep } = useFileSave();
  const [progress, restartProgress] = useTaskProgress('export');

  async function run(event: SyntheticEvent) {
    event.preventDefault();
    await exportTo(null);
  }

  /** Export to the chosen file; `replacing` is the handle of the existing file the person agreed to replace. */
  async function exportTo(replacing: string | null) {
    restartProgress();
    // The CLI's filters, one for one (`--from --to --account --person --actor --kind`).
    const typed = {
      from,
      to,
      kind,
      account: account.trim(),
      person: person.trim(),
      actor: actor.trim(),
    };
    const filters = Object.fromEntries(Object.entries(typed).filter(([, value]) => value !== ''));
    await save(
      () => fileHandle(out, 'export', format),
      async (file, replace) => {
        const result = await call('audit.export', {
          format,
          file,
          ...(replace ? { replace } : {}),
          filters,
        });
        onExported();
        return (
          `Exported ${result.entries} entries to ${out.text}. Checkpoint: ${result.treeSize} entries, root ${result.root}. ` +
          AFTER_EXPORT[format]
        );
      },
      replacing,
    );
  }

  return (
    <form className="panel-form wide" onSubmit={(e) => void run(e)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Export the trail</h2>
      <label htmlFor={`${id}-format`}>Format</label>
      <select
        id={`${id}-format`}
        value={format}
        onChange={(e) => {
          setFormat(e.target.value as typeof format);
          keep();
        }}
      >
        {FORMATS.map((f) => (
          <option key={f.id} value={f.id}>
            {f.label}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-out`}>Save to (file path)</label>
      <FileField
        id={`${id}-out`}
        value={out}
        onChange={(choice) => {
          setOut(choice);
          keep();
        }}
        purpose="export"
        extension={format}
        placeholder={`/path/to/case-123.${format}`}
        onError={setError}
      />
      <div className="filter-row">
        <span>
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            type="date"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </span>
        <span>
          <label htmlFor={`${id}-to`}>To</label>
          <input id={`${id}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </span>
        <span>
          <label htmlFor={`${id}-account`}>Account (platform:handle)</label>
          <input
            id={`${id}-account`}
            value={account}
            onChange={(e) => setAccount(e.target.value)}
          />
        </span>
        <span>
          <label htmlFor={`${id}-person`}>Person named (name)</label>
          <input id={`${id}-person`} value={person} onChange={(e) => setPerson(e.target.value)} />
        </span>
        <span>
          <label htmlFor={`${id}-actor`}>Who (member name)</label>
          <input id={`${id}-actor`} value={actor} onChange={(e) => setActor(e.target.value)} />
        </span>
        <span>
          <label htmlFor={`${id}-kind`}>Event</label>
          <EventKindSelect id={`${id}-kind`} value={kind} onChange={setKind} />
        </span>
      </div>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Exporting…' : 'Export'}
      </button>
      {busy && (
        <ProgressLine label="Exporting" progress={progress}>
          Writing the export; a large trail takes a few seconds.
        </ProgressLine>
      )}
      {existing && (
        <ReplaceFile
          name={out.text}
          what="this export"
          onReplace={() => void exportTo(existing)}
          onKeep={keep}
        />
      )}
      <Outcome message={message} error={error} />
    </form>
  );
}
