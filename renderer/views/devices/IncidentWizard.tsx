import { useId, useState, type SyntheticEvent } from 'react';
import { NOTIFY_PARTIES, type NotifyParty } from '../../../shared/domain/registry.ts';
import { call } from '../../api.ts';
import type { Run } from '../../components/useAction.ts';
import { localMoment } from '../../local-time.ts';
import { RotateForm } from '../accounts/RotateForm.tsx';

type Listing = Awaited<ReturnType<typeof call<'devices.list'>>>;
export type Incident = Listing['incidents'][number];

/** Policy 10.1: ICT and Information Security immediately, then Corporate Communications. */
export const PARTY_LABEL: Record<NotifyParty, string> = {
  ict: 'ICT Service Desk',
  infosec: 'Information Security',
  'corporate-comms': 'Corporate Communications',
};

/** What the wizard's actions say when one of them leaves nothing to do (10.1). */
export function resolvedNotice(incident: Pick<Incident, 'device' | 'lostOn'>): string {
  return `The incident is resolved: ${incident.device} (lost ${incident.lostOn}). ICT, Information Security and Corporate Communications are told and every exposed account is rotated or judged not exposed (10.1). The device stays recorded as lost; retire it once ICT has wiped or written it off.`;
}

/**
 * An open lost-device incident, step by step (10.1): when it was lost and reported, each party told
 * (when, and the ticket or case number they gave), each exposed account rotated or judged not
 * exposed with the reason. The core closes the incident once nothing is left; `onResolved` hears it.
 */
export function IncidentWizard({
  incident,
  canAct,
  mayJudge,
  act,
  onChanged,
}: {
  incident: Incident;
  /** May record notifications and rotate (lead, dmt; an administrator for their accounts). */
  canAct: boolean;
  /** May judge an account not exposed (lead and dmt only: the core's role list). */
  mayJudge: boolean;
  act: (run: Run) => Promise<void>;
  onChanged: () => void;
}) {
  const [rotating, setRotating] = useState<string | null>(null);
  const [judging, setJudging] = useState<string | null>(null);
  // After a step its form or button is gone: the focus goes back to the wizard's heading, from
  // where Tab reaches the next step (2.4.3), not to the page's body. A step that resolves the
  // incident removes the wizard; the view then takes the focus to its end state.
  const backToTop = () => document.getElementById(`incident-${incident.id}`)?.focus();
  const answered = incident.exposed.filter((a) => a.answered).length;
  const told = NOTIFY_PARTIES.filter((p) => incident.notified[p] !== undefined).length;
  return (
    <section className="wizard" aria-labelledby={`incident-${incident.id}`}>
      <h2 id={`incident-${incident.id}`} tabIndex={-1}>
        Lost: {incident.device} (since {incident.lostOn})
      </h2>
      <ol className="steps">
        <li className="done">
          Lost on {incident.lostOn}; reported {localMoment(incident.reportedAt)} by{' '}
          {incident.reportedBy}.
        </li>
        <li className={told === NOTIFY_PARTIES.length ? 'done' : ''}>
          Tell them (10.1): {told} of {NOTIFY_PARTIES.length}, ICT and Information Security
          immediately, then Corporate Communications.
          <ul className="incident-parties">
            {NOTIFY_PARTIES.map((party) => (
              <li key={party}>
                {incident.notified[party] !== undefined || !canAct ? (
                  <Notification incident={incident} party={party} />
                ) : (
                  <NotifyForm incident={incident} party={party} act={act} onDone={backToTop} />
                )}
              </li>
            ))}
          </ul>
        </li>
        <li className={answered === incident.exposed.length ? 'done' : ''}>
          Rotate each exposed account: {answered} of {incident.exposed.length} (or judge one not
          exposed, with the reason).
          <ul className="incident-accounts">
            {incident.exposed.map((a) => (
              <li key={a.id}>
                <Exposure account={a} />{' '}
                {!a.answered && canAct && rotating !== a.id && judging !== a.id && (
                  <span className="actions">
                    <button
                      type="button"
                      onClick={() => setRotating(a.id)}
                      aria-label={`Rotate ${a.label}`}
                    >
                      Rotate…
                    </button>
                    {mayJudge && (
                      <button
                        type="button"
                        onClick={() => setJudging(a.id)}
                        aria-label={`Not exposed: ${a.label}`}
                      >
                        Not exposed…
                      </button>
                    )}
                  </span>
                )}
                {rotating === a.id && (
                  <RotateForm
                    account={a.id}
                    defaultReason="lost-device"
                    answers={[
                      {
                        clause: '10.1',
                        evidence: `${incident.device} was lost on ${incident.lostOn}.`,
                      },
                    ]}
                    focusOnOpen
                    onCancel={() => {
                      setRotating(null);
                      backToTop();
                    }}
                    onDone={() => {
                      setRotating(null);
                      backToTop();
                      onChanged();
                    }}
                  />
                )}
                {judging === a.id && (
                  <NotExposedForm
                    incident={incident}
                    account={a}
                    act={act}
                    onDone={() => {
                      setJudging(null);
                      backToTop();
                    }}
                  />
                )}
              </li>
            ))}
          </ul>
        </li>
        <li className="waiting">
          Resolved: the incident closes itself once everyone is told and every account is answered.
        </li>
      </ol>
    </section>
  );
}

/** A resolved incident as the record keeps it: who was told when, and how each account was answered. */
export function IncidentRecord({ incident }: { incident: Incident }) {
  return (
    <>
      <p>
        Lost on {incident.lostOn}; reported {localMoment(incident.reportedAt)} by{' '}
        {incident.reportedBy}
        {incident.resolvedAt && <>; resolved {localMoment(incident.resolvedAt)}</>}.
      </p>
      <ul className="incident-parties">
        {NOTIFY_PARTIES.map((party) => (
          <li key={party}>
            <Notification incident={incident} party={party} />
          </li>
        ))}
      </ul>
      <ul className="incident-accounts">
        {incident.exposed.map((a) => (
          <li key={a.id}>
            <Exposure account={a} />
          </li>
        ))}
      </ul>
    </>
  );
}

function Notification({ incident, party }: { incident: Incident; party: NotifyParty }) {
  const at = incident.notified[party];
  const reference = incident.references[party];
  return (
    <>
      {PARTY_LABEL[party]}:{' '}
      {at === undefined ? (
        'not yet told'
      ) : (
        <>
          told <time dateTime={at}>{localMoment(at)}</time>
          {reference ? `, reference ${reference}` : ', no reference given'}
        </>
      )}
    </>
  );
}

function Exposure({ account }: { account: Incident['exposed'][number] }) {
  if (account.notExposed !== null)
    return (
      <>
        {account.label}: not exposed ({account.notExposed})
      </>
    );
  return (
    <>
      {account.label}: {account.answered ? 'rotated' : 'not yet rotated'}
    </>
  );
}

/** A datetime-local field's value (the member's own clock) as an instant with its zone, or none. */
function instantOf(local: string): string | undefined {
  if (local === '') return undefined;
  const instant = new Date(local);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

/** Record that a party was told: when (now unless said) and the reference they gave. */
function NotifyForm({
  incident,
  party,
  act,
  onDone,
}: {
  incident: Incident;
  party: NotifyParty;
  act: (run: Run) => Promise<void>;
  /** The party is recorded: this form goes with the reload. */
  onDone: () => void;
}) {
  const id = useId();
  const [at, setAt] = useState('');
  const [reference, setReference] = useState('');
  const name = PARTY_LABEL[party];
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    void act(async () => {
      const when = instantOf(at);
      const { resolved } = await call('incidents.notify', {
        incident: incident.id,
        party,
        ...(when ? { at: when } : {}),
        ...(reference.trim() ? { reference: reference.trim() } : {}),
      });
      onDone();
      return resolved ? resolvedNotice(incident) : `${name} recorded as told.`;
    });
  }
  return (
    <form className="notify-form" onSubmit={submit} aria-label={`Record that ${name} was told`}>
      <strong>{name}</strong>: not yet told.
      <span className="notify-fields">
        <span>
          <label htmlFor={`${id}-at`}>When {name} was told (empty: now)</label>
          <input
            id={`${id}-at`}
            type="datetime-local"
            value={at}
            onChange={(e) => setAt(e.target.value)}
          />
        </span>
        <span>
          <label htmlFor={`${id}-ref`}>{name} reference (ticket or case number)</label>
          <input
            id={`${id}-ref`}
            value={reference}
            maxLength={100}
            placeholder="e.g. INC0048213"
            onChange={(e) => setReference(e.target.value)}
          />
        </span>
      </span>
      <button type="submit">Record {name} told</button>
    </form>
  );
}

/** 10.1: an exposed account judged not exposed after all (e.g. logged out remotely), with why. */
function NotExposedForm({
  incident,
  account,
  act,
  onDone,
}: {
  incident: Incident;
  account: Incident['exposed'][number];
  act: (run: Run) => Promise<void>;
  onDone: () => void;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    void act(async () => {
      const { resolved } = await call('incidents.not-exposed', {
        incident: incident.id,
        account: account.id,
        reason,
      });
      onDone();
      return resolved
        ? resolvedNotice(incident)
        : `${account.label} recorded as not exposed, with the reason.`;
    });
  }
  return (
    <form className="step-form" onSubmit={submit} aria-label={`${account.label} not exposed`}>
      <label htmlFor={`${id}-why`}>Why {account.label} was not exposed (recorded)</label>
      <input
        id={`${id}-why`}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder="e.g. the app was logged out remotely before the loss"
        required
        autoFocus
        maxLength={500}
      />
      <button type="submit">Record not exposed</button>{' '}
      <button type="button" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}
