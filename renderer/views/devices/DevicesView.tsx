import { useState, type SyntheticEvent } from 'react';
import { NOTIFY_PARTIES, type NotifyParty } from '../../../shared/domain/registry.ts';
import { roleMayCall } from '../../../shared/ipc/contract.ts';
import { call } from '../../api.ts';
import { useAction, type Run } from '../../components/useAction.ts';
import { ConfirmAction } from '../../components/Confirm.tsx';
import { Outcome } from '../../components/Field.tsx';
import { Status, useLoad } from '../../components/Load.tsx';
import type { Member } from '../../stores/session.ts';
import { RotateForm } from '../accounts/RotateForm.tsx';
import { DeviceForm } from './DeviceForm.tsx';
import { localMoment } from '../../local-time.ts';

type Listing = Awaited<ReturnType<typeof call<'devices.list'>>>;
type Incident = Listing['incidents'][number];
type Device = Listing['devices'][number];

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
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [retiring, setRetiring] = useState<string | null>(null);
  // Offered per device and incident as the core decides it (10.2: an administrator, theirs only).
  const mayReport = roleMayCall(member.role, 'devices.report-lost');
  const mayAdd = roleMayCall(member.role, 'devices.add');
  const mayEdit = roleMayCall(member.role, 'devices.edit');
  const mayRetire = roleMayCall(member.role, 'devices.retire');

  if (load.state !== 'ready') return <Status load={load} />;
  const { devices, incidents } = load.value;
  const open = incidents.filter((i) => i.resolvedAt === null);
  const editingDevice = devices.find((d) => d.id === editing);
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
      {mayAdd && !adding && (
        <button type="button" onClick={() => setAdding(true)}>
          Add a device…
        </button>
      )}
      {adding && <DeviceForm act={act} onDone={() => setAdding(false)} />}
      {editingDevice && (
        <DeviceForm
          key={editingDevice.id}
          device={editingDevice}
          act={act}
          onDone={() => setEditing(null)}
        />
      )}
      {devices.length === 0 ? (
        <p className="empty">
          No devices recorded yet.{' '}
          {mayAdd
            ? 'Start with "Add a device…": every force phone or laptop that can reach an account (10.1), and every personal device used for one (12.1). A lost device can then be reported here straight away.'
            : 'The Digital Media Team records every device that can reach an account (10.1, 12.1).'}
        </p>
      ) : (
        <table className="findings">
          <caption className="visually-hidden">Devices that can reach accounts</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Kind</th>
              <th scope="col">Owner</th>
              <th scope="col">Accounts it can reach</th>
              <th scope="col">Status</th>
              {(mayReport || mayEdit || mayRetire) && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.id}>
                <td>{d.label}</td>
                <td>
                  {d.kind === 'personal' ? 'personal' : 'force'}
                  {d.kind === 'personal' && (
                    <>
                      <br />
                      {d.lineManagerRecordOn
                        ? `line manager's record ${d.lineManagerRecordOn} (12.1)`
                        : "no line manager's record yet (12.1)"}
                    </>
                  )}
                </td>
                <td>{d.owner}</td>
                <td>
                  {d.retiredOn !== null && d.accounts.length > 0 && 'until retired: '}
                  {d.accounts.map((a) => a.label).join(', ') || 'none'}
                </td>
                <td>
                  <DeviceStatus device={d} />
                </td>
                {(mayReport || mayEdit || mayRetire) && (
                  <td>
                    {d.canEdit && d.retiredOn === null && (
                      <DeviceActions
                        device={d}
                        mayReport={mayReport && d.lostOn === null}
                        mayEdit={mayEdit}
                        mayRetire={mayRetire}
                        retiring={retiring === d.id}
                        onEdit={() => {
                          setAdding(false);
                          setEditing(d.id);
                        }}
                        onRetire={(asking) => setRetiring(asking ? d.id : null)}
                        act={act}
                      />
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
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

function DeviceStatus({ device }: { device: Device }) {
  if (device.retiredOn !== null)
    return (
      <>
        retired {device.retiredOn}
        {device.retireReason ? `: ${device.retireReason}` : ''}
      </>
    );
  if (device.lostOn !== null)
    return <strong className="due">lost since {device.lostOn} (10.1): incident open</strong>;
  return <>in use</>;
}

function DeviceActions({
  device: d,
  mayReport,
  mayEdit,
  mayRetire,
  retiring,
  onEdit,
  onRetire,
  act,
}: {
  device: Device;
  mayReport: boolean;
  mayEdit: boolean;
  mayRetire: boolean;
  retiring: boolean;
  onEdit: () => void;
  onRetire: (asking: boolean) => void;
  act: (run: Run) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const reasonId = `retire-${d.id}`;
  function retire(event: SyntheticEvent) {
    event.preventDefault();
    void act(async () => {
      await call('devices.retire', { device: d.id, reason });
      onRetire(false);
      return `${d.label} retired: it no longer reaches any account.`;
    });
  }
  return (
    <div className="actions">
      {mayReport && (
        <ConfirmAction
          label="Report lost…"
          // The words shown, then which device (WCAG 2.5.3).
          ariaLabel={`Report lost: ${d.label}`}
          confirmLabel={`Confirm: ${d.label} is lost`}
          onConfirm={() =>
            void act(async () => {
              const { incident } = await call('devices.report-lost', { device: d.id });
              focusWhenShown(`incident-${incident}`);
              return `${d.label} reported lost: tell ICT and Information Security now, then rotate each account below (10.1).`;
            })
          }
        />
      )}
      {mayEdit && (
        <button type="button" onClick={onEdit} aria-label={`Edit ${d.label}`}>
          Edit…
        </button>
      )}
      {mayRetire && !retiring && (
        <button type="button" onClick={() => onRetire(true)} aria-label={`Retire ${d.label}`}>
          Retire…
        </button>
      )}
      {retiring && (
        <form onSubmit={retire} className="grant" aria-label={`Retire ${d.label}`}>
          <label htmlFor={reasonId}>Why it is retired (recorded)</label>
          <input
            id={reasonId}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="e.g. returned to ICT and wiped"
            required
            maxLength={500}
          />
          <button type="submit" className="danger">
            Retire {d.label}
          </button>{' '}
          <button type="button" onClick={() => onRetire(false)}>
            Cancel
          </button>
        </form>
      )}
    </div>
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
      <h2 id={`incident-${incident.id}`} tabIndex={-1}>
        Lost: {incident.device} (since {incident.lostOn})
      </h2>
      <ol className="steps">
        <li className="done">Device reported lost {localMoment(incident.reportedAt)}.</li>
        <li className={told === NOTIFY_PARTIES.length ? 'done' : ''}>
          Tell them (10.1): {told} of {NOTIFY_PARTIES.length}
          <ul>
            {NOTIFY_PARTIES.map((party) => {
              const at = incident.notified[party];
              return (
                <li key={party}>
                  {PARTY_LABEL[party]}:{' '}
                  {at ? (
                    <span>told {localMoment(at)}</span>
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

/**
 * Focus an element once the reload that brings it has drawn it (a few frames at most): after
 * "Report lost", the person is taken to the incident's wizard, not left on the page's body.
 */
function focusWhenShown(id: string, frames = 30): void {
  const element = document.getElementById(id);
  if (element) element.focus();
  else if (frames > 0) requestAnimationFrame(() => focusWhenShown(id, frames - 1));
}
