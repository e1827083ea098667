import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import {
  CHARACTER_CLASSES,
  CLASS_LABELS,
  GENERATOR_LIMITS,
  type CharacterClass,
} from '../../../shared/domain/generator-options.ts';
import { call, messageOf } from '../../api.ts';
import { Outcome } from '../../components/Field.tsx';
import { StrengthMeter } from '../../components/StrengthMeter.tsx';
import { useClipboard } from '../../stores/clipboard.ts';

/** How long a generated password stays on screen (and in this view's state) unless copied again. */
const SHOWN_SECONDS = 60;

type Kind = 'characters' | 'passphrase';

/**
 * The standalone generator (issue 15; KeePassXC's and Bitwarden's): a length and character
 * classes, or a number of EFF words and a separator. The password is made in main, from the
 * system's random source; Copy goes back through main, so the clipboard is cleared after 30 s
 * (selecting the text and pressing Ctrl+C would leave it there). Nothing here is stored: to use
 * it, set it on the platform and record it with "Rotate password…" (9.9).
 */
export function GeneratorView() {
  const id = useId();
  const [kind, setKind] = useState<Kind>('characters');
  const [length, setLength] = useState<number>(GENERATOR_LIMITS.length.default);
  const [classes, setClasses] = useState<readonly CharacterClass[]>(CHARACTER_CLASSES);
  const [words, setWords] = useState<number>(GENERATOR_LIMITS.words.default);
  const [separator, setSeparator] = useState('-');
  const [generated, setGenerated] = useState<{ password: string; score: number } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const copiedNow = useClipboard((s) => s.copiedNow);

  // The password leaves this view's state after SHOWN_SECONDS, and with the view (lock included).
  useEffect(() => {
    if (generated === null) return;
    const timer = setTimeout(() => setGenerated(null), SHOWN_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [generated]);

  async function generate(event: SyntheticEvent) {
    event.preventDefault();
    setError(null);
    setMessage(null);
    try {
      setGenerated(
        await call(
          'generator.generate',
          kind === 'characters'
            ? { kind, length, classes: [...classes] }
            : { kind, words, separator },
        ),
      );
    } catch (e) {
      setGenerated(null);
      setError(messageOf(e));
    }
  }

  async function copy() {
    if (generated === null) return;
    setError(null);
    try {
      const { clearsInSeconds } = await call('generator.copy', { password: generated.password });
      copiedNow('Generated password', clearsInSeconds);
      setMessage(
        'Now set it on the platform, then record it on the account with "Rotate password…" (9.9).',
      );
    } catch (e) {
      setError(messageOf(e));
    }
  }

  const toggle = (c: CharacterClass, on: boolean) =>
    setClasses((now) => CHARACTER_CLASSES.filter((x) => (x === c ? on : now.includes(x))));

  return (
    <section aria-labelledby="generator-title" className="generator">
      <h1 id="generator-title">Password generator</h1>
      <p>
        Made in the vault from the system&apos;s random source; nothing here is stored. To use one
        for an account, set it on the platform first, then record it on the account with
        &ldquo;Rotate password…&rdquo; so the Digital Media Team holds what the platform holds (9.8,
        9.9).
      </p>
      <form onSubmit={(e) => void generate(e)} className="step-form generator-form">
        <fieldset>
          <legend>What to generate</legend>
          <label className="check">
            <input
              type="radio"
              name={`${id}-kind`}
              checked={kind === 'characters'}
              onChange={() => setKind('characters')}
            />
            Random characters
          </label>
          <label className="check">
            <input
              type="radio"
              name={`${id}-kind`}
              checked={kind === 'passphrase'}
              onChange={() => setKind('passphrase')}
            />
            Words from the EFF list (a passphrase)
          </label>
        </fieldset>
        {kind === 'characters' ? (
          <fieldset>
            <legend>Characters</legend>
            <label htmlFor={`${id}-length`}>
              Length ({GENERATOR_LIMITS.length.min} to {GENERATOR_LIMITS.length.max})
            </label>
            <input
              id={`${id}-length`}
              type="number"
              min={GENERATOR_LIMITS.length.min}
              max={GENERATOR_LIMITS.length.max}
              value={length}
              required
              onChange={(e) => setLength(Number(e.target.value))}
            />
            {CHARACTER_CLASSES.map((c) => (
              <label key={c} className="check">
                <input
                  type="checkbox"
                  checked={classes.includes(c)}
                  onChange={(e) => toggle(c, e.target.checked)}
                />
                {CLASS_LABELS[c]}
              </label>
            ))}
          </fieldset>
        ) : (
          <fieldset>
            <legend>Words</legend>
            <label htmlFor={`${id}-words`}>
              Number of words ({GENERATOR_LIMITS.words.min} to {GENERATOR_LIMITS.words.max})
            </label>
            <input
              id={`${id}-words`}
              type="number"
              min={GENERATOR_LIMITS.words.min}
              max={GENERATOR_LIMITS.words.max}
              value={words}
              required
              onChange={(e) => setWords(Number(e.target.value))}
            />
            <label htmlFor={`${id}-separator`}>Separator between words</label>
            <input
              id={`${id}-separator`}
              value={separator}
              maxLength={3}
              onChange={(e) => setSeparator(e.target.value)}
            />
          </fieldset>
        )}
        <button type="submit" className="primary">
          Generate
        </button>
      </form>
      <Outcome message={message} error={error} />
      {generated && (
        <div className="generated" aria-label="Generated password" role="group">
          <code data-testid="generated-password">{generated.password}</code>
          <p className="strength">
            <StrengthMeter score={generated.score} />
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void copy()}>
              Copy (cleared after 30 s)
            </button>
            <button
              type="button"
              onClick={() => {
                setGenerated(null);
                setMessage(null);
              }}
            >
              Hide
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
