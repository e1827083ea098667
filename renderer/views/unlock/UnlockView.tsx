import { useId, useState, type SyntheticEvent } from 'react';
import { ErrorCode } from '../../../shared/errors.ts';
import { ApiError, call, messageOf } from '../../api.ts';
import { FileField, fileHandle, NO_FILE, type FileChoice } from '../../components/FileField.tsx';
import { NewPassphraseField } from '../../components/NewPassphraseField.tsx';
import { SecretInput } from '../../components/SecretInput.tsx';
import { useSession } from '../../stores/session.ts';

type Mode = 'unlock' | 'create';

/** Unlock an existing vault, or create one with yourself as its lead. */
export function UnlockView() {
  const [mode, setMode] = useState<Mode>('unlock');
  const lastUnlock = useSession((s) => s.lastUnlock);
  const remember = useSession((s) => s.remember);
  const trustedOnFirstUse = useSession((s) => s.trustedOnFirstUse);
  const [file, setFile] = useState<FileChoice>(lastUnlock?.file ?? NO_FILE);
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
    setBusy(true);
    try {
      const handle = await fileHandle(file, mode === 'unlock' ? 'open-vault' : 'new-vault');
      const result =
        mode === 'unlock'
          ? await call('vault.unlock', {
              file: handle,
              memberName: name,
              passphrase,
              ...(takeOver ? { takeOverStaleLock: true } : {}),
            })
          : await call('vault.create', { file: handle, founderName: name, passphrase });
      setPassphrase('');
      setConfirm('');
      // A created vault is unlocked next time: the same file, chosen to open.
      remember(
        mode === 'unlock' ? { text: file.text, handle } : { ...file, handle: null },
        result.member.name,
      );
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
        <label htmlFor={`${id}-path`}>Vault file</label>
        <FileField
          id={`${id}-path`}
          value={file}
          onChange={setFile}
          purpose={mode === 'unlock' ? 'open-vault' : 'new-vault'}
          placeholder="/path/to/team.vault"
          onError={setError}
        />
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
