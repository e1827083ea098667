import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import { FormActions } from '../../components/FormActions.tsx';

/**
 * Asks why, before a copy made by a shortcut, the menu or a double-click (issue 15; 6.5: every
 * access has a reason on record). Prefilled with the reason the member last gave for this
 * account, all of it selected, so Enter copies with the same reason and typing replaces it.
 * Escape or Cancel copies nothing; focus goes back where it was.
 */
export function ReasonPrompt({
  title,
  initialReason,
  onCopy,
  onCancel,
}: {
  title: string;
  initialReason: string;
  onCopy: (reason: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [reason, setReason] = useState(initialReason);
  const input = useRef<HTMLInputElement>(null);
  const [returnTo] = useState(() => document.activeElement as HTMLElement | null);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
    return () => returnTo?.focus();
  }, [returnTo]);

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (reason.trim() !== '') onCopy(reason.trim());
  }

  return (
    <form
      className="reason-prompt"
      role="dialog"
      aria-modal="false"
      aria-labelledby={`${id}-title`}
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <h4 id={`${id}-title`}>{title}</h4>
      <label htmlFor={`${id}-reason`}>Reason (recorded in the audit trail, policy 6.5)</label>
      <input
        id={`${id}-reason`}
        ref={input}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder="e.g. posting the appeal for witnesses"
        maxLength={500}
        required
      />
      <FormActions submit="Copy" disabled={reason.trim() === ''} onCancel={onCancel} />
    </form>
  );
}
