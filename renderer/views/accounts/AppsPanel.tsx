import { useId, useRef, useState, type SyntheticEvent } from 'react';
import {
  APP_ADDER_NAMES,
  APP_ADDERS,
  APP_REACH,
  APP_REACH_NAMES,
  type AppAdder,
  type AppReach,
} from '../../../shared/domain/policy-records.ts';
import type { ResponseOf } from '../../../shared/ipc/contract.ts';
import { call } from '../../api.ts';
import { Field, Outcome } from '../../components/Field.tsx';
import { Status, useLoad } from '../../components/Load.tsx';
import { useAction } from '../../components/useAction.ts';
import { FormActions } from '../../components/FormActions.tsx';

type App = ResponseOf<'apps.list'>[number];

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Third-party applications added to this account (6.3, 10.2): which app, who added it, when and
 * what it can reach. One Corporate Communications added says so and offers no Remove to anyone
 * but them (6.3); the core refuses it whatever the window shows. Focus goes to the heading after
 * each action, beside what was said.
 */
export function AppsPanel({
  account,
  label,
  canAdd,
  onChanged,
}: {
  account: string;
  label: string;
  canAdd: boolean;
  onChanged: () => void;
}) {
  const [load, reload] = useLoad(() => call('apps.list', { account }), account);
  const heading = useRef<HTMLHeadingElement>(null);
  const { message, error, act } = useAction(() => {
    reload();
    onChanged();
  });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const done = (text: string) => {
    heading.current?.focus();
    return text;
  };
  const apps = load.state === 'ready' ? load.value : [];
  const inUse = apps.filter((a) => a.removedOn === null);
  return (
    <div className="apps">
      <h3 ref={heading} tabIndex={-1}>
        Third-party apps ({inUse.length} in use)
      </h3>
      <Outcome message={message} error={error} />
      <Status load={load} />
      {load.state === 'ready' && apps.length === 0 && (
        <p>
          No third-party app is recorded on {label}.
          {canAdd
            ? ' When an app is added to the account (a scheduler, an analytics tool), record which, who added it and what it can reach: it is given access to the account’s information (10.2).'
            : ''}
        </p>
      )}
      <ul className="record-list">
        {apps.map((app) => (
          <li key={app.id}>
            <AppItem
              app={app}
              removing={removing === app.id}
              onRemoving={(on) => setRemoving(on ? app.id : null)}
              onRemove={(reason) =>
                act(async () => {
                  await call('apps.remove', {
                    app: app.id,
                    reason,
                    expectedVersion: app.version,
                  });
                  setRemoving(null);
                  return done(`Removal of ${app.name} recorded.`);
                })
              }
            />
          </li>
        ))}
      </ul>
      {canAdd &&
        (adding ? (
          <AddForm
            label={label}
            onCancel={() => setAdding(false)}
            onAdd={(request) =>
              act(async () => {
                await call('apps.add', { account, ...request });
                setAdding(false);
                return done(`${request.name} recorded on ${label}.`);
              })
            }
          />
        ) : (
          <button type="button" onClick={() => setAdding(true)}>
            Record a third-party app…
          </button>
        ))}
    </div>
  );
}

function AppItem({
  app,
  removing,
  onRemoving,
  onRemove,
}: {
  app: App;
  removing: boolean;
  onRemoving: (on: boolean) => void;
  onRemove: (reason: string) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const id = useId();
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    void onRemove(reason);
  }
  return (
    <article aria-label={app.name}>
      <p>
        <strong>{app.name}</strong>, added {app.addedOn} by {app.addedByName} (
        {APP_ADDER_NAMES[app.addedBy]}){app.removedOn ? `; removed ${app.removedOn}` : ''}
      </p>
      <p>Can {app.reaches.map((r) => APP_REACH_NAMES[r]).join('; ')}.</p>
      <p>
        {app.termsReadOn ? (
          `Small print read ${app.termsReadOn}.`
        ) : (
          <span className="badge sev-warning">Small print not read (10.2)</span>
        )}
      </p>
      {app.protectedByPolicy && app.removedOn === null && (
        <p className="notice-inline">
          Added by Corporate Communications: not to be deleted by others (policy 6.3).
        </p>
      )}
      {app.removedOn && app.removeReason && <p>Why removed: {app.removeReason}</p>}
      {app.canRemove &&
        (removing ? (
          <form className="step-form" onSubmit={submit} aria-label={`Remove ${app.name}`}>
            <label htmlFor={`${id}-reason`}>Why it was removed (recorded)</label>
            <input
              id={`${id}-reason`}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={500}
              required
            />
            <FormActions submit="Record removal" tone="danger" onCancel={() => onRemoving(false)} />
          </form>
        ) : (
          <button
            type="button"
            onClick={() => onRemoving(true)}
            // The visible word first, then which (WCAG 2.5.3).
            aria-label={`Remove ${app.name}`}
          >
            Remove…
          </button>
        ))}
    </article>
  );
}

function AddForm({
  label,
  onCancel,
  onAdd,
}: {
  label: string;
  onCancel: () => void;
  onAdd: (request: {
    name: string;
    addedBy: AppAdder;
    addedByName: string;
    addedOn: string;
    reaches: AppReach[];
    termsReadOn?: string;
    notes?: string;
  }) => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [addedBy, setAddedBy] = useState<AppAdder>('account-team');
  const [addedByName, setAddedByName] = useState('');
  const [addedOn, setAddedOn] = useState(today());
  const [reaches, setReaches] = useState<AppReach[]>([]);
  const [termsReadOn, setTermsReadOn] = useState('');
  const [notes, setNotes] = useState('');
  const id = useId();
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    void onAdd({
      name,
      addedBy,
      addedByName,
      addedOn,
      reaches,
      ...(termsReadOn ? { termsReadOn } : {}),
      ...(notes.trim() ? { notes } : {}),
    });
  }
  const toggle = (reach: AppReach, on: boolean) =>
    setReaches((current) => (on ? [...current, reach] : current.filter((r) => r !== reach)));
  return (
    <form
      className="step-form"
      onSubmit={submit}
      aria-label={`Record a third-party app on ${label}`}
    >
      <Field label="App" value={name} onChange={(e) => setName(e.target.value)} required />
      <label htmlFor={`${id}-by`}>Added by</label>
      <select
        id={`${id}-by`}
        value={addedBy}
        onChange={(e) => setAddedBy(e.target.value as AppAdder)}
      >
        {APP_ADDERS.map((a) => (
          <option key={a} value={a}>
            {a === 'corporate-communications'
              ? 'Corporate Communications (then not to be deleted by others, 6.3)'
              : 'The account’s team'}
          </option>
        ))}
      </select>
      <Field
        label="Person who added it"
        value={addedByName}
        onChange={(e) => setAddedByName(e.target.value)}
        required
      />
      <Field
        label="Added on"
        type="date"
        value={addedOn}
        onChange={(e) => setAddedOn(e.target.value)}
        required
      />
      <fieldset>
        <legend>What it can reach (10.2)</legend>
        {APP_REACH.map((reach) => (
          <label key={reach} className="check">
            <input
              type="checkbox"
              checked={reaches.includes(reach)}
              onChange={(e) => toggle(reach, e.target.checked)}
            />{' '}
            {APP_REACH_NAMES[reach].charAt(0).toUpperCase() + APP_REACH_NAMES[reach].slice(1)}
          </label>
        ))}
      </fieldset>
      <Field
        label="Small print read on (optional, 10.2)"
        type="date"
        value={termsReadOn}
        onChange={(e) => setTermsReadOn(e.target.value)}
      />
      <Field
        label="Notes (optional)"
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
        maxLength={2000}
      />
      <FormActions submit="Record app" onCancel={onCancel} />
    </form>
  );
}
