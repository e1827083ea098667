import { useState, type SyntheticEvent } from 'react';
import { FORCES, PLATFORMS, UNIT_TYPES } from '../../../shared/domain/accounts.ts';
import { call, messageOf } from '../../api.ts';
import { Choice, Field, Outcome } from '../../components/Field.tsx';

/**
 * Register an account that already exists on its platform, with its login (policy 9.8: every
 * login is registered with the DMT). A new account goes through Requests instead (9.1-9.6).
 */
export function NewAccountForm({
  onCreated,
  onCancel,
}: {
  onCreated: (id: string) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState({
    platform: 'x',
    handle: '',
    force: 'norfolk',
    unitType: 'team',
    unitName: '',
    username: '',
    password: '',
  });
  const [error, setError] = useState<string | null>(null);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    setError(null);
    try {
      const { id } = await call('accounts.create', {
        ...form,
        platform: form.platform as (typeof PLATFORMS)[number],
        force: form.force as (typeof FORCES)[number],
        unitType: form.unitType as (typeof UNIT_TYPES)[number],
      });
      onCreated(id);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <form
      className="account-detail step-form-wide"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="new-account-title"
    >
      <h2 id="new-account-title">Register an account (9.8)</h2>
      <p className="hint">
        For an account that already exists. A new account is requested and approved first (Requests,
        9.1-9.6).
      </p>
      <Choice
        label="Platform"
        value={form.platform}
        options={PLATFORMS}
        onChange={(v) => setForm((f) => ({ ...f, platform: v }))}
      />
      <Field label="Handle" value={form.handle} onChange={set('handle')} required maxLength={100} />
      <Choice
        label="Force"
        value={form.force}
        options={FORCES}
        onChange={(v) => setForm((f) => ({ ...f, force: v }))}
      />
      <Choice
        label="Unit type"
        value={form.unitType}
        options={UNIT_TYPES}
        onChange={(v) => setForm((f) => ({ ...f, unitType: v }))}
      />
      <Field
        label="Unit name"
        value={form.unitName}
        onChange={set('unitName')}
        required
        maxLength={200}
      />
      <Field
        label="Username"
        value={form.username}
        onChange={set('username')}
        required
        autoComplete="off"
      />
      <Field
        label="Password"
        type="password"
        value={form.password}
        onChange={set('password')}
        required
        autoComplete="new-password"
      />
      <Outcome message={null} error={error} />
      <div className="actions">
        <button type="submit" className="primary">
          Register account
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
