import { useState } from 'react';
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
 * the DMT can end a grant; the administrator knew the password, so the account is then rotation
 * due and the rotation is offered straight away.
 */
export function AdministratorsPanel({
  account,
  administrators,
  canEnd,
  onChanged,
}: {
  account: string;
  administrators: readonly Administrator[];
  canEnd: boolean;
  onChanged: () => void;
}) {
  const { message, error, act, setMessage } = useAction(onChanged);
  const [rotateFor, setRotateFor] = useState<string | null>(null);

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
                  aria-label={`End ${admin.name}'s administrator grant`}
                >
                  End grant
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
