import { useState, type SyntheticEvent } from 'react';
import { PLATFORMS, type AccountSummary, type Platform } from '../../../shared/domain/accounts.ts';
import { call } from '../../api.ts';
import {
  AccountProfileFields,
  EMPTY_PROFILE,
  profileOf,
} from '../../components/AccountProfileFields.tsx';
import { useAction, type Run } from '../../components/useAction.ts';
import { Field, Outcome } from '../../components/Field.tsx';
import { Status, useLoad } from '../../components/Load.tsx';
import type { Member } from '../../stores/session.ts';
import { roleMayCall } from '../../../shared/ipc/contract.ts';
import { legacyRefusal } from '../../../shared/domain/account-lifecycle.ts';
import { SecretField } from '../../components/SecretInput.tsx';
import { TrialsSection } from './TrialsSection.tsx';

type Approver = 'line-manager' | 'head-of-department' | 'dml';
const STEPS: {
  approver: Approver;
  key: 'lineManager' | 'headOfDepartment' | 'digitalMediaLead';
  label: string;
}[] = [
  { approver: 'line-manager', key: 'lineManager', label: 'Line manager approves (9.2)' },
  {
    approver: 'head-of-department',
    key: 'headOfDepartment',
    label: 'Head of Department approves (9.2)',
  },
  { approver: 'dml', key: 'digitalMediaLead', label: 'Digital Media Lead decides (9.5)' },
];

/** Accounts in use whose approvals are not all recorded (registered directly, 9.8), not exempt. */
function awaitingApprovals(account: AccountSummary): boolean {
  const status = account.status ?? 'active';
  if (status !== 'active' && status !== 'suspended') return false;
  const approvals = account.approvals ?? {};
  if (account.legacy && approvals.exemption && legacyRefusal(account) === null) return false;
  return STEPS.some((s) => approvals[s.key] === undefined);
}

/**
 * New account requests, guided through the approvals of 9.2-9.5 and the set-up of 9.6; and the
 * accounts registered directly (9.8) whose approvals are recorded afterwards.
 */
export function RequestsView({ member }: { member: Member }) {
  const [accounts, reload] = useLoad(() => call('accounts.list', {}));
  const { message, error, act } = useAction(reload);

  const pending =
    accounts.state === 'ready'
      ? accounts.value.filter((a) => a.status === 'requested' || a.status === 'approved')
      : [];
  const unapproved =
    accounts.state === 'ready' && roleMayCall(member.role, 'requests.approve')
      ? accounts.value.filter(awaitingApprovals)
      : [];
  return (
    <section aria-labelledby="requests-title">
      <h1 id="requests-title">Requests</h1>
      <Outcome message={message} error={error} />
      <Status load={accounts} />
      {pending.map((a) => (
        <RequestSteps key={a.id} account={a} member={member} act={act} />
      ))}
      {accounts.state === 'ready' && pending.length === 0 && <p>No request is waiting.</p>}
      {unapproved.length > 0 && (
        <>
          <h2>Approvals to record for accounts in use (9.2, 9.5, 9.8)</h2>
          <p>
            These were registered directly, so their approvals are recorded afterwards, for audit;
            their status does not change.
          </p>
          {unapproved.map((a) => (
            <RequestSteps key={a.id} account={a} member={member} act={act} />
          ))}
        </>
      )}
      {/* Offered only to a member who may record one (9.1: Corporate Communications, the DMT). */}
      {roleMayCall(member.role, 'requests.create') ? (
        <NewRequest act={act} />
      ) : (
        <p>Requests are recorded by the Digital Media Team (9.1-9.3); you can follow them here.</p>
      )}
      <TrialsSection member={member} />
    </section>
  );
}

function RequestSteps({
  account,
  member,
  act,
}: {
  account: AccountSummary;
  member: Member;
  act: (run: Run) => Promise<void>;
}) {
  const isLead = member.role === 'lead';
  // An account in use (registered directly, 9.8) takes its approvals afterwards; no set-up step.
  const inUse = account.status !== 'requested' && account.status !== 'approved';
  const awaiting = account.status === 'requested' || inUse;
  const mayApprove = roleMayCall(member.role, 'requests.approve');
  const maySetUp = roleMayCall(member.role, 'requests.set-up');
  const [by, setBy] = useState('');
  const [refusing, setRefusing] = useState(false);
  const [why, setWhy] = useState('');
  const [suggest, setSuggest] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const label = `${account.platform}:${account.handle}`;
  const approvals = account.approvals ?? {};
  const next = STEPS.find((s) => approvals[s.key] === undefined);

  const approve = (approver: Approver) =>
    act(async () => {
      await call('requests.approve', { account: account.id, approver, by });
      setBy('');
      return `Approval recorded for ${label}.`;
    });
  /** 9.5: the Digital Media Lead refuses a request, with the reason and perhaps another platform. */
  const refuse = () =>
    act(async () => {
      await call('requests.approve', {
        account: account.id,
        approver: 'dml',
        by,
        refuse: why.trim(),
        ...(suggest ? { suggest: suggest as Platform } : {}),
      });
      setRefusing(false);
      return `${label} refused by the Digital Media Lead (9.5); the request is closed and the reason is in its notes and the audit trail.`;
    });
  function setUp(event: SyntheticEvent) {
    event.preventDefault();
    void act(async () => {
      await call('requests.set-up', { account: account.id, username, password });
      setPassword('');
      return `${label} is set up and active; its login is registered (9.8).`;
    });
  }

  return (
    <section className="wizard" aria-labelledby={`request-${account.id}`}>
      <h2 id={`request-${account.id}`}>
        {inUse ? 'Approvals' : 'Request'}: {label}
      </h2>
      <p>
        {account.unitName} ({account.unitType}, {account.force}). Purpose: {account.purpose ?? '—'}
      </p>
      <ol className="steps">
        {STEPS.map((step) => {
          const done = approvals[step.key];
          return (
            <li key={step.key} className={done ? 'done' : ''}>
              {step.label}
              {done ? `: ${done.by}, ${done.on}` : ''}
            </li>
          );
        })}
        {!inUse && (
          <li className={account.status === 'approved' ? '' : 'waiting'}>
            Corporate Communications set it up (9.6)
          </li>
        )}
      </ol>
      {mayApprove && awaiting && next && (next.approver !== 'dml' || isLead) && (
        <div className="step-form">
          <label htmlFor={`by-${account.id}`}>{next.label}: who approved</label>
          <input
            id={`by-${account.id}`}
            value={by}
            onChange={(e) => setBy(e.target.value)}
            maxLength={100}
          />
          <button type="button" onClick={() => void approve(next.approver)} disabled={!by.trim()}>
            Record approval
          </button>
          {next.approver === 'dml' && !inUse && !refusing && (
            <button type="button" onClick={() => setRefusing(true)}>
              Refuse the request…
            </button>
          )}
          {next.approver === 'dml' && !inUse && refusing && (
            <div className="refusal" role="group" aria-label={`Refuse ${label}`}>
              <label htmlFor={`why-${account.id}`}>
                Why the Digital Media Lead refuses it (9.5)
              </label>
              <input
                id={`why-${account.id}`}
                value={why}
                onChange={(e) => setWhy(e.target.value)}
                maxLength={500}
              />
              <label htmlFor={`suggest-${account.id}`}>Suggest another platform instead</label>
              <select
                id={`suggest-${account.id}`}
                value={suggest}
                onChange={(e) => setSuggest(e.target.value)}
              >
                <option value="">No suggestion</option>
                {PLATFORMS.filter((p) => p !== account.platform).map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="danger"
                onClick={() => void refuse()}
                disabled={!by.trim() || !why.trim()}
              >
                Refuse {label}
              </button>{' '}
              <button type="button" onClick={() => setRefusing(false)}>
                Cancel
              </button>
            </div>
          )}
        </div>
      )}
      {mayApprove && awaiting && next?.approver === 'dml' && !isLead && (
        <p>Waiting for the Digital Media Lead (a team lead records it).</p>
      )}
      {maySetUp && account.status === 'approved' && (
        <form className="step-form" onSubmit={setUp} aria-label={`Set up ${label}`}>
          <Field
            label="Username on the platform"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
          <SecretField
            label="Password set on the platform"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
          <button type="submit" className="primary">
            Register the login and make it active
          </button>
        </form>
      )}
    </section>
  );
}

function NewRequest({ act }: { act: (run: Run) => Promise<void> }) {
  const [people] = useLoad(() => call('people.list', {}));
  const [form, setForm] = useState({ ...EMPTY_PROFILE, requester: '', purpose: '', aims: '' });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    void act(async () => {
      await call('requests.create', {
        ...profileOf(form),
        requester: form.requester,
        purpose: form.purpose,
        aims: form.aims,
      });
      setForm((f) => ({ ...f, handle: '', purpose: '', aims: '' }));
      return `Request for ${form.platform}:${form.handle} recorded; it now needs its approvals (9.2).`;
    });
  }

  return (
    <form className="panel-form wide" onSubmit={submit} aria-labelledby="new-request-title">
      <h2 id="new-request-title">Request a new account (9.1-9.3)</h2>
      <AccountProfileFields
        value={form}
        onChange={(change) => setForm((f) => ({ ...f, ...change }))}
        unitTypeLabel="Unit type (9.5: no new individual accounts)"
      />
      <label htmlFor="req-requester">Requested by</label>
      <select id="req-requester" value={form.requester} onChange={set('requester')} required>
        <option value="">Choose a person…</option>
        {people.state === 'ready' &&
          people.value.map((p) => (
            <option key={p.id} value={p.id}>
              {p.person.name}
            </option>
          ))}
      </select>
      <Field
        label="Purpose (9.3)"
        value={form.purpose}
        onChange={set('purpose')}
        required
        maxLength={2000}
      />
      <Field
        label="Aims and objectives (9.3)"
        value={form.aims}
        onChange={set('aims')}
        required
        maxLength={2000}
      />
      <button type="submit" className="primary">
        Record the request
      </button>
    </form>
  );
}
