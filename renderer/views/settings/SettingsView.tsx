import { Fragment, useState, type ReactNode, type SyntheticEvent } from 'react';
import type { HealthSettings } from '../../../shared/domain/health.ts';
import { call, messageOf } from '../../api.ts';
import { Field, Outcome } from '../../components/Field.tsx';
import { Status, useLoad } from '../../components/Load.tsx';
import type { Member } from '../../stores/session.ts';
import { roleMayCall } from '../../../shared/ipc/contract.ts';
import { BackupPanel } from './BackupPanel.tsx';

type Thresholds = Required<HealthSettings>;

/** What each threshold means, with the clause or guidance it comes from. */
const THRESHOLDS: { key: keyof Thresholds; label: string }[] = [
  { key: 'inactivityGuidanceMonths', label: 'Unused account: guidance after (months, 9.13)' },
  { key: 'inactivityReminderMonths', label: 'Unused account: reminder after (months, 9.13)' },
  { key: 'inactivityClosureMonths', label: 'Unused account: may close after (months, 9.13)' },
  { key: 'refresherDueMonths', label: 'Refresher due after (months, 11.1)' },
  { key: 'refresherActionMonths', label: 'Refresher: action after (months, 11.1)' },
  { key: 'refresherBreachMonths', label: 'Refresher: breach after (months, 11.1)' },
  { key: 'minimumStrength', label: 'Weakest acceptable password score (0-4)' },
  { key: 'maxPasswordAgeDays', label: 'Password age limit in days (empty: off, NIST SP 800-63B)' },
  { key: 'leaverRotationGraceDays', label: 'Days to rotate after a leaver before a breach (10.2)' },
];

/** The auto-lock time and the health thresholds: the lead changes them, everyone can see them. */
export function SettingsView({ member }: { member: Member }) {
  const [load, reload] = useLoad(() => call('settings.get', {}));
  // Kept here, not in the form: saving reloads the settings, which renews the form.
  const [saved, setSaved] = useState<string | null>(null);
  if (load.state !== 'ready') return <Status load={load} />;
  // Read, not a form of disabled fields: a member who cannot change them is shown no control
  // they cannot use (issue 15), and nothing that looks editable to a screen reader.
  const backup = roleMayCall(member.role, 'backup.create') && <BackupPanel />;
  if (member.role !== 'lead') return <SettingsRead settings={load.value}>{backup}</SettingsRead>;
  return (
    <SettingsForm
      key={JSON.stringify(load.value)}
      initial={load.value}
      editable
      saved={saved}
      onSaved={(message) => {
        setSaved(message);
        reload();
      }}
    >
      {backup}
    </SettingsForm>
  );
}

/** The settings as they are, for members other than the lead. */
function SettingsRead({
  settings,
  children,
}: {
  settings: { autoLockMinutes: number; thresholds: Thresholds };
  /** What follows the settings on the screen (the backup, which every member may make). */
  children?: ReactNode;
}) {
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <p>Only the team lead changes these; ask them if one should change.</p>
      <dl className="facts settings-read">
        <dt>Lock after this many idle minutes</dt>
        <dd>{settings.autoLockMinutes}</dd>
        {THRESHOLDS.map(({ key, label }) => (
          <Fragment key={key}>
            <dt>{label}</dt>
            <dd>{settings.thresholds[key] ?? 'off'}</dd>
          </Fragment>
        ))}
      </dl>
      {children}
    </section>
  );
}

function SettingsForm({
  initial,
  editable,
  saved,
  onSaved,
  children,
}: {
  initial: { autoLockMinutes: number; thresholds: Thresholds };
  editable: boolean;
  saved: string | null;
  onSaved: (message: string) => void;
  /** What follows the form on the Settings screen (the backup). */
  children?: ReactNode;
}) {
  const [autoLock, setAutoLock] = useState(String(initial.autoLockMinutes));
  const [values, setValues] = useState<Record<string, string>>(
    Object.fromEntries(
      THRESHOLDS.map(({ key }) => [
        key,
        initial.thresholds[key] === null ? '' : String(initial.thresholds[key]),
      ]),
    ),
  );
  const [error, setError] = useState<string | null>(null);

  async function save(event: SyntheticEvent) {
    event.preventDefault();
    setError(null);
    const thresholds: Record<string, number | null> = {};
    for (const { key } of THRESHOLDS) {
      const text = values[key] ?? '';
      const value = text === '' && key === 'maxPasswordAgeDays' ? null : Number(text);
      if (value !== initial.thresholds[key]) thresholds[key] = value;
    }
    const minutes = Number(autoLock);
    try {
      await call('settings.set', {
        ...(minutes !== initial.autoLockMinutes ? { autoLockMinutes: minutes } : {}),
        ...(Object.keys(thresholds).length ? { thresholds } : {}),
      });
      onSaved('Settings saved; each change is in the audit trail.');
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      {!editable && <p>Only the team lead changes these.</p>}
      <Outcome message={error ? null : saved} error={error} />
      <form className="panel-form wide" onSubmit={(e) => void save(e)}>
        <fieldset disabled={!editable}>
          <legend>Locking</legend>
          <Field
            label="Lock after this many idle minutes (1-60)"
            type="number"
            min={1}
            max={60}
            value={autoLock}
            onChange={(e) => setAutoLock(e.target.value)}
            required
          />
        </fieldset>
        <fieldset disabled={!editable}>
          <legend>Health thresholds</legend>
          {THRESHOLDS.map(({ key, label }) => (
            <Field
              key={key}
              label={label}
              type="number"
              value={values[key] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
              required={key !== 'maxPasswordAgeDays'}
            />
          ))}
        </fieldset>
        {editable && (
          <button type="submit" className="primary">
            Save settings
          </button>
        )}
      </form>
      {children}
    </section>
  );
}
