import type { AuditEntry } from '../../../shared/domain/audit.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { open, OpenFailed } from '../crypto/aead.ts';
import { BatchOpener } from '../crypto/batch-open.ts';
import { utf8 } from '../crypto/hash.ts';
import { isUtf8 } from 'node:buffer';
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

/** One page of a bundle's entry lines: their bytes, and their leaf hashes end to end. */
export interface EntryPage {
  /** The lines as UTF-8, each ending in a newline: written to the bundle as they are. */
  readonly text: Buffer;
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

/** Bytes appended to a buffer that doubles when full: one page of lines, no string per line. */
class PageBytes {
  #bytes = Buffer.allocUnsafe(256 * 1024);
  #length = 0;

  text(text: string): void {
    this.#room(text.length * 3);
    this.#length += this.#bytes.write(text, this.#length, 'utf8');
  }

  copy(bytes: Uint8Array): void {
    this.#room(bytes.length);
    this.#bytes.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  done(): Buffer {
    return this.#bytes.subarray(0, this.#length);
  }

  #room(needed: number): void {
    if (this.#length + needed <= this.#bytes.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.#bytes.length * 2, this.#length + needed));
    this.#bytes.copy(bigger, 0, 0, this.#length);
    this.#bytes = bigger;
  }
}

/**
 * Entries with seq in (after, upTo], opened and written as bundle lines. The details go into the
 * line as the sealed JSON bytes themselves, copied from where they were opened: no string is made
 * of them, nor of the line. It is the hot path of a million-entry export, and the offline verifier
 * re-checks every field against the leaf hash. Details are parsed (and their shape checked) only
 * where a filter has to look inside them. `proof` adds an entry's inclusion proof to its line.
 */
export function readEntryPage(
  db: Db,
  keys: { readonly vaultKey: SecretBytes; readonly opener: BatchOpener },
  range: { after: number; upTo: number },
  filters: ResolvedFilters,
  proof?: (seq: number) => string[],
): EntryPage {
  const rows = statement(
    db,
    'SELECT seq, at, kind, actor_id, account_id, lower(hex(leaf_hash)), hex(sealed) FROM audit_entries WHERE seq > ? AND seq <= ? ORDER BY seq',
  )
    .raw(true)
    .all(range.after, range.upTo) as RawEntry[];
  const out = new PageBytes();
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
    const written = withDetails(
      keys,
      seq,
      sealedHex,
      auditEntryAssociatedText(seq, clear, leafHex),
      (details) => {
        if (filtered) {
          const parsed = needsDetails
            ? auditDetailsSchema.safeParse(JSON.parse(details.toString('utf8')))
            : undefined;
          if (parsed && !parsed.success) {
            throw integrityError(`audit_entries row ${seq}`, 'has an unexpected shape');
          }
          const entry = { seq, at, kind, actor, account, details: parsed?.data ?? {} };
          if (!matchesFilters(entry, filters)) return false;
        }
        out.text(
          `{"type":"entry","seq":${seq},"at":${json(at)},"kind":${json(kind)},"actor":${json(actor)},"account":${json(account)},"details":`,
        );
        out.copy(details);
        return true;
      },
    );
    if (!written) continue;
    const proven = proof ? `,"proof":${json(proof(seq))}` : '';
    out.text(`,"leaf":"${leafHex}"${proven}}\n`);
    leafWriter.write(leafHex, seqs.length * 32, 'hex');
    seqs.push(seq);
  }
  return {
    text: out.done(),
    seqs,
    leaves: leaves.subarray(0, seqs.length * 32),
    upTo: range.upTo,
  };
}

/** Open an entry's sealed details and hand their UTF-8 bytes to `use`; a failure names the row. */
function withDetails<T>(
  keys: { readonly vaultKey: SecretBytes; readonly opener: BatchOpener },
  seq: number,
  sealedHex: string,
  associatedText: string,
  use: (details: Buffer) => T,
): T {
  try {
    const result = keys.opener.openHex(sealedHex, associatedText, use);
    if (result !== undefined) return result;
    // Larger than the opener's scratch region: open it the ordinary way.
    const plaintext = open(keys.vaultKey, Buffer.from(sealedHex, 'hex'), utf8(associatedText));
    try {
      const bytes = Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
      if (!isUtf8(bytes)) throw new OpenFailed();
      return use(bytes);
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
  options: { pageSize?: number; proof?: (seq: number) => string[] } = {},
): Generator<EntryPage> {
  const keys = { vaultKey, opener: new BatchOpener(vaultKey) };
  const pageSize = options.pageSize ?? PAGE_SIZE;
  try {
    for (let after = 0; after < size; after += pageSize) {
      const range = { after, upTo: Math.min(size, after + pageSize) };
      yield readEntryPage(db, keys, range, filters, options.proof);
    }
  } finally {
    keys.opener.close();
  }
}
