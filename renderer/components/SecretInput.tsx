import { useId, useState, type InputHTMLAttributes, type Ref } from 'react';

/**
 * A password or passphrase input with Show/Hide beside it (issue 15: a show/hide toggle on every
 * password field, as KeePassXC and Bitwarden have). Hidden by default and hidden again when the
 * field is left for good (the form goes away); the toggle says which state it is in (aria-pressed).
 */
export function SecretInput({
  id,
  ref,
  what = 'password',
  ...input
}: {
  id: string;
  ref?: Ref<HTMLInputElement>;
  /** What the field holds, for the toggle's name: "Show password", "Hide passphrase". */
  what?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'id'>) {
  const [shown, setShown] = useState(false);
  return (
    <div className="with-toggle">
      <input id={id} ref={ref} type={shown ? 'text' : 'password'} spellCheck={false} {...input} />
      <button
        type="button"
        aria-pressed={shown}
        aria-controls={id}
        aria-label={`${shown ? 'Hide' : 'Show'} ${what}`}
        onClick={() => setShown((s) => !s)}
      >
        {shown ? 'Hide' : 'Show'}
      </button>
    </div>
  );
}

/** A labelled SecretInput, as Field is a labelled input. */
export function SecretField({
  label,
  what,
  ...input
}: { label: string; what?: string } & Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'id'>) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <SecretInput id={id} {...(what ? { what } : {})} {...input} />
    </>
  );
}
