import { useEffect, useRef, useState } from 'react';
import { messageOf } from '../api.ts';

export type Load<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'failed'; readonly message: string }
  | { readonly state: 'ready'; readonly value: T };

/**
 * Run a request when the view opens, again when `key` changes and again on `reload()`, tracking
 * loading and failure. A reply for a key no longer shown is dropped.
 */
export function useLoad<T>(request: () => Promise<T>, key = ''): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(request);
  latest.current = request;
  useEffect(() => {
    let current = true;
    latest
      .current()
      .then((value) => {
        if (current) setLoad({ state: 'ready', value });
      })
      .catch((error: unknown) => {
        if (current) setLoad({ state: 'failed', message: messageOf(error) });
      });
    return () => {
      current = false;
    };
  }, [key, generation]);
  return [load, () => setGeneration((g) => g + 1)];
}

export function Status({ load }: { load: Load<unknown> }) {
  if (load.state === 'loading') return <p aria-live="polite">Loading…</p>;
  if (load.state === 'failed')
    return (
      <p role="alert" className="error">
        {load.message}
      </p>
    );
  return null;
}
