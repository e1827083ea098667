import { useState, type SyntheticEvent } from 'react';
import type { ResponseOf } from '../../../shared/ipc/contract.ts';
import { call } from '../../api.ts';
import { Field, Outcome } from '../../components/Field.tsx';
import { useLoad } from '../../components/Load.tsx';
import { useAction } from '../../components/useAction.ts';
import { FormActions } from '../../components/FormActions.tsx';

type InForce = ResponseOf<'dashboard.get'>['quietPeriods'];

/**
 * Quiet periods (policy 6.6): during a major incident, Corporate Communications may order that
 * the force's accounts (all, or some) post nothing. The lead and the DMT declare one, with the
 * authority for it, and end it, again with the authority and a reason (both audited); every
 * account in it shows "do not post" meanwhile.
 */
export function QuietPeriods({
  inForce,
  mayDeclare,
  onChanged,
}: {
  inForce: InForce;
  mayDeclare: boolean;
  onChanged: () => void;
}) {
  const [declaring, setDeclaring] = useState(false);
  const [ending, setEnding] = useState<string | null>(null);
  const { message, error, act } = useAction(onChanged);
  return (
    <>
      {inForce.length > 0 && (
        <div className="quiet" role="note" aria-label="Quiet periods in force">
          <h2>Quiet periods in force (6.6): do not post</h2>
          <ul>
            {inForce.map((q) => (
              <li key={q.id}>
                {q.accounts}: {q.reason} (on the authority of {q.authority}, since{' '}
                {q.since.slice(0, 10)}){' '}
                {mayDeclare && ending !== q.id && (
                  <button
                    type="button"
                    onClick={() => setEnding(q.id)}
                    aria-label={`End the quiet period for ${q.accounts}`}
                  >
                    End…
                  </button>
                )}
                {ending === q.id && (
                  <EndForm
                    accounts={q.accounts}
                    onCancel={() => setEnding(null)}
                    onEnd={(authority, reason) =>
                      act(async () => {
                        await call('quiet.end', { id: q.id, authority, reason });
                        setEnding(null);
                        return 'Quiet period ended; the accounts may post again.';
                      })
                    }
                  />
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      <Outcome message={message} error={error} />
      {mayDeclare &&
        (declaring ? (
          <DeclareForm
            onDone={() => {
              setDeclaring(false);
              onChanged();
            }}
            onCancel={() => setDeclaring(false)}
          />
        ) : (
          <p>
            <button type="button" onClick={() => setDeclaring(true)}>
              Declare a quiet period…
            </button>
          </p>
        ))}
    </>
  );
}

function DeclareForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const [accounts] = useLoad(() => call('accounts.list', {}));
  const [scope, setScope] = useState<'all' | 'chosen'>('all');
  const [chosen, setChosen] = useState<string[]>([]);
  const [authority, setAuthority] = useState('');
  const [reason, setReason] = useState('');
  const { error, act } = useAction();

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void act(async () => {
      await call('quiet.declare', {
        accounts: scope === 'all' ? 'all' : chosen,
        authority,
        reason,
      });
      onDone();
    });
  };

  return (
    <form className="step-form step-form-wide" onSubmit={submit} aria-labelledby="quiet-title">
      <h2 id="quiet-title">Declare a quiet period (6.6)</h2>
      <fieldset>
        <legend>Which accounts stop posting</legend>
        <label className="check">
          <input
            type="radio"
            name="quiet-scope"
            checked={scope === 'all'}
            onChange={() => setScope('all')}
          />{' '}
          Every account
        </label>
        <label className="check">
          <input
            type="radio"
            name="quiet-scope"
            checked={scope === 'chosen'}
            onChange={() => setScope('chosen')}
          />{' '}
          Only these accounts
        </label>
        {scope === 'chosen' && accounts.state === 'ready' && (
          <>
            <label htmlFor="quiet-accounts">Accounts (hold Ctrl to choose several)</label>
            <select
              id="quiet-accounts"
              multiple
              size={Math.min(8, accounts.value.length)}
              value={chosen}
              onChange={(e) => setChosen([...e.target.selectedOptions].map((o) => o.value))}
            >
              {accounts.value.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.platform}:{a.handle}
                </option>
              ))}
            </select>
          </>
        )}
      </fieldset>
      <Field
        label="On whose authority (e.g. Gold Commander, Head of Corporate Communications)"
        value={authority}
        onChange={(e) => setAuthority(e.target.value)}
        required
        maxLength={200}
      />
      <Field
        label="Reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        required
        maxLength={500}
      />
      <Outcome message={null} error={error} />
      <FormActions submit="Declare the quiet period" onCancel={onCancel} />
    </form>
  );
}

/** 6.6: ending a quiet period, like declaring it, names the authority and gives a reason. */
function EndForm({
  accounts,
  onEnd,
  onCancel,
}: {
  accounts: string;
  onEnd: (authority: string, reason: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [authority, setAuthority] = useState('');
  const [reason, setReason] = useState('');
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void onEnd(authority, reason);
  };
  return (
    <form
      className="step-form step-form-wide"
      onSubmit={submit}
      aria-label={`End the quiet period for ${accounts}`}
    >
      <Field
        label="On whose authority it ends (e.g. the SIO)"
        value={authority}
        onChange={(e) => setAuthority(e.target.value)}
        required
        maxLength={200}
      />
      <Field
        label="Why posting may resume"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        required
        maxLength={500}
      />
      <FormActions
        submit="End the quiet period"
        disabled={!authority.trim() || !reason.trim()}
        onCancel={onCancel}
      />
    </form>
  );
}
