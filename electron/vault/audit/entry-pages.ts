import type { AuditEntry } from '../../../shared/domain/audit.ts';
import { open, OpenFailed } from '../crypto/aead.ts';
import { BatchOpener } from '../crypto/batch-open.ts';
import { utf8 } from '../crypto/hash.ts';
import { isUtf8 } from 'node:buffer';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { integrityError } from '../errors.ts';
import type { ClearColumnFilters } from '../store/audit-store.ts';
import { pageReaderFor } from '../store/entry-page-reader.ts';
import type { Db } from '../store/connection.ts';
import { auditDetailsSchema, requireKnownKind } from './entry.ts';

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
 * One page of the reader's lines (store/entry-page-reader.ts: seq, kind, line head, associated
 * data, leaf, sealed), opened and written as bundle lines. The details go into the line as the sealed JSON
 * bytes themselves, copied from where they were opened: no string is made of them, nor of the
 * line. It is the hot path of a million-entry export, and the offline verifier re-checks every
 * field against the leaf hash. Details are parsed (and their shape checked) only for the person
 * filter, the one that looks inside them. `proof` adds an entry's inclusion proof to its line.
 */
function buildPage(
  text: string,
  keys: { readonly vaultKey: SecretBytes; readonly opener: BatchOpener },
  upTo: number,
  personId: string | undefined,
  proof?: (seq: number) => string[],
): EntryPage {
  const lines = text === '' ? [] : text.split('\n');
  const out = new PageBytes();
  const seqs: number[] = [];
  const leaves = new Uint8Array(lines.length * 32);
  const leafWriter = Buffer.from(leaves.buffer);
  for (const line of lines) {
    const [seqText, kind, head, associatedText, leafHex, sealedHex, extra] = line.split('\t');
    const seq = Number(seqText);
    if (sealedHex === undefined || extra !== undefined || !Number.isSafeInteger(seq)) {
      throw integrityError(`audit_entries row after ${seqs.at(-1) ?? 'the start of the page'}`);
    }
    requireKnownKind(seq, kind!);
    const kept = withDetails(keys, seq, sealedHex, associatedText!, (details) => {
      if (personId !== undefined && !mentions(seq, details, personId)) return false;
      out.text(head!);
      out.copy(details);
      return true;
    });
    if (!kept) continue;
    const proven = proof ? `,"proof":${JSON.stringify(proof(seq))}` : '';
    out.text(`,"leaf":"${leafHex}"${proven}}\n`);
    leafWriter.write(leafHex!, seqs.length * 32, 'hex');
    seqs.push(seq);
  }
  return { text: out.done(), seqs, leaves: leaves.subarray(0, seqs.length * 32), upTo };
}

/** Whether an entry's details name the person (the person filter), their shape checked first. */
function mentions(seq: number, details: Buffer, personId: string): boolean {
  const parsed = auditDetailsSchema.safeParse(JSON.parse(details.toString('utf8')));
  if (!parsed.success) throw integrityError(`audit_entries row ${seq}`, 'has an unexpected shape');
  return Object.values(parsed.data).flat().includes(personId);
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
 * The bundle lines of entries 1..size, a page at a time in sequence order, filtered. SQLite's
 * part runs on a worker thread (store/entry-page-reader.ts, its own read-only connection, no key), a few
 * pages ahead of this thread, which opens the details and builds the lines. One opener (one key
 * copy in libsodium's heap) serves the whole export; it is zeroed and the worker stopped at the
 * end, whether the caller reads every page or stops early (a lock, a full disk).
 */
export async function* entryPages(
  vaultPath: string,
  vaultKey: SecretBytes,
  size: number,
  filters: ResolvedFilters,
  options: { pageSize?: number; proof?: (seq: number) => string[]; db?: Db } = {},
): AsyncGenerator<EntryPage> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  // A server vault's pages come over the session's connection (`db`); a file's from a worker.
  const reader = pageReaderFor(options.db, vaultPath, filters);
  const keys = { vaultKey, opener: new BatchOpener(vaultKey) };
  try {
    const ahead: { upTo: number; text: Promise<string> }[] = [];
    let next = 0;
    const askNext = () => {
      const upTo = Math.min(size, next + pageSize);
      ahead.push({ upTo, text: reader.page(next, upTo) });
      next = upTo;
    };
    while (next < size && ahead.length < PAGES_AHEAD) askNext();
    while (ahead.length > 0) {
      const { upTo, text } = ahead.shift()!;
      if (next < size) askNext();
      yield buildPage(await text, keys, upTo, filters.personId, options.proof);
    }
  } finally {
    keys.opener.close();
    await reader.close();
  }
}

/** Pages asked of the reader before the first is used: enough to keep both threads busy. */
const PAGES_AHEAD = 3;
