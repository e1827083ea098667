import { useId, useState, type SyntheticEvent } from 'react';
import { TWO_FACTOR_METHODS, type TwoFactorMethod } from '../../../shared/domain/registry.ts';
import { call, messageOf } from '../../api.ts';
import { Outcome } from '../../components/Field.tsx';
import type { accountSummarySchema } from '../../../shared/ipc/contract.ts';
import type { z } from 'zod';
import { FormActions } from '../../components/FormActions.tsx';

type Account = z.output<typeof accountSummarySchema>;

/**
 * The account's registry details the health rules read (9.8 recovery contacts, NCSC 2FA, 9.13
 * last use) and its profile URL and notes. Only what changed is sent, on the version the form was
 * opened on (ADR 0023); the core checks each field and records the change in the trail.
 */
export function DetailsForm({
  account,
  onDone,
  onCancel,
}: {
  account: Account;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [openedOn] = useState(account.version);
  const [twoFactor, setTwoFactor] = useState<TwoFactorMethod | ''>(account.twoFactor ?? '');
  const [recoveryEmail, setRecoveryEmail] = useState(account.recoveryEmail ?? '');
  const [recoveryPhone, setRecoveryPhone] = useState(account.recoveryPhone ?? '');
  const [phoneIsForce, setPhoneIsForce] = useState(account.recoveryPhoneIsForce === true);
  const [profileUrl, setProfileUrl] = useState(account.profileUrl ?? '');
  const [notes, setNotes] = useState(account.notes ?? '');
  const [lastUsed, setLastUsed] = useState(account.lastActivityOn ?? '');
  const [error, setError] = useState<string | null>(null);

  const changed = <T,>(now: T, before: T | undefined) => now !== '' && now !== before;

  async function save(event: SyntheticEvent) {
    event.preventDefault();
    setError(null);
    const details = {
      ...(twoFactor !== '' && twoFactor !== account.twoFactor ? { twoFactor } : {}),
      ...(changed(recoveryEmail.trim(), account.recoveryEmail) ? { recoveryEmail } : {}),
      ...(changed(recoveryPhone.trim(), account.recoveryPhone) ? { recoveryPhone } : {}),
      ...(phoneIsForce !== (account.recoveryPhoneIsForce === true) ||
      changed(recoveryPhone.trim(), account.recoveryPhone)
        ? { recoveryPhoneIsForce: phoneIsForce }
        : {}),
      ...(changed(profileUrl.trim(), account.profileUrl) ? { profileUrl } : {}),
      ...(changed(notes, account.notes) ? { notes } : {}),
    };
    const activity = changed(lastUsed, account.lastActivityOn);
    if (Object.keys(details).length === 0 && !activity) {
      setError('Nothing has changed; nothing was saved.');
      return;
    }
    try {
      const both = Object.keys(details).length > 0;
      if (both) {
        await call('accounts.set-details', {
          account: account.id,
          ...details,
          expectedVersion: openedOn,
        });
      }
      // 9.13: the last use, so "unused for three months" is counted from a recorded day. After
      // the details were saved on the version opened, on the version that save made.
      if (activity) {
        await call('accounts.activity', {
          account: account.id,
          on: lastUsed,
          ...(both ? {} : { expectedVersion: openedOn }),
        });
      }
      onDone(`Details of ${account.platform}:${account.handle} saved and recorded.`);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <form
      className="step-form details-form"
      onSubmit={(e) => void save(e)}
      aria-label={`Edit the details of ${account.platform}:${account.handle}`}
    >
      <label htmlFor={`${id}-2fa`}>Two-factor method (NCSC)</label>
      <select
        id={`${id}-2fa`}
        value={twoFactor}
        onChange={(e) => setTwoFactor(e.target.value as TwoFactorMethod)}
      >
        <option value="">Not recorded</option>
        {TWO_FACTOR_METHODS.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-email`}>Recovery e-mail (9.8: a force mailbox)</label>
      <input
        id={`${id}-email`}
        type="email"
        value={recoveryEmail}
        maxLength={320}
        onChange={(e) => setRecoveryEmail(e.target.value)}
      />
      <label htmlFor={`${id}-phone`}>Recovery phone</label>
      <input
        id={`${id}-phone`}
        value={recoveryPhone}
        maxLength={40}
        onChange={(e) => setRecoveryPhone(e.target.value)}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={phoneIsForce}
          onChange={(e) => setPhoneIsForce(e.target.checked)}
        />
        The recovery phone is a force-issued number (checked by the DMT, 9.8)
      </label>
      <label htmlFor={`${id}-used`}>Last used on (9.13)</label>
      <input
        id={`${id}-used`}
        type="date"
        value={lastUsed}
        onChange={(e) => setLastUsed(e.target.value)}
      />
      <label htmlFor={`${id}-url`}>Profile URL</label>
      <input
        id={`${id}-url`}
        type="url"
        value={profileUrl}
        maxLength={500}
        onChange={(e) => setProfileUrl(e.target.value)}
      />
      <label htmlFor={`${id}-notes`}>Notes</label>
      <textarea
        id={`${id}-notes`}
        rows={3}
        value={notes}
        maxLength={5000}
        onChange={(e) => setNotes(e.target.value)}
      />
      <Outcome message={null} error={error} />
      <FormActions submit="Save details" onCancel={onCancel} />
    </form>
  );
}
