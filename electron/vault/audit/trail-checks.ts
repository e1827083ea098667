import { availableParallelism } from 'node:os';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { AUDIT_KINDS, type AuditDetails } from '../../../shared/domain/audit.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { TRAIL_PAGE_SQL } from '../store/trail-page-sql.ts';

/** One page of the trail as the workers checked it (trail-worker.mjs). */
export type CheckedPage =
  | {
      readonly after: number;
      readonly upTo: number;
      /** Each row's sequence number, in order; and 1 where the row opened with its own leaf. */
      readonly seqs: Float64Array;
      readonly passed: Uint8Array;
      readonly actors: string[];
      /** 32 bytes a row: the stored leaf, where it passed. */
      readonly leaves: Uint8Array;
      readonly statements: { seq: number; details: AuditDetails }[];
    }
  | {
      /** The workers could not read this page: the verifier reads it itself. */
      readonly after: number;
      readonly upTo: number;
      readonly unread: true;
    };

/**
 * `audit verify`'s trail, a page at a time, read and opened on a pool of worker threads, each
 * with its own read-only connection to the vault file and its own copy of K_vault in libsodium's
 * heap (issue 17), and handed back in order. `close()` has every worker zero its key before it
 * is stopped: call it in a `finally`.
 */
export class TrailChecks {
  readonly #workers: Worker[];
  readonly #waiting = new Map<
    number,
    {
      resolve: (page: CheckedPage) => void;
      reject: (error: Error) => void;
      after: number;
      upTo: number;
    }
  >();
  #broken: Error | undefined;
  #closing = false;
  #nextPage = 0;

  /**
   * `startWorker` is how each worker is started: `new Worker` but in a test, which makes a later
   * one fail to check that the workers already holding a key are closed.
   */
  constructor(
    vaultPath: string,
    vaultKey: SecretBytes,
    workers = availableParallelism(),
    startWorker: (url: URL, options: WorkerOptions) => Worker = (url, options) =>
      new Worker(url, options),
  ) {
    const started: Worker[] = [];
    try {
      for (let n = 0; n < Math.max(1, workers); n++) {
        const worker = startWorker(WORKER, {
          workerData: {
            trailWorker: true,
            path: vaultPath,
            sql: TRAIL_PAGE_SQL,
            kinds: AUDIT_KINDS,
          },
          // Not the parent's flags: a TypeScript loader there would cost each worker 90 MiB.
          execArgv: [],
        });
        started.push(worker);
        // The key's own copy, its buffer moved to the worker: none is left here to outlive it.
        const key = new Uint8Array(vaultKey.reveal());
        worker.postMessage({ key }, [key.buffer]);
        worker.on('message', (message: WorkerMessage) => this.#answer(message));
        worker.on('error', (error: Error) => this.#lose(error));
        worker.on('exit', () => {
          if (!this.#closing) this.#lose(new Error('A trail worker stopped before it answered.'));
        });
      }
    } catch (error) {
      // The workers started before the one that failed already hold a copy of K_vault: each is
      // told to zero it and then stopped (and meanwhile does not keep the process alive).
      this.#closing = true;
      for (const worker of started) {
        worker.unref();
        void closeWorker(worker);
      }
      throw error;
    }
    this.#workers = started;
  }

  /** Entries 1..size, `pageSize` a page, a few pages ahead of the one being used. */
  async *pages(size: number, pageSize = PAGE_SIZE): AsyncGenerator<CheckedPage> {
    const ahead: Promise<CheckedPage>[] = [];
    let next = 0;
    const askAhead = () => {
      while (next < size && ahead.length < this.#workers.length * PAGES_AHEAD_PER_WORKER) {
        const upTo = Math.min(size, next + pageSize);
        ahead.push(this.#ask(next, upTo));
        next = upTo;
      }
    };
    askAhead();
    while (ahead.length > 0) {
      const page = ahead.shift()!;
      askAhead();
      yield await page;
    }
  }

  #ask(after: number, upTo: number): Promise<CheckedPage> {
    const page = this.#nextPage++;
    const answer =
      this.#broken !== undefined
        ? Promise.reject(this.#broken)
        : new Promise<CheckedPage>((resolve, reject) => {
            this.#waiting.set(page, { resolve, reject, after, upTo });
            this.#workers[page % this.#workers.length]!.postMessage({ page, after, upTo });
          });
    // Pages are asked for ahead: if the verifier stops early, the rest must not surface as
    // unhandled rejections (which end the process).
    answer.catch(() => undefined);
    return answer;
  }

  #answer(message: WorkerMessage): void {
    if (message.closed) return;
    const waiter = this.#waiting.get(message.page!);
    if (!waiter) return;
    this.#waiting.delete(message.page!);
    const { after, upTo } = waiter;
    // A page SQLite would not give the worker (a damaged file, a column of the wrong type): the
    // verifier's own reading of it names what is wrong.
    if (message.failure || !message.result || 'unread' in message.result) {
      waiter.resolve({ after, upTo, unread: true });
      return;
    }
    waiter.resolve({ after, upTo, ...message.result });
  }

  #lose(error: Error): void {
    this.#broken ??= error;
    for (const waiter of this.#waiting.values()) waiter.reject(this.#broken);
    this.#waiting.clear();
  }

  /** Have each worker zero and free its key, then stop it. */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#workers.map(closeWorker));
  }
}

/**
 * Ask a worker to zero its key, wait for it to say so (it finishes the page it is on first), then
 * stop it. A worker that has not answered in CLOSE_WAIT_MS is stopped anyway, so a hung worker
 * cannot hang the verify: its key copy, in its own libsodium heap (a WebAssembly memory this
 * thread cannot reach, so it cannot be zeroed from here), is then freed with the worker unzeroed.
 * That takes a worker stuck for ten seconds, not a busy machine: a page is 2000 entries.
 */
async function closeWorker(worker: Worker): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CLOSE_WAIT_MS);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.closed) done();
    });
    worker.once('exit', done);
    worker.postMessage({ close: true });
  });
  await worker.terminate();
}

/** How long a worker is given to zero its key before it is stopped regardless. */
const CLOSE_WAIT_MS = 10_000;

interface WorkerMessage {
  readonly page?: number;
  readonly closed?: boolean;
  readonly failure?: { readonly code: string };
  readonly result?:
    Omit<Extract<CheckedPage, { seqs: Float64Array }>, 'after' | 'upTo'> | { unread: true };
}

/** Entries a page: enough that a page's message costs little beside its opens. */
const PAGE_SIZE = 2000;
const PAGES_AHEAD_PER_WORKER = 2;

/** Beside this module in the source tree and in every bundle (the build copies it). */
const WORKER = new URL('./trail-worker.mjs', import.meta.url);
