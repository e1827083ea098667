import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import { roleMayCall } from '../../../shared/ipc/contract.ts';
import { call } from '../../api.ts';
import { useAction, type Run } from '../../components/useAction.ts';
import { Outcome } from '../../components/Field.tsx';
import { Status, useLoad } from '../../components/Load.tsx';
import type { Member } from '../../stores/session.ts';
import { DeviceForm } from './DeviceForm.tsx';
import { localMoment } from '../../local-time.ts';
import { IncidentRecord, IncidentWizard, resolvedNotice } from './IncidentWizard.tsx';

type Listing = Awaited<ReturnType<typeof call<'devices.list'>>>;
type Device = Listing['devices'][number];

/**
 * Devices that can reach accounts, and the lost-device wizard (10.1): pick the device, see the
 * accounts it exposed, record who was told and when, rotate each account; it closes itself when
 * nothing is left.
 */
export function DevicesView({ member }: { member: Member }) {
  const [load, reload] = useLoad(() => call('devices.list', {}));
  const { message, error, act, setMessage } = useAction(reload);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [retiring, setRetiring] = useState<string | null>(null);
  // Offered per device and incident as the core decides it (10.2: an administrator, theirs only).
  const mayReport = roleMayCall(member.role, 'devices.report-lost');
  const mayAdd = roleMayCall(member.role, 'devices.add');
  const mayEdit = roleMayCall(member.role, 'devices.edit');
  const mayRetire = roleMayCall(member.role, 'devices.retire');
  const mayJudge = roleMayCall(member.role, 'incidents.not-exposed');
  // An incident seen open that the latest load shows resolved (its last step was a rotation, which
  // says nothing itself): the end state is said, and the focus taken to it (10.1).
  const seenOpen = useRef(new Set<string>());
  const [endState, setEndState] = useState<string | null>(null);
  const endStateRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (load.state !== 'ready') return;
    for (const i of load.value.incidents) {
      if (i.resolvedAt === null) seenOpen.current.add(i.id);
      else if (seenOpen.current.delete(i.id)) {
        setEndState(resolvedNotice(i));
        // The step's own message ("… recorded as told") is older news than the end state.
        setMessage(null);
      }
    }
  }, [load, setMessage]);
  useEffect(() => {
    if (endState !== null) endStateRef.current?.focus();
  }, [endState]);

  if (load.state !== 'ready') return <Status load={load} />;
  const { devices, incidents } = load.value;
  const open = incidents.filter((i) => i.resolvedAt === null);
  const editingDevice = devices.find((d) => d.id === editing);
  return (
    <section aria-labelledby="devices-title">
      <h1 id="devices-title">Devices and lost-device incidents</h1>
      {endState !== null && (
        <p className="notice resolved" role="status" tabIndex={-1} ref={endStateRef}>
          {endState}
        </p>
      )}
      <Outcome message={message === endState ? null : message} error={error} />
      {open.map((incident) => (
        <IncidentWizard
          key={incident.id}
          incident={incident}
          canAct={incident.canEdit && roleMayCall(member.role, 'incidents.notify')}
          mayJudge={incident.canEdit && mayJudge}
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
        <table className="findings stack-narrow">
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
                <td data-label="Device">{d.label}</td>
                <td data-label="Kind">
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
                <td data-label="Owner">{d.owner}</td>
                <td data-label="Accounts it can reach">
                  {d.retiredOn !== null && d.accounts.length > 0 && 'until retired: '}
                  {d.accounts.map((a) => a.label).join(', ') || 'none'}
                </td>
                <td data-label="Status">
                  <DeviceStatus device={d} />
                </td>
                {(mayReport || mayEdit || mayRetire) && (
                  <td data-label="Actions">
                    {d.canEdit && d.retiredOn === null && (
                      <DeviceActions
                        device={d}
                        mayReport={mayReport && d.lostOn === null && d.lostResolved === null}
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
          <ul className="resolved-incidents">
            {incidents
              .filter((i) => i.resolvedAt !== null)
              .map((i) => (
                <li key={i.id}>
                  <details>
                    <summary>
                      {i.device}, lost {i.lostOn}: resolved {localMoment(i.resolvedAt ?? '')}
                    </summary>
                    <IncidentRecord incident={i} />
                  </details>
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
  if (device.lostResolved !== null)
    return (
      <strong>
        lost since {device.lostResolved.lostOn} (10.1): incident resolved{' '}
        {localMoment(device.lostResolved.resolvedAt)}
      </strong>
    );
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
      {mayReport && <ReportLost device={d} act={act} />}
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
            autoFocus
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

/** The member's own calendar day, as YYYY-MM-DD (a date field's value). */
function today(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/**
 * Report a device lost (10.1) in two steps: the first asks when it was lost (today unless said),
 * the second confirms. The loss cannot be undone, only resolved.
 */
function ReportLost({ device: d, act }: { device: Device; act: (run: Run) => Promise<void> }) {
  const id = useId();
  const [asking, setAsking] = useState(false);
  const [lostOn, setLostOn] = useState(today);
  if (!asking)
    return (
      <button
        type="button"
        // The words shown, then which device (WCAG 2.5.3).
        aria-label={`Report lost: ${d.label}`}
        onClick={() => {
          setLostOn(today());
          setAsking(true);
        }}
      >
        Report lost…
      </button>
    );
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    void act(async () => {
      const { incident } = await call('devices.report-lost', { device: d.id, lostOn });
      setAsking(false);
      focusWhenShown(`incident-${incident}`);
      return `${d.label} reported lost: tell ICT and Information Security now, then rotate each account below (10.1).`;
    });
  }
  return (
    <form className="grant" onSubmit={submit} aria-label={`Report ${d.label} lost`}>
      <label htmlFor={`${id}-on`}>When {d.label} was lost</label>
      <input
        id={`${id}-on`}
        type="date"
        value={lostOn}
        max={today()}
        required
        // The button that opened the form is gone: the keyboard goes on from here (2.4.3).
        autoFocus
        onChange={(e) => setLostOn(e.target.value)}
      />
      <button type="submit" className="danger">
        Confirm: {d.label} is lost
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </form>
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
