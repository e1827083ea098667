import { Fragment, useEffect, useId, useRef, useState } from 'react';
import {
  UNAUTHENTICATED_KINDS,
  UNAUTHENTICATED_REPORT_NOTE,
} from '../../../shared/domain/audit.ts';
import type { AuditKind } from '../../../shared/domain/audit.ts';
import { roleMayCall, type ResponseOf } from '../../../shared/ipc/contract.ts';
import { call } from '../../api.ts';
import { Outcome } from '../../components/Field.tsx';
import { FileField, fileHandle, NO_FILE, type FileChoice } from '../../components/FileField.tsx';
import { ReplaceFile } from '../../components/ReplaceFile.tsx';
import { useFileSave } from '../../components/useFileSave.ts';
import { localMoment } from '../../local-time.ts';
import type { Member } from '../../stores/session.ts';

export type LogRow = ResponseOf<'audit.page'>['rows'][number];

/**
 * One entry of the trail in full (issue 15: details expand instead of being cut off): every
 * detail on its own line with names, not ids, the time in the member's zone and in UTC, and, for
 * lead and security, the entry's own evidence file (`audit evidence`): the entry, its inclusion
 * proof, the signed checkpoint and the signer's chain, checkable offline on its own (6.4, 6.5).
 */
export function EntryDetail({
  row,
  member,
  onClose,
  onSaved,
}: {
  row: LogRow;
  member: Member;
  onClose: () => void;
  onSaved: () => void;
}) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // Focus follows the person to what they opened (WCAG 2.4.3).
  useEffect(() => heading.current?.focus(), [row.seq]);
  const unauthenticated = UNAUTHENTICATED_KINDS.has(row.event as AuditKind);

  return (
    <section
      className="entry-detail"
      aria-labelledby={`${id}-title`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        Entry #{row.seq}: {row.label}
      </h2>
      {unauthenticated && (
        <p className="error" role="note">
          {UNAUTHENTICATED_REPORT_NOTE}
        </p>
      )}
      <dl className="entry-fields">
        <dt>When</dt>
        <dd>
          <time dateTime={row.at}>{localMoment(row.at, { seconds: true })}</time>{' '}
          <span className="hint">({row.at} in UTC, as the trail records it)</span>
        </dd>
        <dt>Event</dt>
        <dd>
          {row.label} <code>{row.event}</code>
        </dd>
        <dt>Who</dt>
        <dd>{row.actor}</dd>
        {row.account && (
          <>
            <dt>Account</dt>
            <dd>{row.account}</dd>
          </>
        )}
        {row.reason && (
          <>
            <dt>Reason given</dt>
            <dd>{row.reason}</dd>
          </>
        )}
        {row.fields.map(({ name, value }) => (
          <Fragment key={name}>
            <dt>{fieldName(name)}</dt>
            <dd className="entry-value">{value}</dd>
          </Fragment>
        ))}
      </dl>
      {roleMayCall(member.role, 'audit.evidence') && (
        <EvidenceForm seq={row.seq} onSaved={onSaved} />
      )}
      <button type="button" onClick={onClose}>
        Close entry #{row.seq}
      </button>
    </section>
  );
}

/** Save this one entry's evidence to a file; an existing file only after "Replace". */
function EvidenceForm({ seq, onSaved }: { seq: number; onSaved: () => void }) {
  const id = useId();
  const [out, setOut] = useState<FileChoice>(NO_FILE);
  const { existing, busy, message, error, save, setError, keep } = useFileSave();

  const saveTo = (replacing: string | null) =>
    save(
      () => fileHandle(out, 'export', 'json'),
      async (file, replace) => {
        const result = await call('audit.evidence', { seq, file, ...(replace ? { replace } : {}) });
        onSaved();
        return (
          `Saved the evidence for entry #${result.seq} to ${out.text}, proved against the checkpoint of ${result.treeSize} entries (root ${result.root.slice(0, 16)}…). ` +
          'Anyone can check it offline with `custodian audit verify-export`.'
        );
      },
      replacing,
    );

  return (
    <form
      className="evidence-form"
      aria-label={`Evidence for entry #${seq}`}
      onSubmit={(e) => {
        e.preventDefault();
        void saveTo(null);
      }}
    >
      <label htmlFor={`${id}-out`}>Save this entry as evidence (file path)</label>
      <FileField
        id={`${id}-out`}
        value={out}
        onChange={(choice) => {
          setOut(choice);
          keep();
        }}
        purpose="export"
        extension="json"
        placeholder={`/path/to/entry-${seq}.json`}
        onError={setError}
      />
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Save evidence'}
      </button>
      {existing && (
        <ReplaceFile
          name={out.text}
          what={`the evidence for entry #${seq}`}
          onReplace={() => void saveTo(existing)}
          onKeep={keep}
        />
      )}
      <Outcome message={message} error={error} />
    </form>
  );
}

/** A detail's key as a heading: "lost_on" and "not-exposed" read "Lost on", "Not exposed". */
function fieldName(key: string): string {
  const words = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
