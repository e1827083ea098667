import { roleMayCall } from '../../../shared/ipc/contract.ts';
import { MENU_EVENT } from '../../../shared/ipc/channels.ts';
import type { AccountStatus } from '../../../shared/domain/registry.ts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { call } from '../../api.ts';
import { FORCES, PLATFORMS } from '../../../shared/domain/accounts.ts';
import { ACCOUNT_STATUSES } from '../../../shared/domain/registry.ts';
import { NO_FILTERS, type AccountFilters } from '../../../shared/domain/account-search.ts';
import { AccountMatches, AccountSearchIndex } from '../../../shared/domain/account-index.ts';
import { Status, useLoad } from '../../components/Load.tsx';
import { useSession, type Member } from '../../stores/session.ts';
import { useLive } from '../../stores/live.ts';
import { AccountDetail } from './AccountDetail.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { NewAccountForm } from './NewAccountForm.tsx';

const ROW_HEIGHT = 44;

/** An account not simply in use says so in the list (9.2, 9.8, 9.11, 10.2). */
const STATUS_BADGES: Readonly<Record<AccountStatus, string>> = {
  requested: 'Requested',
  approved: 'Approved',
  active: 'Active',
  suspended: 'Suspended',
  closing: 'Closing',
  closed: 'Closed',
};

/** Every account, searchable and filterable, virtualised so 10,000 rows stay smooth. */
export function AccountsView({ member }: { member: Member }) {
  // Loaded again when another workstation's change has been checked (ADR 0033).
  const revision = useLive((s) => s.revision);
  const [load, reload] = useLoad(() => call('accounts.list', {}), String(revision));
  const selected = useSession((s) => s.selectedAccount);
  const select = useSession((s) => s.select);
  const askCopy = useSession((s) => s.askCopy);
  const [filters, setFilters] = useState<AccountFilters>(NO_FILTERS);
  // The search index is kept for as long as the view, and brought up to date with each list
  // `accounts.list` returns (after every change): only accounts whose text changed are indexed
  // again. A query then costs about what it finds, not a scan of every account (issue 17:
  // p95 ≤ 2 ms at 50,000 accounts, docs/BENCHMARKS.md), so the list changes in the frame the
  // letter appears. It holds only what the list holds, and of that only the search text.
  const [searchIndex] = useState(() => new AccountSearchIndex());
  const listed = useMemo(() => {
    searchIndex.sync(load.state === 'ready' ? load.value : []);
    return { load };
  }, [load, searchIndex]);
  // An administrator's own accounts (10.2), asked again with every new list (a grant may change).
  const administrator = member.role === 'admin';
  const [mine, setMine] = useState<ReadonlySet<string> | null>(null);
  const [onlyMine, setOnlyMine] = useState(false);
  useEffect(() => {
    if (!administrator || load.state !== 'ready') return;
    let current = true;
    call('accounts.mine', {})
      .then(({ accounts }) => {
        if (current) setMine(new Set(accounts));
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [administrator, load]);
  const shown = useMemo(() => {
    // A view of the list, not a copy: the rows below read only what is on screen (issue 17).
    const found =
      listed.load.state === 'ready' ? searchIndex.find(filters) : new AccountMatches([], null);
    return onlyMine && mine ? found.filter((a) => mine.has(a.id)) : found;
  }, [listed, searchIndex, filters, onlyMine, mine]);
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const set = (change: Partial<AccountFilters>) => setFilters((f) => ({ ...f, ...change }));
  const [creating, setCreating] = useState<'one' | 'csv' | null>(null);
  const mayRegister = roleMayCall(member.role, 'accounts.create');

  // The menu's "New account" (Ctrl+N in Electron) opens the form here.
  useEffect(() => {
    const onMenu = (event: Event) => {
      if ((event as CustomEvent<unknown>).detail === 'new-account' && mayRegister)
        setCreating('one');
    };
    window.addEventListener(MENU_EVENT, onMenu);
    return () => window.removeEventListener(MENU_EVENT, onMenu);
  }, [mayRegister]);

  return (
    <div className="accounts">
      <section className="account-list" aria-labelledby="accounts-title">
        <div className="title-row">
          <h1 id="accounts-title">Accounts</h1>
          {mayRegister && (
            <span className="title-actions">
              <button type="button" onClick={() => setCreating('one')}>
                Register an account…
              </button>
              <button type="button" onClick={() => setCreating('csv')}>
                Import accounts…
              </button>
            </span>
          )}
        </div>
        <div className="filters" role="search">
          <label className="visually-hidden" htmlFor="account-search">
            Search accounts
          </label>
          <input
            id="account-search"
            type="search"
            placeholder="Search handle, unit, force…"
            value={filters.text}
            onChange={(e) => set({ text: e.target.value })}
            aria-describedby="account-search-keys"
            onKeyDown={(e) => {
              // As in KeePassXC and Bitwarden: Enter or Down goes to the first result, and the
              // arrow keys go on from there in the list.
              if (e.key !== 'Enter' && e.key !== 'ArrowDown') return;
              const first = shown.at(0);
              if (!first) return;
              e.preventDefault();
              select(first.id);
              rows.scrollToIndex(0);
              scroller.current?.focus();
            }}
          />
          <span id="account-search-keys" className="visually-hidden">
            Enter or Down goes to the first result.
          </span>
          <Select
            label="Platform"
            value={filters.platform}
            options={PLATFORMS}
            onChange={(platform) => set({ platform })}
          />
          <Select
            label="Force"
            value={filters.force}
            options={FORCES}
            onChange={(force) => set({ force })}
          />
          <Select
            label="Status"
            value={filters.status}
            options={ACCOUNT_STATUSES}
            onChange={(status) => set({ status })}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={filters.due}
              onChange={(e) => set({ due: e.target.checked })}
            />{' '}
            Rotation due
          </label>
          {administrator && (
            <label className="check">
              <input
                type="checkbox"
                checked={onlyMine}
                onChange={(e) => setOnlyMine(e.target.checked)}
              />{' '}
              My accounts{mine ? ` (${mine.size})` : ''}
            </label>
          )}
        </div>
        {administrator && mine && (
          <p className="hint" id="mine-why">
            You administer {mine.size === 1 ? '1 account' : `${mine.size} accounts`}: you hold
            {mine.size === 1 ? ' its' : ' their'} login (10.2). The others show their registry
            details only, without credentials: an account&apos;s key is shared only with the Digital
            Media Team and the administrators it names.
          </p>
        )}
        <Status load={load} />
        {load.state === 'ready' && (
          <p className="count" aria-live="polite">
            {shown.length} of {load.value.length} accounts
          </p>
        )}
        <div
          ref={scroller}
          className="list-scroller"
          role="listbox"
          aria-label="Accounts"
          tabIndex={shown.length ? 0 : -1}
          aria-activedescendant={selected ? `account-${selected}` : undefined}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
            e.preventDefault();
            const at = selected ? shown.indexOfId(selected) : -1;
            const next = Math.min(
              shown.length - 1,
              Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)),
            );
            const account = shown.at(next);
            if (account) {
              select(account.id);
              rows.scrollToIndex(next);
            }
          }}
        >
          <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
            {rows.getVirtualItems().map((item) => {
              const account = shown.at(item.index)!;
              return (
                <div
                  key={account.id}
                  id={`account-${account.id}`}
                  role="option"
                  aria-selected={account.id === selected}
                  className={account.id === selected ? 'account-row selected' : 'account-row'}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW_HEIGHT,
                    transform: `translateY(${item.start}px)`,
                  }}
                  onClick={() => select(account.id)}
                  // KeePassXC's double-click: copy the password, after the reason.
                  onDoubleClick={() => {
                    select(account.id);
                    askCopy('password');
                  }}
                >
                  <span className="handle">
                    {account.platform}:{account.handle}
                  </span>
                  <span className="unit">
                    {account.unitName} · {account.force}
                  </span>
                  {account.status && account.status !== 'active' && (
                    <span className={`badge status-${account.status}`}>
                      {STATUS_BADGES[account.status]}
                    </span>
                  )}
                  {account.rotationDueSince && (
                    <span className="badge sev-action">Rotation due</span>
                  )}
                  {account.openComplaints !== undefined && (
                    <span className="badge sev-warning">Open complaint (6.4)</span>
                  )}
                  {mine?.has(account.id) && <span className="badge mine">Yours</span>}
                </div>
              );
            })}
          </div>
        </div>
      </section>
      {creating === 'one' ? (
        <NewAccountForm
          onCancel={() => setCreating(null)}
          onCreated={(id) => {
            setCreating(null);
            reload();
            select(id);
          }}
        />
      ) : creating === 'csv' ? (
        <ImportPanel onCancel={() => setCreating(null)} onImported={reload} />
      ) : selected ? (
        <AccountDetail key={selected} account={selected} member={member} onChanged={reload} />
      ) : load.state === 'ready' && load.value.length === 0 ? (
        <section className="account-detail empty" aria-label="No accounts yet">
          <p>
            <strong>No accounts are registered yet.</strong>
          </p>
          {mayRegister ? (
            <p>
              Start with &ldquo;Register an account…&rdquo; for an account the force already has
              (its login is kept here, 9.8), or &ldquo;Import accounts…&rdquo; for many at once. A
              new account is requested in Requests first (9.1–9.6).
            </p>
          ) : (
            <p>The Digital Media Team registers the force&apos;s accounts (9.8).</p>
          )}
        </section>
      ) : (
        <section className="account-detail empty">
          <p>Choose an account to see its credentials, team, findings and history.</p>
        </section>
      )}
    </div>
  );
}

function Select({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
}) {
  return (
    <label className="select">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}
