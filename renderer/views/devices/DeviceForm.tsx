import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import { accountLabel } from '../../../shared/domain/accounts.ts';
import { DEVICE_KINDS, type DeviceKind } from '../../../shared/domain/registry.ts';
import { call } from '../../api.ts';
import { Field } from '../../components/Field.tsx';
import { useLoad } from '../../components/Load.tsx';
import type { Run } from '../../components/useAction.ts';
import { FormActions } from '../../components/FormActions.tsx';

/** The device as it stands, when editing; absent when adding one. */
export interface DeviceDraft {
  readonly id: string;
  /** The record's version when the form opened: sent back, so a change made since is refused (ADR 0023). */
  readonly version: number;
  readonly label: string;
  readonly kind: DeviceKind;
  readonly ownerId: string;
  readonly accounts: readonly { id: string }[];
  readonly lineManagerRecordOn: string | null;
}

const KIND_LABEL: Record<DeviceKind, string> = {
  force: 'Force-owned (10.1)',
  personal: 'Personal, used for corporate accounts (12.1)',
};

/** How many unticked accounts the chooser lists at once; the rest are found by typing. */
const SHOWN_ACCOUNTS = 30;

/**
 * Add or correct a device that reaches accounts (10.1, 12.1): who holds it, what it is, which
 * accounts it can reach, and for a personal device when the line manager recorded it. The core
 * checks the member may change every account named (10.2); its refusal is shown as it comes.
 */
export function DeviceForm({
  device,
  act,
  onDone,
}: {
  device?: DeviceDraft;
  act: (run: Run) => Promise<void>;
  onDone: () => void;
}) {
  const id = useId();
  const [people] = useLoad(() => call('people.list', {}));
  const [accounts] = useLoad(() => call('accounts.list', {}));
  const [label, setLabel] = useState(device?.label ?? '');
  const [kind, setKind] = useState<DeviceKind>(device?.kind ?? 'force');
  const [owner, setOwner] = useState(device?.ownerId ?? '');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(
    new Set(device?.accounts.map((a) => a.id) ?? []),
  );
  const [find, setFind] = useState('');
  const [recordOn, setRecordOn] = useState(device?.lineManagerRecordOn ?? '');
  // Fixed at opening: a reload of the list behind the form must not move it.
  const [openedOn] = useState(device?.version);
  const heading = useRef<HTMLHeadingElement>(null);
  // The form opens above the list: take focus there, so a keyboard user lands in it.
  useEffect(() => heading.current?.focus(), []);

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    void act(async () => {
      const fields = { owner, kind, label, accounts: [...chosen] };
      if (device) {
        // A force device has no 12.1 record; clearing the date is an edit like any other.
        await call('devices.edit', {
          device: device.id,
          ...fields,
          lineManagerRecordOn: kind === 'personal' && recordOn ? recordOn : null,
          ...(openedOn === undefined ? {} : { expectedVersion: openedOn }),
        });
        onDone();
        return `${label} updated.`;
      }
      await call('devices.add', {
        ...fields,
        ...(kind === 'personal' && recordOn ? { lineManagerRecordOn: recordOn } : {}),
      });
      onDone();
      return kind === 'personal' && !recordOn
        ? `${label} recorded. Ask the line manager to record this personal device, then note the date here (12.1).`
        : `${label} recorded.`;
    });
  }

  const title = device ? `Edit ${device.label}` : 'Add a device';
  const wanted = find.trim().toLowerCase();
  const listed =
    accounts.state === 'ready'
      ? accounts.value.filter(
          (a) => chosen.has(a.id) || accountLabel(a).toLowerCase().includes(wanted),
        )
      : [];
  const unticked = listed.filter((a) => !chosen.has(a.id));
  const shown = [...listed.filter((a) => chosen.has(a.id)), ...unticked.slice(0, SHOWN_ACCOUNTS)];
  return (
    <form className="panel-form wide" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <Field
        label="Device (make, model, asset number)"
        value={label}
        onChange={(e) => setLabel(e.target.value)}
        placeholder="e.g. iPhone 15, asset 40213"
        required
        maxLength={200}
      />
      <label htmlFor={`${id}-kind`}>Kind</label>
      <select
        id={`${id}-kind`}
        value={kind}
        onChange={(e) => setKind(e.target.value as DeviceKind)}
      >
        {DEVICE_KINDS.map((k) => (
          <option key={k} value={k}>
            {KIND_LABEL[k]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-owner`}>Who holds it</label>
      <select id={`${id}-owner`} value={owner} onChange={(e) => setOwner(e.target.value)} required>
        <option value="">Choose a person…</option>
        {people.state === 'ready' &&
          people.value.map((p) => (
            <option key={p.id} value={p.id}>
              {p.person.name}
            </option>
          ))}
      </select>
      {people.state === 'ready' && people.value.length === 0 && (
        <p>Add the person who holds it in People first.</p>
      )}
      {kind === 'personal' && (
        <Field
          label="Line manager's record made on (12.1)"
          type="date"
          value={recordOn}
          onChange={(e) => setRecordOn(e.target.value)}
        />
      )}
      <fieldset>
        <legend>Accounts it can reach ({chosen.size} chosen)</legend>
        <Field
          label="Find accounts"
          type="search"
          value={find}
          onChange={(e) => setFind(e.target.value)}
        />
        <ul className="checks">
          {shown.map((a) => (
            <li key={a.id}>
              <label>
                <input
                  type="checkbox"
                  checked={chosen.has(a.id)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(a.id);
                    else next.delete(a.id);
                    setChosen(next);
                  }}
                />{' '}
                {accountLabel(a)}
              </label>
            </li>
          ))}
        </ul>
        {unticked.length > SHOWN_ACCOUNTS && (
          <p>
            {unticked.length - SHOWN_ACCOUNTS} more: type part of a handle or unit to find them.
          </p>
        )}
      </fieldset>
      <FormActions submit={device ? 'Save device' : 'Record device'} onCancel={onDone} />
    </form>
  );
}
