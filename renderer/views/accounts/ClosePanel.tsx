import { useState, type SyntheticEvent } from 'react';
import { call, messageOf } from '../../api.ts';
import { Field, Outcome } from '../../components/Field.tsx';

/**
 * Close an account (9.11): only after consulting Corporate Communications, with the public told
 * of the alternative channel; or hand it over to someone who continues it (9.12).
 */
export function ClosePanel({
  account,
  onClosed,
}: {
  account: string;
  /** The status the account was left in, and whether it was handed over rather than closed. */
  onClosed: (status: string | null, handedOver: boolean) => void;
}) {
  const [open, setOpen] = useState(false);
  const [consultedOn, setConsultedOn] = useState('');
  const [publicNoticeOn, setPublicNoticeOn] = useState('');
  const [alternativeChannel, setAlternativeChannel] = useState('');
  const [error, setError] = useState<string | null>(null);
  /** Asked once the form is filled: a closure is not undone (9.11). */
  const [confirming, setConfirming] = useState(false);

  async function close(event: SyntheticEvent) {
    event.preventDefault();
    setError(null);
    if (!confirming) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    try {
      const { status } = await call('accounts.close', {
        account,
        consultedOn,
        ...(publicNoticeOn ? { publicNoticeOn } : {}),
        ...(alternativeChannel ? { alternativeChannel } : {}),
      });
      setOpen(false);
      onClosed(status, false);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Close this account (9.11)…
      </button>
    );
  }
  return (
    <form className="step-form" onSubmit={(e) => void close(e)} aria-label="Close the account">
      <h3>Close the account (9.11)</h3>
      <Field
        label="Corporate Communications consulted on"
        type="date"
        value={consultedOn}
        onChange={(e) => setConsultedOn(e.target.value)}
        required
      />
      <Field
        label="Public told on"
        type="date"
        value={publicNoticeOn}
        onChange={(e) => setPublicNoticeOn(e.target.value)}
      />
      <Field
        label="Where the public should go instead"
        value={alternativeChannel}
        onChange={(e) => setAlternativeChannel(e.target.value)}
        maxLength={500}
      />
      <Outcome message={null} error={error} />
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm the closure">
          <p>
            {publicNoticeOn && alternativeChannel
              ? 'Close it now? A closed account is not rotated and nobody can be given access to it; its history and password stay on record.'
              : 'Begin its closure now? It is closed once the public has been told where to go instead.'}
          </p>
          <button type="submit" className="danger" autoFocus>
            Yes, close it
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Not yet
          </button>
        </div>
      ) : (
        <>
          <button type="submit" className="danger">
            Close the account
          </button>{' '}
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </>
      )}
    </form>
  );
}
