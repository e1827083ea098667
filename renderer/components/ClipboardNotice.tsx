import { useEffect, useState } from 'react';
import { call } from '../api.ts';
import { useClipboard } from '../stores/clipboard.ts';

/** How long the outcome ("cleared", "left alone") stays on screen. */
const OUTCOME_SECONDS = 8;

const OUTCOMES = {
  cleared: 'The clipboard has been cleared.',
  'left-alone':
    'The clipboard was left alone: something else was copied since, and Custodian does not clear what it did not put there.',
  holding: null,
  none: null,
} as const;

/**
 * The countdown to the clipboard's clearing, then what happened (issue 15): a copied secret
 * stays 30 s, and the person can see how long is left and that it went. Main does the clearing;
 * this asks it how it went once the time is up. A polite live region, so a screen reader hears
 * the copy and the outcome, not every second.
 */
export function ClipboardNotice() {
  const copied = useClipboard((s) => s.copied);
  const forget = useClipboard((s) => s.forget);
  const [now, setNow] = useState(() => Date.now());
  const [outcome, setOutcome] = useState<string | null>(null);
  // Nothing of the last copy outlives the session that made it (a lock unmounts the console).
  useEffect(() => forget, [forget]);

  useEffect(() => {
    if (!copied) return;
    setOutcome(null);
    setNow(Date.now());
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [copied]);

  const secondsLeft = copied ? Math.max(0, Math.ceil((copied.clearsAt - now) / 1000)) : 0;

  useEffect(() => {
    if (!copied || secondsLeft > 0) return;
    let current = true;
    // Main clears on its own timer: ask a moment after it is due, so the answer is settled.
    const asked = setTimeout(() => {
      void call('credentials.clipboard', {})
        .then(({ state }) => {
          if (current) setOutcome(OUTCOMES[state]);
        })
        .catch(() => undefined)
        .finally(() => {
          if (current) forget();
        });
    }, 300);
    return () => {
      current = false;
      clearTimeout(asked);
    };
  }, [copied, secondsLeft, forget]);

  useEffect(() => {
    if (!outcome) return;
    const gone = setTimeout(() => setOutcome(null), OUTCOME_SECONDS * 1000);
    return () => clearTimeout(gone);
  }, [outcome]);

  // The sentence is said once when the copy is made; the ticking count is for the eye only.
  const said = copied
    ? `${copied.what} copied. The clipboard is cleared in ${copied.seconds} seconds.`
    : outcome;
  if (!said) return null;
  return (
    <div className="clipboard-notice">
      <p role="status">{said}</p>
      {copied && (
        <span className="countdown" aria-hidden="true">
          <progress max={copied.seconds} value={secondsLeft} /> {secondsLeft} s left
        </span>
      )}
    </div>
  );
}
