import { useEffect, useRef } from 'react';
import { call } from '../api.ts';
import { MENU_EVENT } from '../../shared/ipc/channels.ts';
import { useSession, type CopyField, type Member, type View } from '../stores/session.ts';
import { ClipboardNotice } from './ClipboardNotice.tsx';
import { LiveUpdateNotice } from './LiveUpdateNotice.tsx';
import { DashboardView } from '../views/dashboard/DashboardView.tsx';
import { AccountsView } from '../views/accounts/AccountsView.tsx';
import { AuditView } from '../views/audit/AuditView.tsx';
import { PeopleView } from '../views/people/PeopleView.tsx';
import { DevicesView } from '../views/devices/DevicesView.tsx';
import { SettingsView } from '../views/settings/SettingsView.tsx';
import { RequestsView } from '../views/requests/RequestsView.tsx';
import { MembersView } from '../views/members/MembersView.tsx';
import { GeneratorView } from '../views/generator/GeneratorView.tsx';
import { roleMayCall } from '../../shared/ipc/contract.ts';

const VIEWS: { id: View; label: string }[] = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'requests', label: 'Requests' },
  { id: 'people', label: 'People' },
  { id: 'devices', label: 'Devices' },
  { id: 'audit', label: 'Audit trail' },
  { id: 'generator', label: 'Generator' },
  { id: 'members', label: 'Members' },
  { id: 'settings', label: 'Settings' },
];

/** KeePassXC's copy keys: Ctrl+C password, Ctrl+B username, Ctrl+T the TOTP code. */
const COPY_KEYS: Readonly<Record<string, CopyField>> = { c: 'password', b: 'username', t: 'totp' };
const MENU_COPIES: Readonly<Record<string, CopyField>> = {
  'copy-password': 'password',
  'copy-username': 'username',
  'copy-totp': 'totp',
};

/** Where Ctrl+C is the ordinary Copy: text selected, or typing in a field. */
function ordinaryCopy(target: EventTarget | null): boolean {
  if ((getSelection()?.toString() ?? '') !== '') return true;
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

const ROLE_NAMES = {
  lead: 'Team lead',
  dmt: 'Digital Media Team',
  admin: 'Account administrator',
  security: 'Security (audit only)',
} as const;

/** The unlocked console: who you are, the views, and Lock (Ctrl+L). */
export function Shell({ member }: { member: Member }) {
  const view = useSession((s) => s.view);
  const show = useSession((s) => s.show);
  const locked = useSession((s) => s.locked);
  const askCopy = useSession((s) => s.askCopy);
  const firstUse = useSession((s) => s.firstUse);
  const trustedOnFirstUse = useSession((s) => s.trustedOnFirstUse);
  const main = useRef<HTMLElement>(null);

  function lock() {
    void call('vault.lock', {}).finally(() => locked(null));
  }

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === 'l') {
        event.preventDefault();
        lock();
      } else if (key === 'f') {
        // Electron's menu sends Find itself; in the preview the page hears the key.
        event.preventDefault();
        window.dispatchEvent(new CustomEvent(MENU_EVENT, { detail: 'find' }));
      } else if (COPY_KEYS[key] && !event.altKey) {
        if (key === 'c' && !event.shiftKey && ordinaryCopy(event.target)) return;
        const { view: shown, selectedAccount } = useSession.getState();
        if (shown !== 'accounts' || selectedAccount === null) return;
        event.preventDefault();
        askCopy(COPY_KEYS[key]);
      }
    };
    // Find (Ctrl+F, from the menu in Electron): open Accounts with the search box focused.
    const onMenu = (event: Event) => {
      const command = (event as CustomEvent<unknown>).detail;
      if (command === 'find') {
        show('accounts');
        setTimeout(() => document.getElementById('account-search')?.focus(), 0);
      }
      // The menu's copies act on the account shown, asking the reason first.
      const field = typeof command === 'string' ? MENU_COPIES[command] : undefined;
      if (field) askCopy(field);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener(MENU_EVENT, onMenu);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener(MENU_EVENT, onMenu);
    };
  });

  useEffect(() => {
    main.current?.focus();
  }, [view]);

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Custodian</span>
        <nav aria-label="Views">
          {VIEWS.filter(
            // The generator is for members who may read credentials (security staff may not).
            (v) => v.id !== 'generator' || roleMayCall(member.role, 'generator.generate'),
          ).map((v) => (
            <button
              key={v.id}
              type="button"
              className={view === v.id ? 'nav active' : 'nav'}
              aria-current={view === v.id ? 'page' : undefined}
              onClick={() => show(v.id)}
            >
              {v.id === 'members' && member.role !== 'lead' ? 'Passphrase' : v.label}
            </button>
          ))}
        </nav>
        <span className="who">
          {member.name} · {ROLE_NAMES[member.role]}
        </span>
        <button type="button" onClick={lock} title="Lock (Ctrl+L)">
          Lock
        </button>
      </header>
      <ClipboardNotice />
      {firstUse && (
        <div className="first-use notice">
          <p>
            This workstation had not opened this vault before, so it trusts the vault as it is now
            (first use). From now on, every open checks that the vault extends what was seen here,
            and refuses an older copy or another history.
          </p>
          <button type="button" onClick={() => trustedOnFirstUse(false)}>
            Understood
          </button>
        </div>
      )}
      <main ref={main} tabIndex={-1} className="content">
        {view === 'dashboard' && <DashboardView />}
        {view === 'accounts' && <AccountsView member={member} />}
        {view === 'audit' && <AuditView member={member} />}
        {view === 'people' && <PeopleView member={member} />}
        {view === 'devices' && <DevicesView member={member} />}
        {view === 'settings' && <SettingsView member={member} />}
        {view === 'requests' && <RequestsView member={member} />}
        {view === 'members' && <MembersView member={member} />}
        {view === 'generator' && <GeneratorView />}
      </main>
      {/* Under the views, in the column: it takes its own space and covers nothing. */}
      <LiveUpdateNotice />
    </div>
  );
}
