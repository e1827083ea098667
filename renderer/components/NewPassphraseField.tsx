import { useEffect, useId, useState } from 'react';
import { call } from '../api.ts';
import { StrengthMeter } from './StrengthMeter.tsx';

/** How long typing pauses before the core is asked (zxcvbn takes a few milliseconds a call). */
const ASK_AFTER_MS = 150;

/**
 * A new passphrase with a show/hide toggle and the core's verdict as it is typed: a strength
 * meter and, until it would be accepted, what is wrong (at least 12 characters and a zxcvbn score
 * of at least 3, with the member's name as context: `generator.passphrase-check`, the rule the
 * core applies when it is set). The verdict is for the person typing; the core decides.
 */
export function NewPassphraseField({
  label,
  value,
  onChange,
  memberName,
  confirm,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Whose passphrase it is: their name is the first thing a guesser tries. */
  memberName?: string;
  /** A second field to type it again, with its own value. */
  confirm?: { label: string; value: string; onChange: (value: string) => void };
}) {
  const id = useId();
  const [shown, setShown] = useState(false);
  const [verdict, setVerdict] = useState<{ score: number; problem: string | null } | null>(null);

  useEffect(() => {
    if (value === '') {
      setVerdict(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      call('generator.passphrase-check', {
        passphrase: value,
        ...(memberName ? { name: memberName } : {}),
      })
        .then((answer) => {
          if (current) setVerdict(answer);
        })
        .catch(() => {
          if (current) setVerdict(null);
        });
    }, ASK_AFTER_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [value, memberName]);

  const type = shown ? 'text' : 'password';
  return (
    <>
      <label htmlFor={`${id}-pass`}>{label}</label>
      <div className="with-toggle">
        <input
          id={`${id}-pass`}
          type={type}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          autoComplete="new-password"
          spellCheck={false}
          aria-describedby={`${id}-verdict`}
          required
        />
        <button
          type="button"
          aria-pressed={shown}
          aria-controls={`${id}-pass`}
          onClick={() => setShown((s) => !s)}
        >
          {shown ? 'Hide' : 'Show'}
        </button>
      </div>
      <div id={`${id}-verdict`} className="strength" aria-live="polite">
        {verdict === null ? (
          <p className="hint">
            At least 12 characters, hard to guess: three or four unrelated words are easy to type.
          </p>
        ) : (
          <>
            <p>
              <StrengthMeter score={verdict.score} />
            </p>
            <p className={verdict.problem ? 'error' : 'notice'}>
              {verdict.problem ?? 'Good: this passphrase will be accepted.'}
            </p>
          </>
        )}
      </div>
      {confirm && (
        <>
          <label htmlFor={`${id}-again`}>{confirm.label}</label>
          <input
            id={`${id}-again`}
            type={type}
            value={confirm.value}
            onChange={(e) => confirm.onChange(e.target.value)}
            autoComplete="new-password"
            spellCheck={false}
            required
          />
        </>
      )}
    </>
  );
}
