import { useRef, useState, type SyntheticEvent } from 'react';
import { call } from '../../api.ts';
import { useAction } from '../../components/useAction.ts';
import { Outcome } from '../../components/Field.tsx';
import { useLoad } from '../../components/Load.tsx';
import { RotateForm } from './RotateForm.tsx';

interface TeamMember {
  readonly personId: string;
  readonly name: string;
  readonly grantedOn: string;
  readonly revokedOn: string | null;
}

/**
 * Who has access to the account (10.2): give and remove access with a reason. Removing someone
 * who knew the password offers the rotation straight away.
 */
export function TeamPanel({
  account,
  team,
  canChange,
  canGive,
  onChanged,
}: {
  account: string;
  team: readonly TeamMember[];
  canChange: boolean;
  /** Whether access may be given at all (not to a closed account, 9.11). */
  canGive: boolean;
  onChanged: () => void;
}) {
  const [people] = useLoad(() => call('people.list', {}));
  const { message, error, act, setMessage } = useAction(onChanged);
  const [person, setPerson] = useState('');
  const [why, setWhy] = useState('');
  const [rotateFor, setRotateFor] = useState<string | null>(null);
  const current = team.filter((m) => m.revokedOn === null);
  const heading = useRef<HTMLHeadingElement>(null);

  function grant(event: SyntheticEvent) {
    event.preventDefault();
    void act(async () => {
      await call('team.grant', { account, person, ...(why ? { why } : {}) });
      setWhy('');
      return 'Access recorded.';
    });
  }

  const revoke = (m: TeamMember) =>
    act(async () => {
      const { rotationDue } = await call('team.revoke', {
        account,
        person: m.personId,
        ...(why ? { why } : {}),
      });
      if (rotationDue) setRotateFor(m.name);
      // The button is gone with the access: focus stays in the team, by what was said.
      heading.current?.focus();
      return rotationDue
        ? `${m.name}'s access removed. They knew the password: rotate it now (10.2).`
        : `${m.name}'s access removed.`;
    });

  return (
    <div className="team">
      <h3 ref={heading} tabIndex={-1}>
        Team ({current.length} with access)
      </h3>
      <Outcome message={message} error={error} />
      {rotateFor && (
        <RotateForm
          account={account}
          defaultReason="membership-change"
          answers={[
            { clause: '10.2', evidence: `${rotateFor} left the team and knew the password.` },
          ]}
          onDone={() => {
            setRotateFor(null);
            setMessage('Password changed and recorded.');
            onChanged();
          }}
        />
      )}
      <ul className="team-list">
        {team.map((m) => (
          <li key={`${m.personId}:${m.grantedOn}`}>
            {m.name} — since {m.grantedOn}
            {m.revokedOn ? `, removed ${m.revokedOn}` : ''}{' '}
            {canChange && m.revokedOn === null && (
              <button
                type="button"
                onClick={() => void revoke(m)}
                // The visible words first, then whose (WCAG 2.5.3: the name says what is seen).
                aria-label={`Remove access for ${m.name}`}
              >
                Remove access
              </button>
            )}
          </li>
        ))}
      </ul>
      {canChange && canGive && people.state === 'ready' && (
        <form onSubmit={grant} className="grant" aria-label="Give access">
          <label htmlFor={`grant-${account}`}>Give access to</label>
          <select
            id={`grant-${account}`}
            value={person}
            onChange={(e) => setPerson(e.target.value)}
            required
          >
            <option value="">Choose a person…</option>
            {people.value
              // Nobody retired from the register is given access (the core refuses it too).
              .filter(
                (p) =>
                  p.person.retiredOn === undefined && !current.some((m) => m.personId === p.id),
              )
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.person.name}
                </option>
              ))}
          </select>
          <label htmlFor={`why-${account}`}>Why (recorded, 10.2)</label>
          <input
            id={`why-${account}`}
            value={why}
            onChange={(e) => setWhy(e.target.value)}
            maxLength={500}
          />
          <button type="submit">Give access</button>
        </form>
      )}
    </div>
  );
}
