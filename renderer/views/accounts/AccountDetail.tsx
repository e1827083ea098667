import { useEffect, useId, useRef, useState } from 'react';
import { localMoment } from '../../local-time.ts';
import { roleMayCall } from '../../../shared/ipc/contract.ts';
import type { RevealField } from '../../../shared/domain/credentials.ts';
import { holdsTeamKey } from '../../../shared/domain/roles.ts';
import { isAllowedExternal } from '../../../shared/external-links.ts';
import { call } from '../../api.ts';
import { useAction } from '../../components/useAction.ts';
import { Outcome } from '../../components/Field.tsx';
import { Status, useLoad } from '../../components/Load.tsx';
import { RotateForm } from './RotateForm.tsx';
import { ReasonPrompt } from './ReasonPrompt.tsx';
import { useSession, type CopyField, type Member } from '../../stores/session.ts';
import { useLive } from '../../stores/live.ts';
import { useClipboard } from '../../stores/clipboard.ts';
import { TeamPanel } from './TeamPanel.tsx';
import { ClosePanel } from './ClosePanel.tsx';
import { AdministratorsPanel } from './AdministratorsPanel.tsx';
import { ComplaintsPanel } from './ComplaintsPanel.tsx';
import { AppsPanel } from './AppsPanel.tsx';
import { CredentialExtrasForm, type ExtrasKind } from './CredentialExtrasForm.tsx';
import { DetailsForm } from './DetailsForm.tsx';

/** How long a revealed secret stays on screen before it is hidden and dropped from memory. */
const REVEAL_SECONDS = 20;

export function AccountDetail({
  account,
  member,
  onChanged,
}: {
  account: string;
  member: Member;
  onChanged: () => void;
}) {
  // The open account, loaded again after another workstation's checked change (ADR 0033); a form
  // open on it keeps the version it was opened on, so a save on the old one is still a conflict.
  const revision = useLive((s) => s.revision);
  const [load, reload] = useLoad(
    () => call('accounts.detail', { account }),
    `${account}:${revision}`,
  );
  /** What a closure just did, said where the person is looking (focus goes to it). */
  const [closure, setClosure] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  /** The registry details form (9.8, 9.13, NCSC 2FA) is open. */
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  if (load.state !== 'ready')
    return (
      <section className="account-detail">
        <Status load={load} />
      </section>
    );
  const { account: a, findings, history, team, canReadCredentials, canEdit } = load.value;
  const refresh = () => {
    reload();
    onChanged();
  };
  const label = `${a.platform}:${a.handle}`;
  const closed = (a.status ?? 'active') === 'closed';
  return (
    // A scrolling region of its own: focusable, so the keyboard scrolls it even when it holds no
    // control (security staff, an administrator on another's account; WCAG 2.1.1).
    <section className="account-detail" aria-labelledby="detail-title" tabIndex={0}>
      <h2 id="detail-title" ref={heading} tabIndex={-1}>
        {a.platform}:{a.handle}
      </h2>
      {closure && (
        <p role="status" className="notice">
          {closure}
        </p>
      )}
      {load.value.doNotPost.map((notice) => (
        <p key={notice} className="quiet quiet-banner" role="note" aria-label="Quiet period (6.6)">
          {notice}
        </p>
      ))}
      <dl className="facts">
        <dt>Unit</dt>
        <dd>
          {a.unitName} ({a.unitType}, {a.force})
        </dd>
        {load.value.username !== null && (
          <>
            <dt>Username</dt>
            <dd>
              <code className="username">{load.value.username}</code>
            </dd>
          </>
        )}
        {a.profileUrl && (
          <>
            <dt>Profile</dt>
            <dd>
              <ProfileLink url={a.profileUrl} />
            </dd>
          </>
        )}
        <dt>Status</dt>
        <dd>{a.status ?? 'active'}</dd>
        <dt>Two-factor</dt>
        <dd>{a.twoFactor ?? 'not recorded'}</dd>
        <dt>Last rotated</dt>
        <dd>{a.lastRotatedAt ? a.lastRotatedAt.slice(0, 10) : 'never'}</dd>
        {a.rotationDueSince && (
          <>
            <dt>Rotation due</dt>
            <dd className="due">since {a.rotationDueSince.slice(0, 10)} (policy 10.2)</dd>
          </>
        )}
        {a.notes && (
          <>
            <dt>Notes</dt>
            <dd className="notes">{a.notes}</dd>
          </>
        )}
      </dl>
      {roleMayCall(member.role, 'accounts.set-details') && !closed && (
        <>
          {!editing ? (
            <button
              type="button"
              ref={editButton}
              onClick={() => setEditing(true)}
              aria-label={`Edit details of ${label}`}
            >
              Edit details…
            </button>
          ) : (
            <DetailsForm
              account={a}
              onCancel={() => setEditing(false)}
              onDone={(said) => {
                setEditing(false);
                setClosure(said);
                refresh();
                heading.current?.focus();
              }}
            />
          )}
        </>
      )}
      {!canReadCredentials && <NoCredentials role={member.role} />}
      {canReadCredentials && (
        <Credentials
          account={a.id}
          label={label}
          closed={closed}
          lastReason={load.value.lastReason}
          version={a.version}
          onRotated={refresh}
          findings={findings}
          hasTotp={load.value.hasTotp}
        />
      )}
      <AdministratorsPanel
        account={a.id}
        label={`${a.platform}:${a.handle}`}
        administrators={load.value.administrators}
        candidates={load.value.adminCandidates}
        canGrant={
          roleMayCall(member.role, 'accounts.grant-admin') &&
          !['requested', 'approved', 'closed'].includes(a.status ?? 'active')
        }
        canEnd={holdsTeamKey(member.role)}
        onChanged={refresh}
      />
      <TeamPanel
        account={a.id}
        team={team}
        canChange={canEdit && roleMayCall(member.role, 'team.grant')}
        // 9.11: a closed account has no team to join; access can still be removed.
        canGive={!closed}
        onChanged={refresh}
      />
      {/* Policy records (issue 15): complaints and breaches (6.4), third-party apps (6.3, 10.2). */}
      <ComplaintsPanel
        account={a.id}
        label={label}
        canChange={canEdit && roleMayCall(member.role, 'complaints.record')}
        onChanged={refresh}
      />
      <AppsPanel
        account={a.id}
        label={label}
        canAdd={canEdit && roleMayCall(member.role, 'apps.add')}
        onChanged={refresh}
      />
      {canEdit && roleMayCall(member.role, 'accounts.close') && !closed && (
        <ClosePanel
          account={a.id}
          onClosed={(status, handedOver) => {
            setClosure(closureNotice(label, status, handedOver));
            refresh();
            heading.current?.focus();
          }}
        />
      )}
      <h3>Findings ({findings.length})</h3>
      {findings.length === 0 ? (
        <p>No findings: this account meets the policy as far as the vault knows.</p>
      ) : (
        <ul className="finding-list">
          {findings.map((f) => (
            <li key={`${f.rule}:${f.subject.id}`}>
              <span className={`badge sev-${f.severity}`}>{f.severity}</span>{' '}
              <strong>{f.clause}</strong> {f.evidence} <em>{f.action}</em>
            </li>
          ))}
        </ul>
      )}
      <h3>History</h3>
      <ol className="timeline">
        {history.map((event, i) => (
          <li key={`${event.at}:${i}`}>
            <time dateTime={event.at}>{localMoment(event.at)}</time> {event.summary}
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * The account's profile page: a link that opens in the system browser when main's allowlist lets
 * it (the platforms' own sites; main decides again when it is clicked), plain text otherwise, so a
 * registry entry cannot send a member to any page it names.
 */
function ProfileLink({ url }: { url: string }) {
  if (!isAllowedExternal(url))
    return (
      <>
        <span className="url">{url}</span>{' '}
        <span className="hint">(not a platform address the console opens: check it first)</span>
      </>
    );
  return (
    <a href={url} target="_blank" rel="noopener noreferrer" className="url">
      {url}
      <span className="visually-hidden"> (opens in your browser)</span>
    </a>
  );
}

/** Why this member sees no credentials here (10.2; DESIGN.md "Who uses it"). */
function NoCredentials({ role }: { role: Member['role'] }) {
  if (role === 'admin')
    return (
      <p className="hint no-credentials">
        No credentials shown: you do not administer this account. Its login is shared only with the
        Digital Media Team and the administrators it names (10.2); ask the team if you need to be
        named.
      </p>
    );
  if (role === 'security')
    return (
      <p className="hint no-credentials">
        No credentials shown: security staff read the registry, its health and the audit trail,
        never a login (the vault gives your role no key that opens one).
      </p>
    );
  return null;
}

/** What each copy is called where the person reads it. */
const COPIED: Record<CopyField, string> = {
  username: 'Username',
  password: 'Password',
  totp: 'TOTP code',
};

/** What a closure did, in words (9.11, 9.12), from the status it left the account in. */
function closureNotice(label: string, status: string | null, handedOver: boolean): string {
  if (handedOver) return `${label} is handed over to be continued (9.12); recorded in its history.`;
  return status === 'closed'
    ? `${label} is closed (9.11) and recorded in its history. Nobody can be given access to it now.`
    : `Closure of ${label} begun (9.11) and recorded. Close it once the public has been told where to go instead.`;
}

function Credentials({
  account,
  label,
  closed,
  lastReason,
  version,
  onRotated,
  findings,
  hasTotp,
}: {
  account: string;
  label: string;
  /** A closed account is not rotated (9.11): its password is kept for the record only. */
  closed: boolean;
  lastReason: string | null;
  /** The account's version as loaded: the rotate form is opened on it (ADR 0023). */
  version: number;
  onRotated: () => void;
  findings: readonly { rule: string; clause: string; evidence: string }[];
  hasTotp: boolean;
}) {
  const id = useId();
  const [totp, setTotp] = useState<{ code: string; secondsLeft: number } | null>(null);
  // The member's last reason for this account, to edit or keep (issue 15; 6.5).
  const [reason, setReason] = useState(lastReason ?? '');
  /** A copy asked for by a shortcut, the menu or a double-click, waiting for its reason. */
  const [asking, setAsking] = useState<CopyField | null>(null);
  const copyAsked = useSession((s) => s.copyAsked);
  const askCopy = useSession((s) => s.askCopy);
  const copiedNow = useClipboard((s) => s.copiedNow);
  const [revealed, setRevealed] = useState<{ field: RevealField; value: string } | null>(null);
  const { message, error, act, setMessage } = useAction();
  const [rotating, setRotating] = useState(false);
  const rotateButton = useRef<HTMLButtonElement>(null);
  /** The TOTP secret or recovery codes being set (9.8), if either. */
  const [extras, setExtras] = useState<ExtrasKind | null>(null);
  const extrasButton = useRef<HTMLButtonElement>(null);

  // A revealed secret is dropped after REVEAL_SECONDS, and when this view goes away (lock included).
  useEffect(() => {
    if (revealed === null) return;
    const timer = setTimeout(() => setRevealed(null), REVEAL_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [revealed]);

  // The code counts down and is dropped when it expires; a new one needs a new (audited) request.
  useEffect(() => {
    if (totp === null) return;
    const timer = setTimeout(
      () => setTotp(totp.secondsLeft <= 1 ? null : { ...totp, secondsLeft: totp.secondsLeft - 1 }),
      1000,
    );
    return () => clearTimeout(timer);
  }, [totp]);

  const reveal = (field: RevealField) =>
    act(async () => {
      setRevealed(null);
      setRevealed(await call('credentials.reveal', { account, field, reason }));
    });
  const showTotp = () =>
    act(async () => {
      setTotp(await call('credentials.totp', { account, reason }));
    });
  const copy = (field: CopyField, why = reason) =>
    act(async () => {
      const { clearsInSeconds } = await call('credentials.copy', { account, field, reason: why });
      copiedNow(COPIED[field], clearsInSeconds);
    });

  // Ctrl+C, Ctrl+B, Ctrl+T, the menu and a double-click in the list ask here (Shell, AccountsView).
  useEffect(() => {
    if (copyAsked === null) return;
    askCopy(null);
    if (copyAsked === 'totp' && !hasTotp) {
      setMessage('This account has no TOTP secret registered, so there is no code to copy.');
      return;
    }
    setAsking(copyAsked);
  }, [copyAsked, askCopy, hasTotp, setMessage]);
  return (
    <div className="credentials">
      <h3>Credentials</h3>
      <label htmlFor={`${id}-reason`}>
        Reason for access (recorded in the audit trail, policy 6.5)
      </label>
      <input
        id={`${id}-reason`}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder="e.g. posting the appeal for witnesses"
        maxLength={500}
      />
      <div className="actions">
        <button type="button" onClick={() => void reveal('password')}>
          Reveal password
        </button>
        <button type="button" onClick={() => void copy('username')}>
          Copy username
        </button>
        <button type="button" onClick={() => void copy('password')}>
          Copy password
        </button>
        <button type="button" onClick={() => void reveal('recovery-codes')}>
          Reveal recovery codes
        </button>
        {hasTotp && (
          <button type="button" onClick={() => void showTotp()}>
            Show TOTP code
          </button>
        )}
        {hasTotp && (
          <button type="button" onClick={() => void copy('totp')}>
            Copy TOTP code
          </button>
        )}
        {!closed && (
          <button
            type="button"
            ref={extras === 'totp' ? extrasButton : undefined}
            onClick={() => setExtras((k) => (k === 'totp' ? null : 'totp'))}
            aria-expanded={extras === 'totp'}
          >
            {hasTotp ? 'Change TOTP secret…' : 'Set TOTP secret…'}
          </button>
        )}
        {!closed && (
          <button
            type="button"
            ref={extras === 'recovery-codes' ? extrasButton : undefined}
            onClick={() => setExtras((k) => (k === 'recovery-codes' ? null : 'recovery-codes'))}
            aria-expanded={extras === 'recovery-codes'}
          >
            Set recovery codes…
          </button>
        )}
        {!closed && (
          <button
            type="button"
            ref={rotateButton}
            onClick={() => setRotating((r) => !r)}
            aria-expanded={rotating}
          >
            Rotate password…
          </button>
        )}
      </div>
      {totp && (
        <p className="totp">
          <span className="visually-hidden">TOTP code: </span>
          <code data-testid="totp-code">{totp.code}</code>{' '}
          <progress max={30} value={totp.secondsLeft} aria-label="Seconds until the code changes" />{' '}
          {totp.secondsLeft} s
        </p>
      )}
      {revealed !== null && revealed.field !== 'recovery-codes' && (
        <p className="revealed">
          <span className="visually-hidden">
            {revealed.field === 'password' ? 'Password' : 'Username'}:{' '}
          </span>
          <code data-testid={`revealed-${revealed.field}`}>{revealed.value}</code>{' '}
          <button type="button" onClick={() => setRevealed(null)}>
            Hide
          </button>
        </p>
      )}
      {revealed?.field === 'recovery-codes' && (
        <div className="revealed">
          <p>Recovery codes (9.8: to recover the account if it is hacked), each usable once:</p>
          <ol data-testid="revealed-recovery-codes" aria-label="Recovery codes">
            {revealed.value.split('\n').map((code, i) => (
              <li key={`${i}:${code}`}>
                <code>{code}</code>
              </li>
            ))}
          </ol>
          <button type="button" onClick={() => setRevealed(null)}>
            Hide
          </button>
        </div>
      )}
      {asking && (
        <ReasonPrompt
          key={asking}
          title={`Copy the ${COPIED[asking].toLowerCase()} of ${label}`}
          initialReason={reason}
          onCancel={() => setAsking(null)}
          onCopy={(why) => {
            setAsking(null);
            setReason(why);
            void copy(asking, why);
          }}
        />
      )}
      {extras && (
        <CredentialExtrasForm
          key={extras}
          account={account}
          label={label}
          kind={extras}
          version={version}
          hasTotp={hasTotp}
          onCancel={() => {
            setExtras(null);
            extrasButton.current?.focus();
          }}
          onDone={(said) => {
            setExtras(null);
            setMessage(said);
            onRotated();
            extrasButton.current?.focus();
          }}
        />
      )}
      <Outcome message={message} error={error} />
      {rotating && (
        <RotateForm
          account={account}
          version={version}
          answers={findings.filter(
            (f) => f.rule === 'leaver-rotation-due' || f.rule === 'lost-device-exposure',
          )}
          onCancel={() => {
            setRotating(false);
            rotateButton.current?.focus();
          }}
          onDone={() => {
            setRotating(false);
            setMessage('Password changed and recorded.');
            onRotated();
            // The form is gone: back to the button that opened it, beside what was said.
            rotateButton.current?.focus();
          }}
        />
      )}
    </div>
  );
}
