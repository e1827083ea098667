import { useState } from 'react';
import { ErrorCode } from '../../shared/errors.ts';
import { ApiError, messageOf } from '../api.ts';

/**
 * Writing a file the person chose (an export, one entry's evidence): busy while it runs, its
 * message or error after, and an existing destination never replaced unasked. The core refuses
 * it as EXISTS; `existing` then holds its handle until the person answers, and only
 * `save(write, existing)` (their "Replace") writes over it.
 */
export function useFileSave() {
  const [existing, setExisting] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  /**
   * Run `write` on the file: `replacing` is the handle of the existing file the person agreed to
   * replace, or null to have `choose` give the handle of the file chosen. `write` resolves to the
   * message shown on success.
   */
  async function save(
    choose: () => Promise<string>,
    write: (file: string, replace: boolean) => Promise<string>,
    replacing: string | null = null,
  ): Promise<void> {
    setBusy(true);
    setError(null);
    setMessage(null);
    setExisting(null);
    try {
      const file = replacing ?? (await choose());
      try {
        setMessage(await write(file, replacing !== null));
      } catch (e) {
        if (e instanceof ApiError && e.code === ErrorCode.EXISTS) setExisting(file);
        else throw e;
      }
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return { existing, busy, message, error, save, setError, keep: () => setExisting(null) };
}
