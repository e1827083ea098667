import { useId, useState, type SyntheticEvent } from 'react';
import { ErrorCode } from '../../../shared/errors.ts';
import { ApiError, call, messageOf } from '../../api.ts';
import { FileField, fileHandle, NO_FILE, type FileChoice } from '../../components/FileField.tsx';
import { NewPassphraseField } from '../../components/NewPassphraseField.tsx';
import { SecretInput } from '../../components/SecretInput.tsx';
import { useSession } from '../../stores/session.ts';
import { ServerUrlField, serverUrlProblem } from './ServerUrlField.tsx';
import { redactServerUrl } from '../../../shared/vault-location.ts';

type Mode = 'unlock' | 'create';
/** Where the vault is: a file on this workstation, or a team server (issue 14). */
type Where = 'file' | 'server';

/** Unlock an existing vault, or create one with yourself as its lead. */
export function UnlockView() {
  const [mode, setMode] = useState<Mode>('unlock');
  const lastUnlock = useSession((s) => s.lastUnlock);
  const remember = useSession((s) => s.remember);
  const trustedOnFirstUse = useSession((s) => s.trustedOnFirstUse);
  const [file, setFile] = useState<FileChoice>(lastUnlock?.file ?? NO_FILE);
  const [where, setWhere] = useState<Where>(lastUnlock?.server ? 'server' : 'file');
  // Never with a password: the field refuses one, and what is remembered is redacted anyway.
  const [server, setServer] = useState(lastUnlock?.server ?? '');
  const [name, setName] = useState(lastUnlock?.name ?? '');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /**
   * After an "in use" refusal: offer to take over a lock another workstation left (issue 14,
   * ADR 0025). The core decides: a lead only, and only a lock silent past the timeout.
   */
  const [inUse, setInUse] = useState(false);
  const [takeOver, setTakeOver] = useState(false);
  const unlocked = useSession((s) => s.unlocked);
  const lockedBecause = useSession((s) => s.lockedBecause);
  const id = useId();

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    setError(null);
    if (mode === 'create' && passphrase !== confirm) {
      setError('The two passphrases differ. Type the same passphrase twice.');
      return;
    }
    if (where === 'server') {
      const problem = serverUrlProblem(server);
      if (problem) {
        // Refused here, before it crosses to main: a typed password goes nowhere, and leaves
        // the field at once (replaced by ***), so it is not left on screen either.
        setServer(redactServerUrl(server));
        setError(problem);
        return;
      }
    }
    setBusy(true);
    try {
      const handle =
        where === 'file'
          ? await fileHandle(file, mode === 'unlock' ? 'open-vault' : 'new-vault')
          : null;
      const location = handle === null ? { server: server.trim() } : { file: handle };
      const result =
        mode === 'unlock'
          ? await call('vault.unlock', {
              ...location,
              memberName: name,
              passphrase,
              ...(takeOver ? { takeOverStaleLock: true } : {}),
            })
          : await call('vault.create', { ...location, founderName: name, passphrase });
      setPassphrase('');
      setConfirm('');
      // A created vault is unlocked next time: the same file, chosen to open, or the same server.
      if (handle === null) {
        remember(NO_FILE, result.member.name, redactServerUrl(server.trim()));
      } else {
        remember(
          mode === 'unlock' ? { text: file.text, handle } : { ...file, handle: null },
          result.member.name,
        );
      }
      unlocked(result.member);
      trustedOnFirstUse('trustedOnFirstUse' in result && result.trustedOnFirstUse);
    } catch (e) {
      setPassphrase('');
      setConfirm('');
      setError(messageOf(e));
      if (e instanceof ApiError && e.code === ErrorCode.IN_USE && mode === 'unlock') setInUse(true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="unlock">
      <h1>Custodian</h1>
      <p className="tagline">Norfolk and Suffolk Constabularies — social media account vault</p>
      <div role="tablist" aria-label="Open or create a vault" className="tabs">
        {(['unlock', 'create'] as const).map((m) => (
          <button
            key={m}
            role="tab"
            type="button"
            aria-selected={mode === m}
            className={mode === m ? 'tab active' : 'tab'}
            onClick={() => {
              setMode(m);
              setError(null);
              // A handle is for one purpose: a file chosen to open is not the new vault's name.
              if (m !== mode) setFile((f) => (f.handle === null ? f : NO_FILE));
            }}
          >
            {m === 'unlock' ? 'Unlock a vault' : 'Create a vault'}
          </button>
        ))}
      </div>
      <form onSubmit={(e) => void submit(e)} aria-describedby={error ? `${id}-error` : undefined}>
        {lockedBecause && !error && <p className="notice">{lockedBecause}</p>}
        <div role="tablist" aria-label="Where the vault is" className="tabs where-tabs">
          {(['file', 'server'] as const).map((w) => (
            <button
              key={w}
              role="tab"
              type="button"
              aria-selected={where === w}
              className={where === w ? 'tab active' : 'tab'}
              onClick={() => {
                setWhere(w);
                setError(null);
                setInUse(false);
              }}
            >
              {w === 'file' ? 'Vault file' : 'Team server'}
            </button>
          ))}
        </div>
        {/* Not a labelled tabpanel: its label would name it "Vault file" beside the field. */}
        <div className="where-panel">
          {where === 'file' ? (
            <>
              <label htmlFor={`${id}-path`}>Vault file</label>
              <FileField
                id={`${id}-path`}
                value={file}
                onChange={setFile}
                purpose={mode === 'unlock' ? 'open-vault' : 'new-vault'}
                placeholder="/path/to/team.vault"
                onError={setError}
              />
            </>
          ) : (
            <ServerUrlField
              id={`${id}-server`}
              value={server}
              onChange={(value) => {
                setServer(value);
                setError(null);
              }}
              creating={mode === 'create'}
            />
          )}
        </div>
        <label htmlFor={`${id}-name`}>
          {mode === 'unlock' ? 'Your member name' : 'Your name (you will be the lead)'}
        </label>
        <input
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="username"
          required
        />
        {mode === 'unlock' ? (
          <>
            <label htmlFor={`${id}-pass`}>Passphrase</label>
            <SecretInput
              id={`${id}-pass`}
              what="passphrase"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
              autoComplete="current-password"
              // After a lock the file and name are remembered: the passphrase is what is left.
              autoFocus={lastUnlock !== null}
              required
            />
          </>
        ) : (
          <NewPassphraseField
            label="Passphrase"
            value={passphrase}
            onChange={(value) => {
              // The refusal was of the passphrase before: the verdict below is of this one.
              setPassphrase(value);
              setError(null);
            }}
            memberName={name}
            confirm={{ label: 'Passphrase again', value: confirm, onChange: setConfirm }}
          />
        )}
        {error && (
          <p id={`${id}-error`} role="alert" className="error">
            {error}
          </p>
        )}
        {inUse && mode === 'unlock' && (
          <label className="check">
            <input
              type="checkbox"
              checked={takeOver}
              onChange={(e) => setTakeOver(e.target.checked)}
            />{' '}
            Take over its lock: only if that workstation is not using the vault (a lead only;
            recorded in the audit trail)
          </label>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy
            ? mode === 'unlock'
              ? 'Unlocking…'
              : 'Creating…'
            : mode === 'unlock'
              ? 'Unlock'
              : 'Create vault'}
        </button>
      </form>
    </main>
  );
}
