import { useId, useState, type SyntheticEvent } from 'react';
import { call, messageOf } from '../../api.ts';
import { Outcome } from '../../components/Field.tsx';
import { FileField, fileHandle, NO_FILE, type FileChoice } from '../../components/FileField.tsx';

/**
 * Back up the open vault to a new file, as `custodian backup` does: a consistent copy, checked
 * before it is named, every secret still sealed. A backup never replaces a file; the core says so
 * and nothing is written.
 */
export function BackupPanel() {
  const id = useId();
  const [out, setOut] = useState<FileChoice>(NO_FILE);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(event: SyntheticEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    setError(null);
    try {
      const file = await fileHandle(out, 'backup', 'vault');
      const { name, bytes } = await call('backup.create', { file });
      setMessage(
        `Backed up to ${name} (${bytes.toLocaleString('en-GB')} bytes, integrity checked). Every secret in it stays sealed; keep it away from this computer. To restore it, close Custodian and ask a lead to run \`custodian restore\` with a reason.`,
      );
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="panel-form wide backup-panel"
      onSubmit={(e) => void run(e)}
      aria-labelledby={`${id}-title`}
      aria-busy={busy}
    >
      <h2 id={`${id}-title`}>Back up the vault</h2>
      <p className="hint">
        A copy of the whole vault file, taken consistently while it is open. Nothing in it is
        decrypted, so no passphrase is asked.
      </p>
      <label htmlFor={`${id}-out`}>Save the backup to (a new file)</label>
      <FileField
        id={`${id}-out`}
        value={out}
        onChange={(choice) => {
          setOut(choice);
          setMessage(null);
        }}
        purpose="backup"
        extension="vault"
        placeholder="/path/to/custodian-backup-2026-12-02.vault"
        onError={setError}
      />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Backing up…' : 'Back up now'}
      </button>
      <Outcome message={message} error={error} />
    </form>
  );
}
