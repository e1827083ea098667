import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import { ROTATION_REASONS, type RotationReason } from '../../../shared/domain/accounts.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { ApiError, call, messageOf } from '../../api.ts';
import { Outcome } from '../../components/Field.tsx';
import { StrengthMeter } from '../../components/StrengthMeter.tsx';
import { useClipboard } from '../../stores/clipboard.ts';

const REASON_LABEL: Record<RotationReason, string> = {
  scheduled: 'Scheduled change',
  'membership-change': 'Someone left the team (10.2)',
  'lost-device': 'Lost or stolen device (10.1)',
  compromise: 'Suspected compromise',
  'security-risk': 'Security risk (9.10)',
  'owner-change': 'Owner or name change (9.9)',
};

/**
 * Record a password change (9.9, 9.10, 10.1, 10.2): why, the new password, who was told.
 *
 * Opened on the account's `version`, it sends that back (ADR 0023): if another member rotated or
 * edited the account meanwhile, nothing is saved, what was typed stays, and the message says who
 * and when. The new password is already set on the platform, so the form offers to record it
 * anyway as the current one, on the version there is now; the other member's stays in the history.
 */
export function RotateForm({
  account,
  version,
  answers,
  onDone,
  onCancel,
  defaultReason,
  focusOnOpen = false,
}: {
  account: string;
  /** The account's version when the form was opened; without it, the core checks its own read. */
  version?: number;
  answers: readonly { clause: string; evidence: string }[];
  onDone: () => void;
  /** Close the form without recording anything (what was typed is dropped). */
  onCancel?: () => void;
  defaultReason?: RotationReason;
  /** Take the focus when opened, where the control that opened it goes away (2.4.3). */
  focusOnOpen?: boolean;
}) {
  const id = useId();
  // The version the form was opened on, fixed at opening: a reload of the account behind the form
  // must not move it, or a change made meanwhile would be overwritten unseen.
  const [openedOn, setOpenedOn] = useState(version);
  /** A refused save: the message, and the account's version now to record the password on. */
  const [conflict, setConflict] = useState<{ message: string; version: number } | null>(null);
  const [reason, setReason] = useState<RotationReason>(
    defaultReason ?? (answers.length ? 'membership-change' : 'scheduled'),
  );
  const [password, setPassword] = useState('');
  const [shown, setShown] = useState(false);
  const [score, setScore] = useState<number | null>(null);
  const [informed, setInformed] = useState('');
  const [error, setError] = useState<string | null>(null);

  // The generator's own score for what it just made (from its parameters, issue 17): a generated
  // password needs no zxcvbn run to show its strength.
  const generatedScore = useRef<{ password: string; score: number } | null>(null);

  // The meter follows what is typed, a moment after the typing stops (zxcvbn runs in main).
  useEffect(() => {
    if (!password) {
      setScore(null);
      return;
    }
    if (generatedScore.current?.password === password) {
      setScore(generatedScore.current.score);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      call('generator.strength', { password })
        .then((r) => {
          if (current) setScore(r.score);
        })
        .catch(() => undefined);
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [password]);

  const [copied, setCopied] = useState<string | null>(null);
  const copiedNow = useClipboard((c) => c.copiedNow);
  /** Copy the generated password through main, to paste on the platform (cleared after 30 s). */
  async function copyGenerated() {
    setError(null);
    try {
      const { clearsInSeconds } = await call('generator.copy', { password });
      copiedNow('New password', clearsInSeconds);
      setCopied(
        `Copied: paste it on the platform now (the clipboard is cleared in ${clearsInSeconds} s), then save the rotation here.`,
      );
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function generate(kind: 'characters' | 'passphrase') {
    try {
      const generated = await call('generator.generate', { kind });
      generatedScore.current = generated;
      setCopied(null);
      setPassword(generated.password);
      setShown(true);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function save(expectedVersion: number | undefined) {
    setError(null);
    setConflict(null);
    try {
      await call('credentials.rotate', {
        account,
        reason,
        password,
        informed: informed
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        ...(expectedVersion === undefined ? {} : { expectedVersion }),
      });
      setPassword('');
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.code === ErrorCode.CONFLICT) {
        // Everything typed stays; the version to record on is the account's as it is now.
        try {
          const now = await call('accounts.detail', { account });
          setConflict({ message: e.message, version: now.account.version });
        } catch (reload) {
          setError(`${e.message} ${messageOf(reload)}`);
        }
        return;
      }
      setError(messageOf(e));
    }
  }

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    void save(openedOn);
  }

  function recordAnyway() {
    if (!conflict) return;
    setOpenedOn(conflict.version);
    void save(conflict.version);
  }

  return (
    <form className="rotate" onSubmit={submit} aria-label="Rotate password">
      <p className="platform-first" id={`${id}-platform`}>
        Custodian does not change the password on the platform. Set the new password there first
        (generate one here and copy it), then save it here, so the vault holds what the platform
        holds (9.9, 10.2).
      </p>
      {answers.length > 0 && (
        <div className="answers">
          <p>This rotation answers:</p>
          <ul>
            {answers.map((a) => (
              <li key={a.evidence}>
                <strong>{a.clause}</strong> {a.evidence}
              </li>
            ))}
          </ul>
        </div>
      )}
      <label htmlFor={`${id}-why`}>Why it changes</label>
      <select
        id={`${id}-why`}
        value={reason}
        autoFocus={focusOnOpen}
        onChange={(e) => setReason(e.target.value as RotationReason)}
      >
        {ROTATION_REASONS.map((r) => (
          <option key={r} value={r}>
            {REASON_LABEL[r]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-new`}>New password (already set on the platform)</label>
      <input
        id={`${id}-new`}
        type={shown ? 'text' : 'password'}
        autoComplete="new-password"
        spellCheck={false}
        value={password}
        onChange={(e) => {
          setShown(false);
          setCopied(null);
          setPassword(e.target.value);
        }}
        aria-describedby={`${id}-platform`}
        required
      />
      <div className="actions">
        <button type="button" onClick={() => void generate('characters')}>
          Generate 24 characters
        </button>
        <button type="button" onClick={() => void generate('passphrase')}>
          Generate 6 words
        </button>
        {password !== '' && generatedScore.current?.password === password && (
          <button type="button" onClick={() => void copyGenerated()}>
            Copy new password (cleared after 30 s)
          </button>
        )}
      </div>
      {copied && (
        <p role="status" className="notice">
          {copied}
        </p>
      )}
      {score !== null && (
        <p className="strength">
          <StrengthMeter score={score} />
        </p>
      )}
      <label htmlFor={`${id}-informed`}>People informed (policy 9.10), separated by commas</label>
      <input id={`${id}-informed`} value={informed} onChange={(e) => setInformed(e.target.value)} />
      <Outcome message={null} error={error} />
      {conflict && (
        <div className="conflict" role="alert" aria-label="Changed while you were editing">
          <p>{conflict.message}</p>
          <p>
            If the password above is the one now set on the platform, record it as the current one;
            the other member&apos;s password stays in the history.
          </p>
          <button type="button" className="primary" onClick={recordAnyway}>
            Record my new password anyway as the current one
          </button>
        </div>
      )}
      {!conflict && (
        <button type="submit" className="primary">
          Save rotation
        </button>
      )}
      {onCancel && (
        <>
          {' '}
          <button
            type="button"
            onClick={() => {
              setPassword('');
              onCancel();
            }}
          >
            Cancel
          </button>
        </>
      )}
    </form>
  );
}
