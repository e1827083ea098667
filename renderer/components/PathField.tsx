import { useEffect, useState } from 'react';
import type { RequestOf } from '../../shared/ipc/contract.ts';
import { call, messageOf } from '../api.ts';

type Choose = RequestOf<'files.choose'>;

/**
 * A file path: typed, or picked with the system's file chooser where the window has one
 * (Electron; the preview has none, so only the field shows). Only the chosen path crosses over.
 */
export function PathField({
  id,
  value,
  onChange,
  purpose,
  extension,
  placeholder,
  onError,
}: {
  id: string;
  value: string;
  onChange: (path: string) => void;
  purpose: Choose['purpose'];
  extension?: NonNullable<Choose['extension']>;
  placeholder: string;
  onError: (message: string) => void;
}) {
  const [canChoose, setCanChoose] = useState(false);
  useEffect(() => {
    call('vault.status', {})
      .then((status) => setCanChoose(status.canChooseFiles))
      .catch(() => setCanChoose(false));
  }, []);

  async function choose() {
    try {
      const { path } = await call('files.choose', { purpose, ...(extension ? { extension } : {}) });
      if (path !== null) onChange(path);
    } catch (e) {
      onError(messageOf(e));
    }
  }

  return (
    <div className="path-row">
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        required
      />
      {canChoose && (
        <button type="button" onClick={() => void choose()} aria-controls={id}>
          Choose…
        </button>
      )}
    </div>
  );
}
