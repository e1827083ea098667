import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import { call, messageOf } from '../../api.ts';
import { ConfirmAction } from '../../components/Confirm.tsx';
import { Outcome } from '../../components/Field.tsx';
import { SecretInput } from '../../components/SecretInput.tsx';

export type ExtrasKind = 'totp' | 'recovery-codes';

/**
 * Register an account's TOTP secret or its recovery codes (9.8: what is needed to recover it if it
 * is hacked). The secret goes in to main and never comes back; what was typed lives only in this
 * form's state, and is dropped on save, on Cancel and when the form goes (lock included).
 */
export function CredentialExtrasForm({
  account,
  label,
  kind,
  version,
  hasTotp,
  onDone,
  onCancel,
}: {
  account: string;
  label: string;
  kind: ExtrasKind;
  /** The account's version the form was opened on (ADR 0023). */
  version: number;
  hasTotp: boolean;
  /** Saved: what to say. */
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [openedOn] = useState(version);
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  // What is typed goes with this component's state when the form goes, whatever took it away.
  useEffect(() => field.current?.focus(), []);

  async function save(request: { totpSecret: string } | { recoveryCodes: string[] } | 'clear') {
    setError(null);
    setBusy(true);
    try {
      await call('credentials.set-extras', {
        account,
        ...(request === 'clear' ? { clearTotp: true as const } : request),
        expectedVersion: openedOn,
      });
      setText('');
      onDone(
        request === 'clear'
          ? `TOTP secret removed from ${label}; recorded in the audit trail.`
          : 'totpSecret' in request
            ? `TOTP secret saved for ${label} (9.8); "Show TOTP code" now gives the platform's codes. Recorded in the audit trail.`
            : `${request.recoveryCodes.length} recovery codes saved for ${label} (9.8), replacing any before; recorded in the audit trail.`,
      );
    } catch (e) {
      // What was typed stays, to correct; nothing was saved.
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (kind === 'totp') void save({ totpSecret: text });
    else
      void save({
        recoveryCodes: text
          .split('\n')
          .map((c) => c.trim())
          .filter(Boolean),
      });
  }

  const cancel = () => {
    setText('');
    onCancel();
  };

  return (
    <form
      className="step-form extras-form"
      onSubmit={submit}
      aria-label={
        kind === 'totp' ? `Set the TOTP secret of ${label}` : `Set recovery codes of ${label}`
      }
    >
      {kind === 'totp' ? (
        <>
          <label htmlFor={`${id}-secret`}>
            TOTP secret: the base32 text the platform showed, or an otpauth:// link as KeePassXC and
            Bitwarden export it
          </label>
          <SecretInput
            id={`${id}-secret`}
            ref={field}
            what="TOTP secret"
            value={text}
            autoComplete="off"
            maxLength={1024}
            required
            onChange={(e) => setText(e.target.value)}
          />
        </>
      ) : (
        <>
          <label htmlFor={`${id}-codes`}>
            Recovery codes, one per line (they replace the codes registered now)
          </label>
          <textarea
            id={`${id}-codes`}
            ref={field}
            rows={6}
            value={text}
            autoComplete="off"
            spellCheck={false}
            required
            onChange={(e) => setText(e.target.value)}
          />
        </>
      )}
      <Outcome message={null} error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {kind === 'totp' ? 'Save TOTP secret' : 'Save recovery codes'}
        </button>
        <button type="button" onClick={cancel}>
          Cancel
        </button>
        {kind === 'totp' && hasTotp && (
          <ConfirmAction
            label="Remove the TOTP secret…"
            ariaLabel={`Remove the TOTP secret of ${label}`}
            confirmLabel="Confirm: 2FA by code is off or moved on the platform"
            onConfirm={() => void save('clear')}
          />
        )}
      </div>
    </form>
  );
}
