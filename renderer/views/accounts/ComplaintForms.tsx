import { useState, type SyntheticEvent } from 'react';
import {
  COMPLAINT_KIND_NAMES,
  COMPLAINT_KINDS,
  type ComplaintKind,
  type ReferralBody,
} from '../../../shared/domain/policy-records.ts';
import { Field } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';

/** The forms of the complaints section (6.4): record one, refer it, and one text step. */

const today = () => new Date().toISOString().slice(0, 10);

/** The bodies as a list of choices names them. */
const BODY_CHOICES: Readonly<Record<ReferralBody, string>> = {
  'line-management': 'Line management',
  'information-security': 'Information Security',
  'professional-standards': 'Professional Standards Department',
};

export function RecordForm({
  label,
  onCancel,
  onRecord,
}: {
  label: string;
  onCancel: () => void;
  onRecord: (request: {
    kind: ComplaintKind;
    summary: string;
    receivedOn: string;
    raisedBy?: string;
  }) => Promise<void>;
}) {
  const [kind, setKind] = useState<ComplaintKind>('complaint');
  const [summary, setSummary] = useState('');
  const [receivedOn, setReceivedOn] = useState(today());
  const [raisedBy, setRaisedBy] = useState('');
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    void onRecord({ kind, summary, receivedOn, ...(raisedBy.trim() ? { raisedBy } : {}) });
  }
  return (
    <form className="step-form" onSubmit={submit} aria-label={`Record a complaint about ${label}`}>
      <label htmlFor="complaint-kind">What it is (6.4)</label>
      <select
        id="complaint-kind"
        value={kind}
        onChange={(e) => setKind(e.target.value as ComplaintKind)}
      >
        {COMPLAINT_KINDS.map((k) => (
          <option key={k} value={k}>
            {COMPLAINT_KIND_NAMES[k]}
          </option>
        ))}
      </select>
      <label htmlFor="complaint-summary">What happened (no passwords)</label>
      <textarea
        id="complaint-summary"
        value={summary}
        onChange={(e) => setSummary(e.target.value)}
        maxLength={2000}
        rows={3}
        required
      />
      <Field
        label="Received on"
        type="date"
        value={receivedOn}
        onChange={(e) => setReceivedOn(e.target.value)}
        required
      />
      <Field
        label="Raised by (optional)"
        value={raisedBy}
        onChange={(e) => setRaisedBy(e.target.value)}
        maxLength={200}
      />
      <FormActions submit="Record" onCancel={onCancel} />
    </form>
  );
}

export function ReferForm({
  bodies,
  receivedOn,
  onCancel,
  onRefer,
}: {
  bodies: readonly ReferralBody[];
  receivedOn: string;
  onCancel: () => void;
  onRefer: (referral: { to: ReferralBody; on: string; reference?: string }) => Promise<void>;
}) {
  const [to, setTo] = useState<ReferralBody>(bodies[0]!);
  const [on, setOn] = useState(today());
  const [reference, setReference] = useState('');
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    void onRefer({ to, on, ...(reference.trim() ? { reference } : {}) });
  }
  return (
    <form className="step-form" onSubmit={submit} aria-label="Refer the complaint">
      <label htmlFor="refer-to">Refer to</label>
      <select id="refer-to" value={to} onChange={(e) => setTo(e.target.value as ReferralBody)}>
        {bodies.map((b) => (
          <option key={b} value={b}>
            {BODY_CHOICES[b]}
          </option>
        ))}
      </select>
      <Field
        label="Referred on"
        type="date"
        min={receivedOn}
        value={on}
        onChange={(e) => setOn(e.target.value)}
        required
      />
      <Field
        label="Their reference (optional)"
        value={reference}
        onChange={(e) => setReference(e.target.value)}
        maxLength={100}
      />
      <FormActions submit="Refer" onCancel={onCancel} />
    </form>
  );
}

/** A text (and, for an outcome, its date) for one step. */
export function TextStepForm({
  title,
  textLabel,
  withDate = false,
  submit: submitLabel,
  onCancel,
  onSubmit,
}: {
  title: string;
  textLabel: string;
  withDate?: boolean;
  submit: string;
  onCancel: () => void;
  onSubmit: (text: string, on: string) => Promise<void>;
}) {
  const [text, setText] = useState('');
  const [on, setOn] = useState(today());
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    void onSubmit(text, on);
  }
  return (
    <form className="step-form" onSubmit={submit} aria-label={title}>
      <label htmlFor="step-text">{textLabel}</label>
      <textarea
        id="step-text"
        value={text}
        onChange={(e) => setText(e.target.value)}
        maxLength={2000}
        rows={2}
        required
      />
      {withDate && (
        <Field
          label="Outcome on"
          type="date"
          value={on}
          onChange={(e) => setOn(e.target.value)}
          required
        />
      )}
      <FormActions submit={submitLabel} onCancel={onCancel} />
    </form>
  );
}
