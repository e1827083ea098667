import { useState, type SyntheticEvent } from 'react';
import { call } from '../../api.ts';
import { useAction } from '../../components/useAction.ts';
import { Outcome } from '../../components/Field.tsx';
import { RotateForm } from './RotateForm.tsx';

interface Administrator {
  readonly id: string;
  readonly name: string;
}

/**
 * The vault members who administer this account (10.2): its key is wrapped for them. The lead and
 * the DMT name an administrator from the `admin` members (`candidates`, empty for anyone else) and
 * can end a grant; the administrator knew the password, so the account is then rotation
 * due and the rotation is offered straight away.
 */
export function AdministratorsPanel({
  account,
  label,
  administrators,
  candidates,
  canGrant,
  canEnd,
  onChanged,
}: {
  account: string;
  /** The account's name as the console shows it, for the confirmation. */
  label: string;
  administrators: readonly Administrator[];
  candidates: readonly Administrator[];
  canGrant: boolean;
  canEnd: boolean;
  onChanged: () => void;
}) {
  const { message, error, act, setMessage } = useAction(onChanged);
  const [rotateFor, setRotateFor] = useState<string | null>(null);
  const [chosen, setChosen] = useState('');

  function grant(event: SyntheticEvent) {
    event.preventDefault();
    const admin = candidates.find((c) => c.id === chosen);
    if (!admin) return;
    void act(async () => {
      await call('accounts.grant-admin', { account, member: admin.id });
      setChosen('');
      return `${admin.name} now administers ${label} and can read and rotate its login (10.2).`;
    });
  }

  const end = (admin: Administrator) =>
    act(async () => {
      await call('accounts.revoke-admin', { account, member: admin.id });
      setRotateFor(admin.name);
      return `${admin.name} no longer administers this account. They knew the password: rotate it now (10.2).`;
    });

  return (
    <div className="administrators">
      <h3>Administrators ({administrators.length})</h3>
      <Outcome message={message} error={error} />
      {rotateFor && (
        <RotateForm
          account={account}
          defaultReason="membership-change"
          answers={[
            {
              clause: '10.2',
              evidence: `${rotateFor}'s administrator grant ended; they knew the password.`,
            },
          ]}
          onDone={() => {
            setRotateFor(null);
            setMessage('Password changed and recorded.');
            onChanged();
          }}
        />
      )}
      {administrators.length === 0 ? (
        <p>No vault member administers this account; the Digital Media Team holds its login.</p>
      ) : (
        <ul className="team-list">
          {administrators.map((admin) => (
            <li key={admin.id}>
              {admin.name}{' '}
              {canEnd && (
                <button
                  type="button"
                  onClick={() => void end(admin)}
                  // The visible words first, then whose (WCAG 2.5.3).
                  aria-label={`End grant: ${admin.name}`}
                >
                  End grant
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canGrant && candidates.length > 0 && (
        <form onSubmit={grant} className="grant" aria-label="Name an administrator">
          <label htmlFor={`admin-${account}`}>Name an administrator (10.2)</label>
          <select
            id={`admin-${account}`}
            value={chosen}
            onChange={(e) => setChosen(e.target.value)}
            required
          >
            <option value="">Choose an admin member…</option>
            {candidates.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <button type="submit">Make administrator</button>
        </form>
      )}
      {canGrant && candidates.length === 0 && administrators.length === 0 && (
        <p>
          To name an administrator, the lead first adds them as a vault member with the role admin
          (Members).
        </p>
      )}
    </div>
  );
}
