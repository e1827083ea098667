import { useId, useState, type SyntheticEvent } from 'react';
import { AUDIT_KINDS } from '../../../shared/domain/audit.ts';
import { AUDIT_FAMILY_LABELS, auditLabel } from '../../../shared/domain/audit-labels.ts';

/** What the log can be narrowed to: the entries' clear columns (dates are UTC days). */
export interface LogFilter {
  readonly from?: string;
  readonly to?: string;
  readonly kind?: string;
  readonly actor?: string;
  readonly account?: string;
}

/** Event kinds by family ("credential" → revealed, copied, rotated…), for a grouped choice. */
const FAMILIES = [...new Set(AUDIT_KINDS.map((kind) => kind.split('.')[0]!))].map((family) => ({
  family,
  kinds: AUDIT_KINDS.filter((kind) => kind.startsWith(`${family}.`)),
}));

/**
 * The audit log's filters (policy 6.4, 6.5: who did what to which account, and when). Applied on
 * Filter, so a half-typed name is not looked up; Clear shows the whole trail again.
 */
export function LogFilters({ onApply }: { onApply: (filter: LogFilter) => void }) {
  const id = useId();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [kind, setKind] = useState('');
  const [actor, setActor] = useState('');
  const [account, setAccount] = useState('');

  function apply(event: SyntheticEvent) {
    event.preventDefault();
    const filled = Object.entries({ from, to, kind, actor: actor.trim(), account: account.trim() });
    onApply(Object.fromEntries(filled.filter(([, value]) => value !== '')));
  }

  function clear() {
    for (const set of [setFrom, setTo, setKind, setActor, setAccount]) set('');
    onApply({});
  }

  return (
    <form className="filters log-filters" aria-label="Filter the log" onSubmit={apply}>
      <label className="select" htmlFor={`${id}-from`}>
        <span>From</span>
        <input
          id={`${id}-from`}
          type="date"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
      </label>
      <label className="select" htmlFor={`${id}-to`}>
        <span>To</span>
        <input id={`${id}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <label className="select" htmlFor={`${id}-kind`}>
        <span>Event</span>
        <EventKindSelect id={`${id}-kind`} value={kind} onChange={setKind} />
      </label>
      <label className="select" htmlFor={`${id}-actor`}>
        <span>Who (member name)</span>
        <input id={`${id}-actor`} value={actor} onChange={(e) => setActor(e.target.value)} />
      </label>
      <label className="select" htmlFor={`${id}-account`}>
        <span>Account (platform:handle)</span>
        <input id={`${id}-account`} value={account} onChange={(e) => setAccount(e.target.value)} />
      </label>
      <button type="submit">Filter</button>
      <button type="button" onClick={clear}>
        Clear
      </button>
    </form>
  );
}

/**
 * The choice of event kind, grouped by family and shown in words ("Password revealed"); a family
 * with several kinds can be chosen whole. The value stays the kind, as the CLI's `--kind` takes it.
 */
export function EventKindSelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (kind: string) => void;
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">All events</option>
      {FAMILIES.map(({ family, kinds }) => {
        const name = AUDIT_FAMILY_LABELS[family] ?? family;
        return (
          <optgroup key={family} label={name}>
            {kinds.length > 1 && <option value={family}>Every {name.toLowerCase()} event</option>}
            {kinds.map((k) => (
              <option key={k} value={k}>
                {auditLabel(k)}
              </option>
            ))}
          </optgroup>
        );
      })}
    </select>
  );
}
