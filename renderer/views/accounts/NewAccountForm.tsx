import { useState, type SyntheticEvent } from 'react';
import { call, messageOf } from '../../api.ts';
import {
  AccountProfileFields,
  EMPTY_PROFILE,
  profileOf,
} from '../../components/AccountProfileFields.tsx';
import { Field, Outcome } from '../../components/Field.tsx';
import { SecretField } from '../../components/SecretInput.tsx';
import { FormActions } from '../../components/FormActions.tsx';

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
  const [form, setForm] = useState({ ...EMPTY_PROFILE, username: '', password: '' });
  const [error, setError] = useState<string | null>(null);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    setError(null);
    try {
      const { id } = await call('accounts.create', {
        ...profileOf(form),
        username: form.username,
        password: form.password,
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
      <AccountProfileFields
        value={form}
        onChange={(change) => setForm((f) => ({ ...f, ...change }))}
      />
      <Field
        label="Username"
        value={form.username}
        onChange={set('username')}
        required
        autoComplete="off"
      />
      <SecretField
        label="Password"
        value={form.password}
        onChange={set('password')}
        required
        autoComplete="new-password"
      />
      <Outcome message={null} error={error} />
      <FormActions submit="Register account" onCancel={onCancel} />
    </form>
  );
}
