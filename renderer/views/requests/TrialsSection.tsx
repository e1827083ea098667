import { useRef, useState } from 'react';
import type { ResponseOf } from '../../../shared/ipc/contract.ts';
import { roleMayCall } from '../../../shared/ipc/contract.ts';
import { call } from '../../api.ts';
import { Outcome } from '../../components/Field.tsx';
import { Status, useLoad } from '../../components/Load.tsx';
import { useAction } from '../../components/useAction.ts';
import { DccForm, DmlForm, RequestForm } from './TrialForms.tsx';
import type { Member } from '../../stores/session.ts';

type Trial = ResponseOf<'trials.list'>[number];

const STATUS_TEXT: Readonly<Record<Trial['status'], string>> = {
  requested: 'Waiting for the Digital Media Lead',
  escalated: 'With the Deputy Chief Constables',
  approved: 'Approved',
  refused: 'Refused',
};
const STATUS_BADGE: Readonly<Record<Trial['status'], string>> = {
  requested: 'sev-warning',
  escalated: 'sev-warning',
  approved: 'sev-info',
  refused: 'status-closed',
};

/** A decision as the record reads it. */
const DECIDED: Readonly<Record<'approve' | 'refuse' | 'escalate', string>> = {
  approve: 'approved',
  refuse: 'refused',
  escalate: 'taken to the Deputy Chief Constables',
};

/**
 * Trials on new channels (3.4): "all trials on new channels must be requested and approval sought
 * via the Digital Media Lead"; one the policy may not cover the DML takes to the Deputy Chief
 * Constables, whose decision is recorded here. Only the lead decides (the contract's roles).
 */
export function TrialsSection({ member }: { member: Member }) {
  const [load, reload] = useLoad(() => call('trials.list', {}));
  const heading = useRef<HTMLHeadingElement>(null);
  const { message, error, act } = useAction(reload);
  const [requesting, setRequesting] = useState(false);
  const mayRequest = roleMayCall(member.role, 'trials.request');
  const decides = roleMayCall(member.role, 'trials.decide');
  const done = (text: string) => {
    heading.current?.focus();
    return text;
  };
  const trials = load.state === 'ready' ? load.value : [];
  return (
    <section aria-labelledby="trials-title" className="trials">
      <h2 id="trials-title" ref={heading} tabIndex={-1}>
        New-channel trials (3.4)
      </h2>
      <Outcome message={message} error={error} />
      <Status load={load} />
      {load.state === 'ready' && trials.length === 0 && (
        <p>
          No trial on a new channel has been requested. A trial on a platform the forces do not yet
          use is requested through the Digital Media Lead
          {mayRequest ? ': record the request here' : ''}; one the policy may not cover goes to the
          Deputy Chief Constables (3.4).
        </p>
      )}
      <ul className="record-list">
        {trials.map((t) => (
          <li key={t.id}>
            <TrialItem
              trial={t}
              decides={decides}
              act={(run, text) =>
                act(async () => {
                  await run();
                  return done(text);
                })
              }
            />
          </li>
        ))}
      </ul>
      {mayRequest &&
        (requesting ? (
          <RequestForm
            onCancel={() => setRequesting(false)}
            onRequest={(r) =>
              act(async () => {
                await call('trials.request', r);
                setRequesting(false);
                return done(
                  r.coveredByPolicy
                    ? `Trial on ${r.platform} requested; the Digital Media Lead decides (3.4).`
                    : `Trial on ${r.platform} requested; the policy may not cover it, so the Digital Media Lead takes it to the Deputy Chief Constables (3.4).`,
                );
              })
            }
          />
        ) : (
          <button type="button" onClick={() => setRequesting(true)}>
            Request a trial on a new channel…
          </button>
        ))}
    </section>
  );
}

function TrialItem({
  trial: t,
  decides,
  act,
}: {
  trial: Trial;
  decides: boolean;
  act: (run: () => Promise<unknown>, message: string) => Promise<void>;
}) {
  return (
    <article aria-label={`Trial on ${t.platform}`}>
      <p>
        <strong>{t.platform}</strong>, requested {t.requestedOn} by {t.requestedBy}
        {t.department ? ` (${t.department})` : ''}:{' '}
        <span className={`badge ${STATUS_BADGE[t.status]}`}>{STATUS_TEXT[t.status]}</span>
      </p>
      <p>{t.purpose}</p>
      {!t.coveredByPolicy && (
        <p>The policy may not cover this request: the Deputy Chief Constables decide (3.4).</p>
      )}
      {t.dml && (
        <p>
          Digital Media Lead ({t.dml.by}, {t.dml.on}): {DECIDED[t.dml.decision]}
          {' — '}
          {t.dml.note}
        </p>
      )}
      {t.dcc && (
        <p>
          Deputy Chief Constables ({t.dcc.by}, {t.dcc.on}): {DECIDED[t.dcc.decision]} — {t.dcc.note}
        </p>
      )}
      {decides && t.status === 'requested' && (
        <DmlForm
          trial={t}
          onDecide={(decision, note) =>
            act(
              () =>
                call('trials.decide', {
                  trial: t.id,
                  decision,
                  note,
                  expectedVersion: t.version,
                }),
              decision === 'escalate'
                ? `The ${t.platform} trial is with the Deputy Chief Constables; record their decision when it comes (3.4).`
                : `The ${t.platform} trial is ${decision === 'approve' ? 'approved' : 'refused'} (3.4).`,
            )
          }
        />
      )}
      {decides && t.status === 'escalated' && (
        <DccForm
          trial={t}
          onDecide={(r) =>
            act(
              () => call('trials.dcc-decide', { trial: t.id, expectedVersion: t.version, ...r }),
              `The Deputy Chief Constables' decision on ${t.platform} is recorded (3.4).`,
            )
          }
        />
      )}
    </article>
  );
}
