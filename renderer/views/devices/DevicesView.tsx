import { useState } from 'react';
import { NOTIFY_PARTIES, type NotifyParty } from '../../../shared/domain/registry.ts';
import { roleMayCall } from '../../../shared/ipc/contract.ts';
import { call } from '../../api.ts';
import { useAction, type Run } from '../../components/useAction.ts';
import { ConfirmAction } from '../../components/Confirm.tsx';
import { Outcome } from '../../components/Field.tsx';
import { Status, useLoad } from '../../components/Load.tsx';
import type { Member } from '../../stores/session.ts';
import { RotateForm } from '../accounts/RotateForm.tsx';

type Listing = Awaited<ReturnType<typeof call<'devices.list'>>>;
type Incident = Listing['incidents'][number];

/** Policy 10.1: ICT and Information Security immediately, then Corporate Communications. */
const PARTY_LABEL: Record<NotifyParty, string> = {
  ict: 'ICT Service Desk',
  infosec: 'Information Security',
  'corporate-comms': 'Corporate Communications',
};

/**
 * Devices that can reach accounts, and the lost-device wizard (10.1): pick the device, see the
 * accounts it exposed, record who was told and when, rotate each account; it closes itself when
 * nothing is left.
 */
export function DevicesView({ member }: { member: Member }) {
  const [load, reload] = useLoad(() => call('devices.list', {}));
  const { message, error, act } = useAction(reload);
  // Offered per device and incident as the core decides it (10.2: an administrator, theirs only).
  const mayReport = roleMayCall(member.role, 'devices.report-lost');

  if (load.state !== 'ready') return <Status load={load} />;
  const { devices, incidents } = load.value;
  const open = incidents.filter((i) => i.resolvedAt === null);
  return (
    <section aria-labelledby="devices-title">
      <h1 id="devices-title">Devices and lost-device incidents</h1>
      <Outcome message={message} error={error} />
      {open.map((incident) => (
        <IncidentWizard
          key={incident.id}
          incident={incident}
          canAct={incident.canEdit && roleMayCall(member.role, 'incidents.notify')}
          act={act}
          onChanged={reload}
        />
      ))}
      <h2>Devices ({devices.length})</h2>
      <table className="findings">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Kind</th>
            <th scope="col">Owner</th>
            <th scope="col">Accounts it can reach</th>
            <th scope="col">Lost?</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.id}>
              <td>{d.label}</td>
              <td>{d.kind}</td>
              <td>{d.owner}</td>
              <td>{d.accounts.map((a) => a.label).join(', ') || 'none'}</td>
              <td>
                {mayReport && d.canEdit && (
                  <ConfirmAction
                    label="Report lost…"
                    ariaLabel={`Report ${d.label} lost`}
                    confirmLabel={`Confirm: ${d.label} is lost`}
                    onConfirm={() =>
                      void act(async () => {
                        await call('devices.report-lost', { device: d.id });
                        return `${d.label} reported lost: tell ICT and Information Security now, then rotate each account below (10.1).`;
                      })
                    }
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {incidents.length > open.length && (
        <>
          <h2>Resolved incidents</h2>
          <ul>
            {incidents
              .filter((i) => i.resolvedAt !== null)
              .map((i) => (
                <li key={i.id}>
                  {i.device}, lost {i.lostOn}: resolved {i.resolvedAt?.slice(0, 10)}
                </li>
              ))}
          </ul>
        </>
      )}
    </section>
  );
}

function IncidentWizard({
  incident,
  canAct,
  act,
  onChanged,
}: {
  incident: Incident;
  canAct: boolean;
  act: (run: Run) => Promise<void>;
  onChanged: () => void;
}) {
  const [rotating, setRotating] = useState<string | null>(null);
  const answered = incident.exposed.filter((a) => a.answered).length;
  const told = NOTIFY_PARTIES.filter((p) => incident.notified[p] !== undefined).length;
  return (
    <section className="wizard" aria-labelledby={`incident-${incident.id}`}>
      <h2 id={`incident-${incident.id}`}>
        Lost: {incident.device} (since {incident.lostOn})
      </h2>
      <ol className="steps">
        <li className="done">
          Device reported lost {incident.reportedAt.replace('T', ' ').slice(0, 16)} UTC.
        </li>
        <li className={told === NOTIFY_PARTIES.length ? 'done' : ''}>
          Tell them (10.1): {told} of {NOTIFY_PARTIES.length}
          <ul>
            {NOTIFY_PARTIES.map((party) => {
              const at = incident.notified[party];
              return (
                <li key={party}>
                  {PARTY_LABEL[party]}:{' '}
                  {at ? (
                    <span>told {at.replace('T', ' ').slice(0, 16)} UTC</span>
                  ) : canAct ? (
                    <button
                      type="button"
                      onClick={() =>
                        void act(async () => {
                          await call('incidents.notify', { incident: incident.id, party });
                          return `${PARTY_LABEL[party]} recorded as told.`;
                        })
                      }
                    >
                      Told them now
                    </button>
                  ) : (
                    'not yet'
                  )}
                </li>
              );
            })}
          </ul>
        </li>
        <li className={answered === incident.exposed.length ? 'done' : ''}>
          Rotate each exposed account: {answered} of {incident.exposed.length}
          <ul>
            {incident.exposed.map((a) => (
              <li key={a.id}>
                {a.label}: {a.answered ? 'rotated' : 'not yet'}{' '}
                {!a.answered && canAct && rotating !== a.id && (
                  <button
                    type="button"
                    onClick={() => setRotating(a.id)}
                    aria-label={`Rotate ${a.label}`}
                  >
                    Rotate…
                  </button>
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
                    onDone={() => {
                      setRotating(null);
                      onChanged();
                    }}
                  />
                )}
              </li>
            ))}
          </ul>
        </li>
        <li>The incident closes itself once everyone is told and every account is rotated.</li>
      </ol>
    </section>
  );
}
