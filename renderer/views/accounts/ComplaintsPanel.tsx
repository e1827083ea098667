import { useRef, useState } from 'react';
import {
  COMPLAINT_KIND_NAMES,
  REFERRAL_BODIES,
  REFERRAL_BODY_NAMES,
  type ReferralBody,
} from '../../../shared/domain/policy-records.ts';
import type { ResponseOf } from '../../../shared/ipc/contract.ts';
import { call } from '../../api.ts';
import { Outcome } from '../../components/Field.tsx';
import { Status, useLoad } from '../../components/Load.tsx';
import { useAction } from '../../components/useAction.ts';
import { RecordForm, ReferForm, TextStepForm } from './ComplaintForms.tsx';

type Complaint = ResponseOf<'complaints.list'>[number];

/** What the form beside a complaint is doing: referring it, recording an outcome, or closing it. */
type Step =
  | { kind: 'refer'; complaint: string }
  | { kind: 'outcome'; complaint: string; to: ReferralBody }
  | { kind: 'close'; complaint: string };

/** "Referred to line management", as the middle of a sentence says it. */
const bodyName = (body: ReferralBody) => REFERRAL_BODY_NAMES[body];

/**
 * Complaints and breaches about this account (6.4): each referred to line management in the
 * first instance and then Information Security and/or Professional Standards, with the date and
 * outcome of each; closed only once every referral has its outcome (the core refuses otherwise).
 * After each action the focus goes to this section's heading, beside what was said.
 */
export function ComplaintsPanel({
  account,
  label,
  canChange,
  onChanged,
}: {
  account: string;
  label: string;
  canChange: boolean;
  onChanged: () => void;
}) {
  const [load, reload] = useLoad(() => call('complaints.list', { account }), account);
  const heading = useRef<HTMLHeadingElement>(null);
  const { message, error, act } = useAction(() => {
    reload();
    onChanged();
  });
  const [recording, setRecording] = useState(false);
  const [step, setStep] = useState<Step | null>(null);
  const done = (text: string) => {
    heading.current?.focus();
    return text;
  };

  const complaints = load.state === 'ready' ? load.value : [];
  const open = complaints.filter((c) => c.closedOn === null);
  return (
    <div className="complaints">
      <h3 ref={heading} tabIndex={-1}>
        Complaints and breaches (6.4){open.length > 0 ? `: ${open.length} open` : ''}
      </h3>
      <Outcome message={message} error={error} />
      <Status load={load} />
      {load.state === 'ready' && complaints.length === 0 && (
        <p>
          No complaint or breach is recorded for {label}.
          {canChange
            ? ' When a serious complaint, issue, discrepancy or breach of the policy comes in, record it here: it goes to line management first, then to Information Security and/or Professional Standards as appropriate (6.4).'
            : ''}
        </p>
      )}
      <ul className="record-list">
        {complaints.map((c) => (
          <li key={c.id}>
            <ComplaintItem
              complaint={c}
              canChange={canChange && c.closedOn === null}
              step={step?.complaint === c.id ? step : null}
              onStep={setStep}
              act={(run, text) =>
                act(async () => {
                  await run(c.version);
                  setStep(null);
                  return done(text);
                })
              }
            />
          </li>
        ))}
      </ul>
      {canChange &&
        (recording ? (
          <RecordForm
            label={label}
            onCancel={() => setRecording(false)}
            onRecord={(request) =>
              act(async () => {
                await call('complaints.record', { account, ...request });
                setRecording(false);
                return done(
                  `${COMPLAINT_KIND_NAMES[request.kind]} recorded. Refer it to line management first (6.4).`,
                );
              })
            }
          />
        ) : (
          <button type="button" onClick={() => setRecording(true)}>
            Record a complaint or breach…
          </button>
        ))}
    </div>
  );
}

function ComplaintItem({
  complaint: c,
  canChange,
  step,
  onStep,
  act,
}: {
  complaint: Complaint;
  canChange: boolean;
  step: Step | null;
  onStep: (step: Step | null) => void;
  act: (run: (version: number) => Promise<unknown>, message: string) => Promise<void>;
}) {
  const referred = new Set(c.referrals.map((r) => r.to));
  // 6.4: line management in the first instance; then the others, each once.
  const nextBodies = REFERRAL_BODIES.filter(
    (b) => !referred.has(b) && (b === 'line-management' || referred.has('line-management')),
  );
  const mayClose = referred.has('line-management') && c.openReferrals === 0;
  return (
    <article aria-label={`${COMPLAINT_KIND_NAMES[c.kind]} received ${c.receivedOn}`}>
      <p>
        <strong>{COMPLAINT_KIND_NAMES[c.kind]}</strong>, received {c.receivedOn}
        {c.raisedBy ? ` from ${c.raisedBy}` : ''}:{' '}
        {c.closedOn ? (
          <span className="badge status-closed">Closed {c.closedOn}</span>
        ) : c.referrals.length === 0 ? (
          <span className="badge sev-action">Not yet referred</span>
        ) : c.openReferrals > 0 ? (
          <span className="badge sev-warning">Open referral</span>
        ) : (
          <span className="badge sev-info">Outcomes in, still open</span>
        )}
      </p>
      <p className="summary">{c.summary}</p>
      {c.referrals.length > 0 && (
        <ul className="team-list" aria-label="Referrals">
          {c.referrals.map((r) => (
            <li key={r.to}>
              Referred to {bodyName(r.to)} on {r.on}
              {r.reference ? ` (ref. ${r.reference})` : ''}:{' '}
              {r.outcome ? `${r.outcome} (${r.outcomeOn ?? ''})` : 'awaiting the outcome'}
              {canChange && !r.outcome && (
                <>
                  {' '}
                  <button
                    type="button"
                    aria-label={`Record outcome from ${bodyName(r.to)}`}
                    onClick={() => onStep({ kind: 'outcome', complaint: c.id, to: r.to })}
                  >
                    Record outcome
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {c.outcome && <p>Outcome: {c.outcome}</p>}
      {canChange && step === null && (
        <div className="actions">
          {nextBodies.length > 0 && (
            <button type="button" onClick={() => onStep({ kind: 'refer', complaint: c.id })}>
              {referred.size === 0 ? 'Refer to line management…' : 'Refer further…'}
            </button>
          )}
          {mayClose && (
            <button type="button" onClick={() => onStep({ kind: 'close', complaint: c.id })}>
              Close complaint…
            </button>
          )}
        </div>
      )}
      {step?.kind === 'refer' && (
        <ReferForm
          bodies={nextBodies}
          receivedOn={c.receivedOn}
          onCancel={() => onStep(null)}
          onRefer={(r) =>
            act(
              (version) =>
                call('complaints.refer', { complaint: c.id, expectedVersion: version, ...r }),
              `Referred to ${bodyName(r.to)} on ${r.on} (6.4).`,
            )
          }
        />
      )}
      {step?.kind === 'outcome' && (
        <TextStepForm
          title={`Outcome from ${bodyName(step.to)}`}
          textLabel="What they decided or found"
          withDate
          submit="Record outcome"
          onCancel={() => onStep(null)}
          onSubmit={(outcome, on) =>
            act(
              (version) =>
                call('complaints.outcome', {
                  complaint: c.id,
                  to: step.to,
                  outcome,
                  on,
                  expectedVersion: version,
                }),
              `Outcome from ${bodyName(step.to)} recorded.`,
            )
          }
        />
      )}
      {step?.kind === 'close' && (
        <TextStepForm
          title="Close the complaint"
          textLabel="What came of it"
          submit="Close complaint"
          onCancel={() => onStep(null)}
          onSubmit={(outcome) =>
            act(
              (version) =>
                call('complaints.close', { complaint: c.id, outcome, expectedVersion: version }),
              'Complaint closed and recorded in the trail.',
            )
          }
        />
      )}
    </article>
  );
}
