import { useEffect, useState } from 'react';
import type { RequestOf } from '../../shared/ipc/contract.ts';
import { call, messageOf } from '../api.ts';

type Choose = RequestOf<'files.choose'>;
type Purpose = Choose['purpose'];
type Extension = NonNullable<Choose['extension']>;

/**
 * A file as the window holds it: what to show (the name picked, or the path typed) and, once
 * main has issued one, the opaque handle that create, unlock and export take. The window never
 * holds a path it picked itself: in Electron it only ever sees the name main's dialog returned.
 */
export interface FileChoice {
  readonly text: string;
  readonly handle: string | null;
}

export const NO_FILE: FileChoice = { text: '', handle: null };

/**
 * The handle for a choice: the one main issued for the dialog's pick, or, where the window has
 * no dialog (the preview), one issued for the typed path through the same `files.choose`.
 */
export async function fileHandle(
  choice: FileChoice,
  purpose: Purpose,
  extension?: Extension,
): Promise<string> {
  if (choice.handle !== null) return choice.handle;
  const { file } = await call('files.choose', {
    purpose,
    ...(extension ? { extension } : {}),
    typedPath: choice.text,
  });
  if (!file) throw new Error('Choose the file first.');
  return file.handle;
}

/**
 * The file field: in Electron a read-only name and "Choose…" (main's system dialog); in the
 * preview, where there is no dialog, a path typed in.
 */
export function FileField({
  id,
  value,
  onChange,
  purpose,
  extension,
  placeholder,
  onError,
}: {
  id: string;
  value: FileChoice;
  onChange: (choice: FileChoice) => void;
  purpose: Purpose;
  extension?: Extension;
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
      const { file } = await call('files.choose', {
        purpose,
        ...(extension ? { extension } : {}),
      });
      if (file !== null) onChange({ text: file.name, handle: file.handle });
    } catch (e) {
      onError(messageOf(e));
    }
  }

  return (
    <div className="path-row">
      <input
        id={id}
        value={value.text}
        onChange={(e) => onChange({ text: e.target.value, handle: null })}
        placeholder={canChoose ? 'No file chosen' : placeholder}
        readOnly={canChoose}
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
