import type { AuditEntry } from '../../../shared/domain/audit.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { open, OpenFailed } from '../crypto/aead.ts';
import { BatchOpener } from '../crypto/batch-open.ts';
import { fromUtf8, utf8 } from '../crypto/hash.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { integrityError, VaultError } from '../errors.ts';
import type { Db } from '../store/connection.ts';
import { statement } from '../store/statements.ts';
import type { ClearColumnFilters } from '../store/audit-store.ts';
import { auditDetailsSchema, knownKind } from './entry.ts';
import { auditEntryAssociatedText } from './log.ts';

/** Export filters with names already resolved to ids: the log's clear-column ones, and a person. */
export interface ResolvedFilters extends ClearColumnFilters {
  /** Matched inside the sealed details: only the export, which opens every entry, offers it. */
  readonly personId?: string;
}

export function matchesFilters(entry: AuditEntry, f: ResolvedFilters): boolean {
  const day = entry.at.slice(0, 10);
  if (f.from && day < f.from) return false;
  if (f.to && day > f.to) return false;
  if (f.accountId && entry.account !== f.accountId) return false;
  if (f.actorId && entry.actor !== f.actorId) return false;
  if (f.kind && entry.kind !== f.kind && !entry.kind.startsWith(`${f.kind}.`)) return false;
  if (f.personId) {
    const values = Object.values(entry.details).flat();
    if (!values.includes(f.personId)) return false;
  }
  return true;
}

/** One page of a bundle's entry lines: the JSON text of each, and their leaf hashes end to end. */
export interface EntryPage {
  readonly lines: string[];
  readonly seqs: number[];
  /** 32 bytes a line, in line order: the seal digest and the inclusion proofs are built from them. */
  readonly leaves: Uint8Array;
  /** The last sequence number the page covered, whether or not the filters kept it. */
  readonly upTo: number;
}

/** A row as SQLite returns it in raw mode, the two BLOBs as hex (cheaper than two Buffers). */
type RawEntry = [
  seq: number,
  at: string,
  kind: string,
  actorId: string,
  accountId: string | null,
  leafHex: string,
  sealedHex: string,
];

/**
 * Entries with seq in (after, upTo], opened and written as bundle lines. The details go into the
 * line as the sealed JSON text itself, not parsed and written again: it is the hot path of a
 * million-entry export, and the offline verifier re-checks every field against the leaf hash.
 * Details are parsed (and their shape checked) only where a filter has to look inside them.
 */
export function readEntryPage(
  db: Db,
  keys: { readonly vaultKey: SecretBytes; readonly opener: BatchOpener },
  range: { after: number; upTo: number },
  filters: ResolvedFilters,
): EntryPage {
  const rows = statement(
    db,
    'SELECT seq, at, kind, actor_id, account_id, lower(hex(leaf_hash)), hex(sealed) FROM audit_entries WHERE seq > ? AND seq <= ? ORDER BY seq',
  )
    .raw(true)
    .all(range.after, range.upTo) as RawEntry[];
  const lines: string[] = [];
  const seqs: number[] = [];
  const leaves = new Uint8Array(rows.length * 32);
  const leafWriter = Buffer.from(leaves.buffer);
  const needsDetails = filters.personId !== undefined;
  const filtered = Object.keys(filters).length > 0;
  const json = JSON.stringify;
  for (const [seq, at, rawKind, actor, account, leafHex, sealedHex] of rows) {
    const kind = knownKind(rawKind);
    if (!kind) {
      throw new VaultError(
        ErrorCode.INTEGRITY,
        `Audit entry #${seq} has an unknown kind; run \`custodian audit verify\`.`,
      );
    }
    const clear = { account_id: account, actor_id: actor, at, kind };
    const details = openDetails(
      keys,
      seq,
      sealedHex,
      auditEntryAssociatedText(seq, clear, leafHex),
    );
    if (filtered) {
      const parsed = needsDetails ? auditDetailsSchema.safeParse(JSON.parse(details)) : undefined;
      if (parsed && !parsed.success) {
        throw integrityError(`audit_entries row ${seq}`, 'has an unexpected shape');
      }
      const entry = { seq, at, kind, actor, account, details: parsed?.data ?? {} };
      if (!matchesFilters(entry, filters)) continue;
    }
    leafWriter.write(leafHex, seqs.length * 32, 'hex');
    seqs.push(seq);
    lines.push(
      `{"type":"entry","seq":${seq},"at":${json(at)},"kind":${json(kind)},"actor":${json(actor)},"account":${json(account)},"details":${details},"leaf":"${leafHex}"}`,
    );
  }
  return { lines, seqs, leaves: leaves.subarray(0, seqs.length * 32), upTo: range.upTo };
}

function openDetails(
  keys: { readonly vaultKey: SecretBytes; readonly opener: BatchOpener },
  seq: number,
  sealedHex: string,
  associatedText: string,
): string {
  try {
    const text = keys.opener.openHexText(sealedHex, associatedText);
    if (text !== undefined) return text;
    // Larger than the opener's scratch region: open it the ordinary way.
    const plaintext = open(keys.vaultKey, Buffer.from(sealedHex, 'hex'), utf8(associatedText));
    try {
      return fromUtf8(plaintext);
    } finally {
      plaintext.fill(0);
    }
  } catch (error) {
    if (error instanceof OpenFailed || error instanceof TypeError) {
      throw integrityError(`audit_entries row ${seq}`);
    }
    throw error;
  }
}

/**
 * Sequence numbers a page covers. Small pages keep each page's strings young: at 5,000 the page
 * outlived V8's young-generation collections and the export peaked near 330 MiB at 200,000
 * entries; at 1,000 it peaks near 195 MiB at the same speed (docs/BENCHMARKS.md).
 */
const PAGE_SIZE = 1000;

/**
 * The bundle lines of entries 1..size, a page at a time in sequence order, filtered. One opener
 * (one key copy in libsodium's heap) serves the whole export and is zeroed at the end, whether the
 * caller reads every page or stops early.
 */
export function* entryPages(
  db: Db,
  vaultKey: SecretBytes,
  size: number,
  filters: ResolvedFilters,
  pageSize = PAGE_SIZE,
): Generator<EntryPage> {
  const keys = { vaultKey, opener: new BatchOpener(vaultKey) };
  try {
    for (let after = 0; after < size; after += pageSize) {
      yield readEntryPage(db, keys, { after, upTo: Math.min(size, after + pageSize) }, filters);
    }
  } finally {
    keys.opener.close();
  }
}
