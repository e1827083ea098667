import type { AuditEntry } from '../../../shared/domain/audit.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { toHex } from '../crypto/hash.ts';
import { resolveAccount } from '../domain/accounts.ts';
import { findMemberByName } from '../domain/members.ts';
import { parseDate } from '../domain/input.ts';
import { resolvePerson } from '../domain/people.ts';
import { invalidInput, VaultError } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { auditStore, type AuditEntryRow } from '../store/audit-store.ts';
import { BUNDLE_FORMAT, type ExportFilters, type HeaderLine } from './bundle.ts';
import { originOf, parseCheckpoint } from './checkpoint.ts';
import { auditKindSchema, requireKnownKind } from './entry.ts';
import { openAuditDetails } from '../store/audit-entry-codec.ts';
import { matchesFilters, type ResolvedFilters } from './entry-pages.ts';
import type { ProgressReporter } from '../progress.ts';
import { checkDestination, type OutputOptions } from '../output-file.ts';
import { OutputFile, storageError } from './export-file.ts';
import { writeJsonl } from './export-jsonl.ts';
import { writeCsv } from './export-csv.ts';
import { writePdf } from './export-pdf.ts';

/** Entries between two progress reports (and the store's page size while streaming). */
const PROGRESS_EVERY = 1000;

export const EXPORT_FORMATS = ['jsonl', 'csv', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportResult {
  readonly entries: number;
  readonly treeSize: number;
  readonly root: string;
}

/**
 * Filters as a person gives them (dates, platform:handle, names, an event kind or family) resolved
 * to what the entries hold; a name that matches nothing, or an unknown kind, is a clear error.
 */
export function resolveFilters(session: VaultSession, filters: ExportFilters): ResolvedFilters {
  if (
    filters.kind &&
    !auditKindSchema.options.some((k) => k === filters.kind || k.startsWith(`${filters.kind}.`))
  ) {
    throw invalidInput(
      `Unknown event kind "${filters.kind}": use one the trail records, such as "credential.revealed" or "credential".`,
    );
  }
  return {
    ...(filters.from ? { from: parseDate(filters.from, 'The --from date') } : {}),
    ...(filters.to ? { to: parseDate(filters.to, 'The --to date') } : {}),
    ...(filters.account ? { accountId: resolveAccount(session, filters.account).id } : {}),
    ...(filters.person ? { personId: resolvePerson(session, filters.person).id } : {}),
    ...(filters.actor ? { actorId: findMemberByName(session, filters.actor).id } : {}),
    ...(filters.kind ? { kind: filters.kind } : {}),
  };
}

/**
 * Export the audit trail (policy 6.4, 6.5, 6.14): `lead` and `security` only, and the export is
 * itself audited first, so the trail it carries includes the record of its own making. Entries are
 * streamed from the database; a million-entry trail never sits in memory as objects.
 */
export async function exportAudit(
  session: VaultSession,
  options: {
    format: ExportFormat;
    out: string;
    /** Replace an existing file at `out` (the person confirmed it); never the vault's own files. */
    replace?: boolean;
    filters?: ExportFilters;
    since?: string;
    /** Awaited after every page; may throw to stop the export (nothing is then written). */
    onProgress?: ProgressReporter;
  },
): Promise<ExportResult> {
  const filters = options.filters ?? {};
  const resolved = resolveFilters(session, filters);
  const since = options.since === undefined ? undefined : parseSince(options.since);
  const output: OutputOptions = { vaultPath: session.path, replace: options.replace ?? false };
  // Refused before anything is recorded or read: an existing file, a folder, the vault itself.
  checkDestination(options.out, output);
  session.write(({ audit }) =>
    audit({
      kind: 'audit.exported',
      details: { format: options.format, ...stringFilters(filters) },
    }),
  );
  const latest = auditStore.latestCheckpoint(session.db);
  if (!latest) throw new VaultError(ErrorCode.INTEGRITY, 'The audit trail has no checkpoint.');
  const filtered = Object.keys(resolved).length > 0;
  const header: HeaderLine = {
    type: 'header',
    format: BUNDLE_FORMAT,
    vault: session.vaultId,
    origin: originOf(session.vaultId),
    exportedAt: session.clock().toISOString(),
    exportedBy: { id: session.member.id, name: session.member.name },
    filters: stringFilters(filters),
    filtered,
    treeSize: latest.size,
    root: toHex(latest.root),
  };
  let file: OutputFile | undefined;
  try {
    file = new OutputFile(options.out, output);
    let count: number;
    const progress = options.onProgress ?? (() => undefined);
    if (options.format === 'jsonl') {
      count = await writeJsonl(session, file, header, resolved, {
        filtered,
        since,
        latest,
        progress,
      });
    } else if (options.format === 'csv') {
      count = await writeCsv(
        session,
        file,
        streamEntries(session, latest.size, resolved, progress),
      );
    } else {
      const entries = streamEntries(session, latest.size, resolved, progress);
      count = await writePdf(session, file, header, entries, latest.root);
    }
    await progress(latest.size, latest.size);
    file.commit();
    return { entries: count, treeSize: latest.size, root: toHex(latest.root) };
  } catch (error) {
    file?.abandon();
    throw storageError(error);
  }
}

function stringFilters(filters: ExportFilters): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

function parseSince(text: string) {
  try {
    return parseCheckpoint(text);
  } catch (error) {
    throw invalidInput(`The --since checkpoint is not readable: ${(error as Error).message}.`);
  }
}

/**
 * Entries 1..size in order, opened and filtered, with progress awaited every page. The store's
 * iterator reads pages with .all(), so no SQLite cursor stays open while the progress lets a lock in.
 */
async function* streamEntries(
  session: VaultSession,
  size: number,
  filters: ResolvedFilters,
  progress: ProgressReporter,
): AsyncGenerator<AuditEntry & { leaf: Uint8Array }> {
  for (const row of auditStore.iterateEntries(session.db, PROGRESS_EVERY)) {
    if (row.seq > size) break;
    if (row.seq % PROGRESS_EVERY === 0) await progress(row.seq, size);
    const entry = openEntryRow(session, row);
    if (matchesFilters(entry, filters)) yield entry;
  }
}

/** A stored entry opened: its details checked against their shape, its kind one Custodian writes. */
export function openEntryRow(
  session: VaultSession,
  row: AuditEntryRow,
): AuditEntry & { leaf: Uint8Array } {
  return {
    seq: row.seq,
    at: row.at,
    kind: requireKnownKind(row.seq, row.kind),
    actor: row.actor_id,
    account: row.account_id,
    details: openAuditDetails(session.keys.vault, row),
    leaf: row.leaf_hash,
  };
}
