import { useState } from 'react';
import { messageOf } from '../api.ts';

/** An action's run: if it resolves to a string, that is the message shown on success. */
export type Run = () => Promise<unknown>;

/**
 * The outcome of a view's last action: `act` clears the previous one, runs the action, shows its
 * message or the error's, and calls `after` (a reload) when it succeeded.
 */
export function useAction(after?: () => void) {
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function act(run: Run): Promise<void> {
    setError(null);
    setMessage(null);
    try {
      const done = await run();
      if (typeof done === 'string') setMessage(done);
      after?.();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return { message, error, act, setMessage };
}
