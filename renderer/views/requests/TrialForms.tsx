import { useState, type SyntheticEvent } from 'react';
import type { ResponseOf } from '../../../shared/ipc/contract.ts';
import { Field } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';

/** The forms of the trials section (3.4): the request, the DML's decision, the DCCs'. */

type Trial = ResponseOf<'trials.list'>[number];

const today = () => new Date().toISOString().slice(0, 10);

export function DmlForm({
  trial,
  onDecide,
}: {
  trial: Trial;
  onDecide: (decision: 'approve' | 'refuse' | 'escalate', note: string) => Promise<void>;
}) {
  const [note, setNote] = useState('');
  const decide = (decision: 'approve' | 'refuse' | 'escalate') => (event: SyntheticEvent) => {
    event.preventDefault();
    void onDecide(decision, note);
  };
  return (
    <form className="step-form" aria-label={`Decide the ${trial.platform} trial`}>
      <label htmlFor={`note-${trial.id}`}>Your reasons (recorded)</label>
      <input
        id={`note-${trial.id}`}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        maxLength={2000}
      />
      <div className="actions">
        {trial.coveredByPolicy && (
          <>
            <button type="submit" className="primary" onClick={decide('approve')}>
              Approve trial
            </button>
            <button type="submit" onClick={decide('refuse')}>
              Refuse trial
            </button>
          </>
        )}
        <button type="submit" onClick={decide('escalate')}>
          Take to the Deputy Chief Constables
        </button>
      </div>
    </form>
  );
}

export function DccForm({
  trial,
  onDecide,
}: {
  trial: Trial;
  onDecide: (r: {
    decision: 'approve' | 'refuse';
    by: string;
    on: string;
    note: string;
  }) => Promise<void>;
}) {
  const [decision, setDecision] = useState<'approve' | 'refuse'>('approve');
  const [by, setBy] = useState('');
  const [on, setOn] = useState(today());
  const [note, setNote] = useState('');
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    void onDecide({ decision, by, on, note });
  }
  return (
    <form
      className="step-form"
      onSubmit={submit}
      aria-label={`The Deputy Chief Constables' decision on ${trial.platform}`}
    >
      <label htmlFor={`dcc-${trial.id}`}>Their decision</label>
      <select
        id={`dcc-${trial.id}`}
        value={decision}
        onChange={(e) => setDecision(e.target.value as 'approve' | 'refuse')}
      >
        <option value="approve">Approved</option>
        <option value="refuse">Refused</option>
      </select>
      <Field
        label="Decided by (Deputy Chief Constable)"
        value={by}
        onChange={(e) => setBy(e.target.value)}
        required
      />
      <Field
        label="Decided on"
        type="date"
        value={on}
        onChange={(e) => setOn(e.target.value)}
        required
      />
      <Field
        label="What they said"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        required
      />
      <button type="submit" className="primary">
        Record their decision
      </button>
    </form>
  );
}

export function RequestForm({
  onCancel,
  onRequest,
}: {
  onCancel: () => void;
  onRequest: (r: {
    platform: string;
    purpose: string;
    requestedBy: string;
    department?: string;
    coveredByPolicy: boolean;
  }) => Promise<void>;
}) {
  const [platform, setPlatform] = useState('');
  const [purpose, setPurpose] = useState('');
  const [requestedBy, setRequestedBy] = useState('');
  const [department, setDepartment] = useState('');
  const [notCovered, setNotCovered] = useState(false);
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    void onRequest({
      platform,
      purpose,
      requestedBy,
      ...(department.trim() ? { department } : {}),
      coveredByPolicy: !notCovered,
    });
  }
  return (
    <form className="step-form" onSubmit={submit} aria-label="Request a trial on a new channel">
      <Field
        label="New channel (a platform the forces do not yet use)"
        value={platform}
        onChange={(e) => setPlatform(e.target.value)}
        required
      />
      <label htmlFor="trial-purpose">What the trial is for</label>
      <textarea
        id="trial-purpose"
        value={purpose}
        onChange={(e) => setPurpose(e.target.value)}
        rows={2}
        maxLength={2000}
        required
      />
      <Field
        label="Requested by"
        value={requestedBy}
        onChange={(e) => setRequestedBy(e.target.value)}
        required
      />
      <Field
        label="Department or district (optional)"
        value={department}
        onChange={(e) => setDepartment(e.target.value)}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={notCovered}
          onChange={(e) => setNotCovered(e.target.checked)}
        />{' '}
        The policy may not cover this: the Deputy Chief Constables decide (3.4)
      </label>
      <FormActions submit="Request trial" onCancel={onCancel} />
    </form>
  );
}
