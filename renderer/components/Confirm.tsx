import { useState } from 'react';

/**
 * A destructive action in two clicks: the first shows "Confirm …" and Cancel, the second does it.
 * Used where a step cannot be undone (removing a member, reporting a device lost).
 */
export function ConfirmAction({
  label,
  ariaLabel,
  confirmLabel,
  onConfirm,
}: {
  label: string;
  ariaLabel: string;
  confirmLabel: string;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" onClick={() => setAsking(true)} aria-label={ariaLabel}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <button
        type="button"
        className="danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
