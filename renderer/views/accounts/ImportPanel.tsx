import { useRef, useState } from 'react';
import { FORMAT_NAMES } from '../../../shared/domain/import-formats.ts';
import { MAX_IMPORT_FILE_BYTES } from '../../../shared/ipc/contract.ts';
import { call } from '../../api.ts';
import { Outcome } from '../../components/Field.tsx';
import { ProgressLine, useTaskProgress } from '../../components/TaskProgress.tsx';
import { useAction } from '../../components/useAction.ts';
import { ImportReport, type Report } from './ImportReport.tsx';
import { ImportSettings, type Defaults, type GroupUnits } from './ImportSettings.tsx';
import { SecretInput } from '../../components/SecretInput.tsx';

const STEPS = [
  'Choose the file',
  'Its passphrase',
  'Defaults and units',
  'Check every entry',
  'Import',
] as const;

/**
 * Move a team's logins in (policy 9.8), as a wizard: choose the file (a KeePass database, a
 * KeePassXC or Bitwarden export, or Custodian's CSV) → its passphrase, if it has one → defaults
 * and each group's unit → a dry run's table of every entry → the import, with progress. Nothing is
 * written until the person chooses; a blank password is refused unless "generate" is ticked (then
 * each must be set on its platform). The file's bytes and the source passphrase are kept in refs,
 * never in rendered state, and dropped when the import ends or the panel closes; main reads the
 * file afresh for each check, so no secret of it is ever in the renderer beyond the bytes sent.
 */
export function ImportPanel({
  onImported,
  onCancel,
}: {
  onImported: () => void;
  onCancel: () => void;
}) {
  const file = useRef<string | null>(null);
  const passphrase = useRef<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [needsPassphrase, setNeedsPassphrase] = useState(false);
  const [opened, setOpened] = useState<Pick<Report, 'format' | 'groups'> | null>(null);
  const [defaults, setDefaults] = useState<Defaults>({});
  const [groupUnits, setGroupUnits] = useState<GroupUnits>({});
  const [generateMissing, setGenerateMissing] = useState(false);
  const [report, setReport] = useState<Report | null>(null);
  const [written, setWritten] = useState<Report | null>(null);
  const [writing, setWriting] = useState(false);
  const [progress, restartProgress] = useTaskProgress('import');
  const { message, error, act, setMessage } = useAction();

  const request = (mode: 'dry-run' | 'all' | 'valid', settings = { defaults, groupUnits }) => ({
    file: file.current ?? '',
    mode,
    generateMissing,
    ...(passphrase.current !== null ? { sourcePassphrase: passphrase.current } : {}),
    ...(Object.keys(settings.defaults).length > 0 ? { defaults: settings.defaults } : {}),
    ...(Object.keys(settings.groupUnits).length > 0 ? { groupUnits: settings.groupUnits } : {}),
  });

  /** The dry run: main opens the file afresh and checks every entry, writing nothing. */
  const runCheck = async (settings = { defaults, groupUnits }, generate = generateMissing) => {
    setReport(null);
    setWritten(null);
    if (file.current === null) return;
    const dry = await call('accounts.import', {
      ...request('dry-run', settings),
      generateMissing: generate,
    });
    setNeedsPassphrase(dry.needsPassphrase);
    if (dry.needsPassphrase) return;
    setOpened({ format: dry.format, groups: dry.groups });
    setReport(dry);
  };
  const check = (settings = { defaults, groupUnits }, generate = generateMissing) =>
    act(() => runCheck(settings, generate));

  const choose = (chosen: File | undefined) =>
    act(async () => {
      file.current = null;
      passphrase.current = null;
      setFileName(null);
      setNeedsPassphrase(false);
      setOpened(null);
      setReport(null);
      setWritten(null);
      setGroupUnits({});
      if (!chosen) return;
      if (chosen.size > MAX_IMPORT_FILE_BYTES) {
        throw new Error(
          `${chosen.name} is larger than the console takes (${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MB). Use \`custodian account import\`, which takes files of up to 8 MB.`,
        );
      }
      file.current = base64(new Uint8Array(await chosen.arrayBuffer()));
      setFileName(chosen.name);
      await runCheck({ defaults, groupUnits: {} });
    });

  const unlockSource = (typed: string) =>
    act(async () => {
      passphrase.current = typed;
      try {
        await runCheck();
      } catch (failure) {
        passphrase.current = null;
        throw failure;
      }
    });

  const write = (mode: 'all' | 'valid') =>
    act(async () => {
      if (file.current === null) return;
      restartProgress();
      setWriting(true);
      try {
        const done = await call('accounts.import', request(mode));
        setReport(null);
        setWritten(done);
        setMessage(registeredMessage(done));
        file.current = null;
        passphrase.current = null;
        onImported();
      } finally {
        setWriting(false);
      }
    });

  const step = written || writing ? 4 : report ? 3 : needsPassphrase ? 1 : 0;
  const shown = written ?? (writing ? null : report);
  const ready = report?.rows.filter((r) => r.status === 'ready').length ?? 0;
  const invalid = report?.invalid ?? 0;
  return (
    <section className="account-detail step-form-wide" aria-labelledby="import-title">
      <h2 id="import-title">Import accounts (9.8)</h2>
      <ol className="wizard-steps" aria-label="Import steps">
        {STEPS.map((name, i) => (
          <li key={name} aria-current={i === step ? 'step' : undefined}>
            {name}
          </li>
        ))}
      </ol>
      <p className="hint">
        A KeePass database (KDBX 3.1 or 4), a KeePassXC CSV or XML export, a Bitwarden JSON (plain
        or password-protected) or CSV export, or Custodian&rsquo;s CSV. Each entry is placed by its
        profile URL (such as https://x.com/NAME) or a title such as x:NAME, never guessed. Nothing
        is written until you choose; accounts already registered are skipped.
      </p>
      <label htmlFor="import-file">File to import</label>
      <input
        id="import-file"
        type="file"
        accept=".kdbx,.xml,.json,.csv,application/json,text/csv,text/xml"
        disabled={writing}
        onChange={(e) => void choose(e.target.files?.[0])}
      />
      {opened && fileName && (
        <p className="hint">
          {fileName}: {FORMAT_NAMES[opened.format]}.
        </p>
      )}
      {needsPassphrase && <PassphraseStep onSubmit={(typed) => void unlockSource(typed)} />}
      {opened && !written && (
        <>
          <ImportSettings
            groups={opened.groups}
            defaults={defaults}
            groupUnits={groupUnits}
            disabled={writing}
            onDefaults={setDefaults}
            onGroupUnits={setGroupUnits}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={generateMissing}
              disabled={writing}
              onChange={(e) => {
                setGenerateMissing(e.target.checked);
                void check(undefined, e.target.checked);
              }}
            />{' '}
            Generate a password for rows without one (you must then set each on its platform, 9.8)
          </label>
          <div className="actions">
            <button type="button" disabled={writing} onClick={() => void check()}>
              Check again with these settings
            </button>
          </div>
        </>
      )}
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
      {shown && shown.rows.length > 0 && <ImportReport report={shown} />}
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
        <button
          type="button"
          onClick={() => {
            file.current = null;
            passphrase.current = null;
            onCancel();
          }}
          disabled={writing}
        >
          {message ? 'Close' : 'Cancel'}
        </button>
      </div>
    </section>
  );
}

/** The source's passphrase, typed into an uncontrolled field: it never sits in React state. */
function PassphraseStep({ onSubmit }: { onSubmit: (passphrase: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <form
      className="import-passphrase"
      onSubmit={(e) => {
        e.preventDefault();
        const typed = input.current?.value ?? '';
        if (input.current) input.current.value = '';
        if (typed !== '') onSubmit(typed);
      }}
    >
      <label htmlFor="import-passphrase">Passphrase of the file</label>
      <SecretInput
        id="import-passphrase"
        ref={input}
        what="passphrase"
        autoComplete="off"
        required
      />
      <button type="submit" className="primary">
        Open the file
      </button>
    </form>
  );
}

/** Bytes as base64, a chunk at a time (String.fromCharCode takes only so many arguments). */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(binary);
}

function registeredMessage(done: Report): string {
  const accounts = `${done.written} account${done.written === 1 ? '' : 's'}`;
  const generated = done.rows.filter((r) => r.passwordGenerated && r.status === 'imported').length;
  return generated > 0
    ? `Registered ${accounts}. ${generated} with a generated password: set each on its platform now (see below).`
    : `Registered ${accounts}.`;
}
