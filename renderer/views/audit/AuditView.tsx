import { roleMayCall } from '../../../shared/ipc/contract.ts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { call, messageOf } from '../../api.ts';
import { Status, useLoad } from '../../components/Load.tsx';
import type { Member } from '../../stores/session.ts';
import { ExportPanel } from './ExportPanel.tsx';
import { EntryDetail, type LogRow } from './EntryDetail.tsx';
import { localMoment, localZoneName } from '../../local-time.ts';
import { useNarrow } from '../../components/use-narrow.ts';
import { LogFilters, type LogFilter } from './LogFilters.tsx';
import { ProgressLine, useTaskProgress } from '../../components/TaskProgress.tsx';

const ROW_HEIGHT = 40;
/** Below this width a row takes two lines (WCAG 1.4.10: nothing cut off at 320 CSS px). */
const NARROW = 900;
const NARROW_ROW_HEIGHT = 96;
const PAGE = 200;

/**
 * The vault's anchor for evidence (issue 13): the founder's key fingerprint, as `custodian init`
 * printed it and the PDF cover shows it. An export checked against it cannot have been made up
 * with fresh keys; without it, or a kept checkpoint, verify-export will not call a bundle verified.
 */
function FounderFingerprint({ fingerprint }: { fingerprint: string }) {
  return (
    <div className="founder-fingerprint">
      <p>
        Founder fingerprint: <code aria-label="Founder fingerprint">{fingerprint}</code>
      </p>
      <p className="hint">
        Give this to an investigator with an exported trail, by another route than the file itself
        (read it out, or print it). They check the export with{' '}
        <code>custodian audit verify-export --founder &quot;{fingerprint}&quot; FILE</code>: it says
        verified only for a trail signed by this vault&apos;s members.
      </p>
    </div>
  );
}

/**
 * The audit trail, newest first (policy 6.4, 6.5): virtualised and fetched a page at a time, so a
 * million entries scroll like a hundred, narrowed by date, event, member or account on the
 * entries' clear columns. Verify checks every entry and signature in the vault.
 */
export function AuditView({ member }: { member: Member }) {
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pages = useRef(new Map<number, LogRow[]>());
  const pending = useRef(new Set<number>());
  const [, setVersion] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const [checkpoint, reloadCheckpoint] = useLoad(() => call('audit.checkpoint', {}));
  const [selected, setSelected] = useState<LogRow | null>(null);
  const zone = localZoneName();
  const [verdict, setVerdict] = useState<{ ok: boolean; message: string } | 'running' | null>(null);

  const [filter, setFilter] = useState<LogFilter>({});
  const filtered = Object.keys(filter).length > 0;
  // Replies for a filter no longer shown are dropped.
  const generation = useRef(0);

  const fetchPage = useCallback(
    (page: number) => {
      if (pages.current.has(page) || pending.current.has(page)) return;
      const asked = generation.current;
      pending.current.add(page);
      const filters = Object.keys(filter).length > 0 ? { filters: filter } : {};
      call('audit.page', { offset: page * PAGE, limit: PAGE, ...filters })
        .then((result) => {
          if (asked !== generation.current) return;
          pages.current.set(page, result.rows);
          setTotal(result.total);
          setVersion((v) => v + 1);
        })
        .catch((e: unknown) => {
          if (asked !== generation.current) return;
          setError(messageOf(e));
          setTotal((t) => t ?? 0);
        })
        .finally(() => pending.current.delete(page));
    },
    [filter],
  );

  /**
   * After something this view did added entries (a verify, an export, saved evidence): the
   * checkpoint and the list are read again, so the checkpoint shown is always the current one.
   */
  function refresh() {
    reloadCheckpoint();
    // A new object, so the pages are fetched again even though the filter is the same.
    applyFilter({ ...filter });
  }

  function applyFilter(next: LogFilter) {
    generation.current += 1;
    pages.current = new Map();
    pending.current = new Set();
    setTotal(null);
    setError(null);
    scroller.current?.scrollTo({ top: 0 });
    setFilter(next);
  }

  useEffect(() => fetchPage(0), [fetchPage]);

  const narrow = useNarrow(NARROW);
  const rowHeight = narrow ? NARROW_ROW_HEIGHT : ROW_HEIGHT;
  const rows = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 20,
  });
  // The rows' geometry changes with the layout: measured again on a switch.
  useEffect(() => rows.measure(), [rows, rowHeight]);
  const items = rows.getVirtualItems();
  useEffect(() => {
    for (const item of items) fetchPage(Math.floor(item.index / PAGE));
  }, [items, fetchPage]);

  const [progress, restartProgress] = useTaskProgress('verify');

  async function verify() {
    restartProgress();
    setVerdict('running');
    try {
      setVerdict(await call('audit.verify', {}));
    } catch (e) {
      setVerdict({ ok: false, message: messageOf(e) });
    }
    refresh();
  }

  return (
    <section className="audit" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit trail</h1>
      <div className="audit-tools">
        <button type="button" onClick={() => void verify()} disabled={verdict === 'running'}>
          Verify the vault and trail
        </button>
        {verdict === 'running' && (
          <ProgressLine label="Verifying" progress={progress}>
            Checking every entry and signature…
          </ProgressLine>
        )}
        {verdict !== null && verdict !== 'running' && (
          <p role="status" className={verdict.ok ? 'verdict ok' : 'verdict bad'}>
            {verdict.ok ? '✔ ' : '✖ '}
            {verdict.message}
          </p>
        )}
      </div>
      {roleMayCall(member.role, 'audit.export') && (
        <details className="export">
          <summary>Export the trail (JSON Lines, CSV or PDF)</summary>
          <ExportPanel onExported={refresh} />
        </details>
      )}
      <Status load={checkpoint} />
      {checkpoint.state === 'ready' && (
        <div className="checkpoint">
          <label htmlFor="checkpoint-text">
            Current signed checkpoint: {checkpoint.value.size} entries, root{' '}
            {checkpoint.value.root.slice(0, 16)}… Keep a copy to prove later that the trail was only
            ever extended.
          </label>
          <textarea id="checkpoint-text" readOnly rows={5} value={checkpoint.value.text} />
          <FounderFingerprint fingerprint={checkpoint.value.founderFingerprint} />
        </div>
      )}
      <LogFilters onApply={applyFilter} />
      {selected && (
        <EntryDetail
          row={selected}
          member={member}
          onClose={() => {
            const seq = selected.seq;
            setSelected(null);
            // Back to the row it was opened from, when it is still drawn.
            requestAnimationFrame(() =>
              scroller.current?.querySelector<HTMLElement>(`[data-seq="${seq}"]`)?.focus(),
            );
          }}
          onSaved={refresh}
        />
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p className="count" aria-live="polite">
        {total === null
          ? 'Loading…'
          : filtered
            ? `${total} ${total === 1 ? 'entry matches' : 'entries match'}, newest first`
            : `${total} entries, newest first`}
      </p>
      <div className="audit-head" aria-hidden="true">
        <span>#</span>
        <span>When ({zone})</span>
        <span>Event</span>
        <span>Who</span>
        <span>Account</span>
        <span>Reason / details (open an entry for all of it)</span>
      </div>
      <div
        ref={scroller}
        className="list-scroller audit-scroller"
        role="list"
        aria-label="Audit entries"
        tabIndex={0}
      >
        <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = pages.current.get(Math.floor(item.index / PAGE))?.[item.index % PAGE];
            return (
              <div
                key={item.index}
                role="listitem"
                className="audit-row"
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: rowHeight,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                {row ? (
                  <button
                    type="button"
                    className="audit-row-open"
                    data-seq={row.seq}
                    aria-expanded={selected?.seq === row.seq}
                    onClick={() => setSelected(row)}
                  >
                    <span>{row.seq}</span>
                    <span>
                      <time dateTime={row.at}>{localMoment(row.at, { seconds: true })}</time>
                    </span>
                    <span title={row.event}>{row.label}</span>
                    <span>{row.actor}</span>
                    <span>{row.account}</span>
                    <span className="details">
                      {[row.reason, row.details].filter(Boolean).join(' — ')}
                    </span>
                  </button>
                ) : (
                  <span>Loading…</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
