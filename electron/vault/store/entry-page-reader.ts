import { Worker } from 'node:worker_threads';
import { ErrorCode } from '../../../shared/errors.ts';
import { VaultError } from '../errors.ts';
import {
  AUDIT_ENTRY_ASSOCIATED_POSTGRES_SQL,
  AUDIT_ENTRY_ASSOCIATED_SQL,
} from './audit-entry-codec.ts';
import { clearColumnWhere, type ClearColumnFilters } from './audit-store.ts';
import { asVaultError, type Db } from './connection.ts';
import { statement } from './statements.ts';

/**
 * The export's page query: one string a page, an entry a line of six tab-separated fields:
 *
 *   seq, kind, the bundle line up to its details, the associated data the details were sealed
 *   under (the codec's SQL fast path), the leaf hash (hex), the sealed details (hex)
 *
 * `where` is a fixed fragment from clearColumnWhere, with `?`s for its parameters.
 * tests/unit/audit/entry-reader.test.ts holds the line head to the bundle's entry line.
 */
export function pageSql(where: string): string {
  const fields = [
    'seq',
    'kind',
    `'{"type":"entry","seq":' || seq || ',"at":' || json_quote(at) || ',"kind":' || json_quote(kind) || ',"actor":' || json_quote(actor_id) || ',"account":' || json_quote(account_id) || ',"details":'`,
    AUDIT_ENTRY_ASSOCIATED_SQL,
    'lower(hex(leaf_hash))',
    'hex(sealed)',
  ];
  return `SELECT group_concat(${fields.join(' || char(9) || ')}, char(10) ORDER BY seq)
    FROM audit_entries WHERE seq > ? AND seq <= ? AND (${where})`;
}

/** The same page in PostgreSQL's SQL (a server vault, issue 14): the same text, field for field. */
export function serverPageSql(where: string): string {
  const fields = [
    'seq',
    'kind',
    `'{"type":"entry","seq":' || seq || ',"at":' || to_json(at)::text || ',"kind":' || to_json(kind)::text || ',"actor":' || to_json(actor_id)::text || ',"account":' || COALESCE(to_json(account_id)::text, 'null') || ',"details":'`,
    AUDIT_ENTRY_ASSOCIATED_POSTGRES_SQL,
    "encode(leaf_hash, 'hex')",
    "upper(encode(sealed, 'hex'))",
  ];
  return `SELECT string_agg(${fields.join(' || chr(9) || ')}, chr(10) ORDER BY seq)
    FROM audit_entries WHERE seq > ? AND seq <= ? AND (${where})`;
}

/** What the export asks for its pages. */
export interface PageReader {
  page(after: number, upTo: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * A server vault's pages, read on the session's own connection (which already waits on its
 * worker thread, ADR 0026): no second reader to overlap with, and nothing to open without a key.
 */
class ServerPageReader implements PageReader {
  readonly #db: Db;
  readonly #sql: string;
  readonly #params: readonly (string | number)[];

  constructor(db: Db, filters: ClearColumnFilters) {
    const { where, params } = clearColumnWhere(filters);
    this.#db = db;
    this.#sql = serverPageSql(where);
    this.#params = params;
  }

  page(after: number, upTo: number): Promise<string> {
    try {
      const text = statement(this.#db, this.#sql)
        .pluck()
        .get(after, upTo, ...this.#params) as string | null;
      return Promise.resolve(text ?? '');
    } catch (error) {
      const mapped = asVaultError(error);
      const failed = Promise.reject(mapped instanceof Error ? mapped : new Error(String(mapped)));
      failed.catch(() => undefined);
      return failed;
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The export's page reader for a vault: a worker over the file, or the server's connection. */
export function pageReaderFor(
  db: Db | undefined,
  vaultPath: string,
  filters: ClearColumnFilters,
): PageReader {
  return db?.dialect === 'postgres'
    ? new ServerPageReader(db, filters)
    : new PageReaderWorker(vaultPath, filters);
}

/** The reader worker, asked for pages by their first sequence number and answering in turn. */
export class PageReaderWorker implements PageReader {
  readonly #worker: Worker;
  readonly #waiting = new Map<
    number,
    { resolve: (text: string) => void; reject: (e: unknown) => void }
  >();
  #broken: VaultError | undefined;

  constructor(vaultPath: string, filters: ClearColumnFilters) {
    const { where, params } = clearColumnWhere(filters);
    this.#worker = new Worker(READER, {
      workerData: { entryReader: true, path: vaultPath, sql: pageSql(where), params },
      // Not the parent's flags: a TypeScript loader there would cost the worker 90 MiB for nothing.
      execArgv: [],
    });
    this.#worker.on('message', (message: ReaderMessage) => {
      if (message.failure) {
        this.#fail(asVaultError(message.failure));
        return;
      }
      this.#waiting.get(message.after)?.resolve(message.text ?? '');
      this.#waiting.delete(message.after);
    });
    this.#worker.on('error', (error) => this.#fail(error));
  }

  page(after: number, upTo: number): Promise<string> {
    const text =
      this.#broken !== undefined
        ? Promise.reject(this.#broken)
        : new Promise<string>((resolve, reject) => {
            this.#waiting.set(after, { resolve, reject });
            this.#worker.postMessage({ after, upTo });
          });
    // Pages are asked for ahead: when the reader fails, the export stops at the first one it
    // awaits, and the rest must not surface as unhandled rejections (which end the process).
    text.catch(() => undefined);
    return text;
  }

  #fail(error: unknown): void {
    this.#broken ??=
      error instanceof VaultError
        ? error
        : new VaultError(
            ErrorCode.INTERNAL,
            'The audit export could not read the trail; nothing was written. Verify the vault, then try again.',
          );
    for (const waiter of this.#waiting.values()) waiter.reject(this.#broken);
    this.#waiting.clear();
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

interface ReaderMessage {
  readonly after: number;
  readonly text?: string;
  readonly failure?: { readonly code: string; readonly message: string };
}

/** Beside this module in the source tree and in every bundle (build-electron.js copies it). */
const READER = new URL('./entry-reader.mjs', import.meta.url);
