import Papa from 'papaparse';
import {
  UNAUTHENTICATED_KINDS,
  UNAUTHENTICATED_REPORT_NOTE,
  type AuditEntry,
} from '../../../shared/domain/audit.ts';
import { accountLabel } from '../../../shared/domain/accounts.ts';
import { assertNever, ErrorCode } from '../../../shared/errors.ts';
import { toHex } from '../crypto/hash.ts';
import { sign } from '../crypto/keys.ts';
import { openAccountProfile, resolveAccount } from '../domain/accounts.ts';
import { findMemberByName } from '../domain/members.ts';
import { openMember, roleOf } from '../domain/member-records.ts';
import { parseDate } from '../domain/input.ts';
import { resolvePerson } from '../domain/people.ts';
import { invalidInput, VaultError } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { accountStore } from '../store/account-store.ts';
import { auditStore, type AuditEntryRow } from '../store/audit-store.ts';
import { readHeader } from '../store/header-store.ts';
import { devicesTable, incidentsTable, peopleTable } from '../store/registry-tables.ts';
import { memberStore } from '../store/member-store.ts';
import { openRow } from '../store/sealed-row.ts';
import {
  BUNDLE_FORMAT,
  type CheckpointLine,
  type ExportFilters,
  type HeaderLine,
  type MemberLine,
} from './bundle.ts';
import { originOf, parseCheckpoint } from './checkpoint.ts';
import { auditDetailsSchema, auditKindSchema, requireKnownKind } from './entry.ts';
import { auditEntryAddress } from './log.ts';
import { MerkleTree } from './merkle.ts';
import { entryPages, matchesFilters, type ResolvedFilters } from './entry-pages.ts';
import { SealDigest, sealMessage } from './seal.ts';
import type { PeopleRow } from './people-row.ts';
import { renderPdf } from './pdf.ts';
import { founderFingerprint } from '../trust/session-trust.ts';
import type { ProgressReporter } from '../progress.ts';
import { checkDestination, ExclusiveOutput, type OutputOptions } from '../output-file.ts';

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
 * Buffered synchronous writes to a new file created exclusively beside the destination, put in
 * place only when complete and never over an existing file or the open vault (output-file.ts).
 */
class OutputFile {
  readonly #file: ExclusiveOutput;
  #chunks: string[] = [];
  #size = 0;

  constructor(path: string, options: OutputOptions) {
    this.#file = new ExclusiveOutput(path, options);
  }

  write(text: string): void {
    this.#chunks.push(text);
    this.#size += text.length;
    if (this.#size > 1 << 20) this.flush();
  }

  writeBytes(bytes: Uint8Array): void {
    this.flush();
    this.#file.write(bytes);
  }

  flush(): void {
    if (this.#chunks.length === 0) return;
    this.#file.write(this.#chunks.join(''));
    this.#chunks = [];
    this.#size = 0;
  }

  commit(): void {
    this.flush();
    this.#file.commit();
  }

  abandon(): void {
    this.#file.abandon();
  }
}

function storageError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC') {
    return new VaultError(
      ErrorCode.STORAGE,
      'The disk is full: the export was not written. Free some space and try again.',
    );
  }
  if (code === 'EACCES' || code === 'ENOENT' || code === 'EROFS' || code === 'EISDIR') {
    return new VaultError(
      ErrorCode.STORAGE,
      'The export file cannot be written there: check the folder exists and is writable.',
    );
  }
  return error;
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
      const rows: PeopleRow[] = [];
      for await (const entry of streamEntries(session, latest.size, resolved, progress)) {
        rows.push(describeForPeople(session, entry, { names: true }));
      }
      count = rows.length;
      file.writeBytes(
        await renderPdf({
          header,
          rows,
          checkpointRoot: toHex(latest.root),
          founderFingerprint: founderFingerprint(session),
        }),
      );
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
    details: openRow(session.keys.vault, auditEntryAddress(row), row.sealed, auditDetailsSchema),
    leaf: row.leaf_hash,
  };
}

function memberLines(session: VaultSession): MemberLine[] {
  const founder = readHeader(session.db)?.founder_id;
  return memberStore.all(session.db).map((row) => ({
    type: 'member',
    id: row.id,
    name: openMember(session.keys.vault, row).name,
    role: roleOf(row),
    boxPublicKey: toHex(row.box_public_key),
    signPublicKey: toHex(row.sign_public_key),
    certifiedBy: row.certified_by,
    certifiedAt: row.certified_at,
    certificate: toHex(row.certificate),
    founder: row.id === founder,
    removedAt: row.removed_at,
  }));
}

async function writeJsonl(
  session: VaultSession,
  file: OutputFile,
  header: HeaderLine,
  filters: ResolvedFilters,
  options: {
    filtered: boolean;
    since: ReturnType<typeof parseSince> | undefined;
    latest: { size: number; root: Uint8Array; signer_id: string; signature: Uint8Array };
    progress: ProgressReporter;
  },
): Promise<number> {
  const line = (value: unknown) => file.write(`${JSON.stringify(value)}\n`);
  line(header);
  for (const member of memberLines(session)) line(member);
  const checkpoints: CheckpointLine[] = (
    options.filtered ? [options.latest] : auditStore.checkpoints(session.db)
  )
    .filter((c) => c.size <= header.treeSize)
    .map((c) => ({
      type: 'checkpoint',
      size: c.size,
      root: toHex(c.root),
      signer: c.signer_id,
      signature: toHex(c.signature),
    }));
  for (const checkpoint of checkpoints) line(checkpoint);
  // A filtered trail proves each entry against the latest checkpoint; that needs the whole tree.
  const needsTree = options.filtered || options.since !== undefined;
  const tree = needsTree ? new MerkleTree(allLeaves(session, header.treeSize)) : undefined;
  const seal = new SealDigest(header);
  let count = 0;
  // A filtered entry carries its inclusion proof against the latest checkpoint.
  const proof =
    options.filtered && tree
      ? (seq: number) => tree.inclusionProof(seq - 1, header.treeSize).map(toHex)
      : undefined;
  const pages = entryPages(session.path, session.keys.vault, header.treeSize, filters, {
    ...(proof ? { proof } : {}),
  });
  for await (const page of pages) {
    if (page.text.length > 0) file.writeBytes(page.text);
    seal.add(page.leaves, page.seqs.length);
    count += page.seqs.length;
    await options.progress(Math.min(header.treeSize, page.upTo), header.treeSize);
  }
  if (options.since && tree) {
    if (options.since.size > header.treeSize) {
      throw invalidInput(
        `The --since checkpoint (size ${options.since.size}) is newer than this trail (${header.treeSize}).`,
      );
    }
    line({
      type: 'consistency',
      fromSize: options.since.size,
      toSize: header.treeSize,
      proof: tree.consistencyProof(options.since.size, header.treeSize).map(toHex),
    });
  }
  const digest = seal.digest();
  line({
    type: 'seal',
    entries: count,
    digest: toHex(digest),
    signer: session.member.id,
    signature: toHex(sign(session.keys.signing.secretKey, sealMessage(digest, count))),
  });
  return count;
}

function allLeaves(session: VaultSession, size: number): Uint8Array[] {
  const rows = session.db
    .prepare('SELECT leaf_hash FROM audit_entries WHERE seq <= ? ORDER BY seq')
    .all(size) as { leaf_hash: Buffer }[];
  return rows.map((r) => new Uint8Array(r.leaf_hash));
}

type NamedKind = 'member' | 'account' | 'person' | 'device' | 'incident';

/**
 * Detail fields that hold ids, and what each names. The case file and the console show the name
 * (issue 16: the PDF showed people as ids); the CSV keeps the ids it always had, byte for byte.
 */
const NAMED_DETAILS: Readonly<Record<string, NamedKind>> = {
  member: 'member',
  requester: 'member',
  person: 'person',
  owner: 'person',
  device: 'device',
  incident: 'incident',
  accounts: 'account',
  exposed: 'account',
};

const nameCache = new WeakMap<VaultSession, Map<string, string>>();

/** A readable name for an id, or the id itself when the row is gone (it never throws). */
function nameOf(session: VaultSession, kind: NamedKind, id: string): string {
  let cache = nameCache.get(session);
  if (!cache) nameCache.set(session, (cache = new Map<string, string>()));
  const key = `${kind}:${id}`;
  let name = cache.get(key);
  if (name === undefined) {
    name = lookUpName(session, kind, id) ?? id;
    cache.set(key, name);
  }
  return name;
}

function lookUpName(session: VaultSession, kind: NamedKind, id: string): string | undefined {
  const { db } = session;
  const vaultKey = session.keys.vault;
  switch (kind) {
    case 'member': {
      const row = memberStore.byId(db, id);
      return row ? openMember(vaultKey, row).name : undefined;
    }
    case 'account': {
      const row = accountStore.byId(db, id);
      return row ? accountLabel(openAccountProfile(session, row)) : undefined;
    }
    case 'person':
      return peopleTable.get(db, vaultKey, id)?.value.name;
    case 'device':
      return devicesTable.get(db, vaultKey, id)?.value.label;
    case 'incident': {
      const incident = incidentsTable.get(db, vaultKey, id);
      if (!incident) return undefined;
      const device = nameOf(session, 'device', incident.clear.device_id);
      return `loss of ${device} on ${incident.clear.lost_on}`;
    }
    default:
      return assertNever(kind);
  }
}

function detailValue(
  session: VaultSession,
  key: string,
  value: AuditEntry['details'][string],
  names: boolean,
): string {
  const kind = names ? NAMED_DETAILS[key] : undefined;
  const name = (item: string) => (kind ? nameOf(session, kind, item) : item);
  if (Array.isArray(value)) return value.map(name).join(', ');
  return typeof value === 'string' ? name(value) : String(value);
}

/**
 * An entry in words. `names` (the PDF and the console) shows the people, devices and accounts a
 * detail refers to by name; without it (the CSV) details keep their ids.
 */
export function describeForPeople(
  session: VaultSession,
  entry: AuditEntry & { leaf: Uint8Array },
  { names = false }: { names?: boolean } = {},
): PeopleRow {
  const { reason, ...rest } = entry.details;
  const fields = Object.entries(rest)
    .map(([key, value]) => `${key}: ${detailValue(session, key, value, names)}`)
    .join('; ');
  // Said in words on every row of its kind, old vaults' entries included (ADR 0009).
  const details = UNAUTHENTICATED_KINDS.has(entry.kind)
    ? `${UNAUTHENTICATED_REPORT_NOTE} ${fields}`
    : fields;
  return {
    seq: entry.seq,
    at: entry.at,
    event: entry.kind,
    actor: nameOf(session, 'member', entry.actor),
    account: entry.account ? nameOf(session, 'account', entry.account) : '',
    reason: typeof reason === 'string' ? reason : '',
    details,
    leaf: toHex(entry.leaf),
  };
}

const CSV_COLUMNS = [
  'Sequence',
  'Time (UTC, ISO 8601)',
  'Event',
  'Who',
  'Account',
  'Reason given',
  'Details',
  'Leaf hash',
];

async function writeCsv(
  session: VaultSession,
  file: OutputFile,
  entries: AsyncIterable<AuditEntry & { leaf: Uint8Array }>,
): Promise<number> {
  file.write(`${Papa.unparse([CSV_COLUMNS])}\r\n`);
  let count = 0;
  let batch: string[][] = [];
  const flush = () => {
    if (batch.length > 0)
      file.write(`${Papa.unparse(batch, { quotes: true, escapeFormulae: true })}\r\n`);
    batch = [];
  };
  for await (const entry of entries) {
    const r = describeForPeople(session, entry);
    batch.push([String(r.seq), r.at, r.event, r.actor, r.account, r.reason, r.details, r.leaf]);
    count += 1;
    if (batch.length === 5000) flush();
  }
  flush();
  return count;
}
