import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { verifySignature } from './keys.ts';

/**
 * Ed25519 checks made in the order a verifier meets them, run on a pool of worker threads
 * (signature-worker.mjs, one per core) while the verifier's own thread goes on hashing (issue 17).
 * The verifier still names the first thing wrong: each check carries what to report if it fails
 * (`F`), and `firstFailure` answers with the earliest failed check, in the order they were added,
 * once every check added before it is done. A verifier that finds a problem of its own asks it
 * first, since a signature it added earlier, if bad, is the first problem. Trails with few
 * signatures never start a worker: the first `inlineUpTo` checks run here, synchronously.
 */
export class SignatureChecks<F> {
  readonly #inlineUpTo: number;
  readonly #workers: number;
  #pool: Worker[] | undefined;
  #added = 0;
  /** The earliest failure known, by the index of its check. */
  #failed: { index: number; failure: F } | undefined;
  /** The batch being packed: its checks' failures-to-report, and its bytes. */
  #batch: { first: number; failures: F[]; parts: Uint8Array[]; bytes: number } | undefined;
  #nextBatch = 0;
  /** Batches sent and not answered, by batch number: the first check's index and the failures. */
  readonly #pending = new Map<number, { first: number; failures: F[] }>();
  #waiters: (() => void)[] = [];
  #broken: Error | undefined;

  readonly #workerFile: URL;

  /** `workerFile` is for tests: a worker that fails as real ones might. */
  constructor(options: { inlineUpTo?: number; workers?: number; workerFile?: URL } = {}) {
    this.#inlineUpTo = options.inlineUpTo ?? INLINE_UP_TO;
    this.#workers = Math.max(1, options.workers ?? availableParallelism());
    this.#workerFile = options.workerFile ?? WORKER;
  }

  /** Check `signature` on `message` by `publicKey`; `failure` is what to report if it fails. */
  add(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, failure: F): void {
    const index = this.#added++;
    if (this.#failed !== undefined) return; // an earlier one failed: nothing after it matters
    if (
      index < this.#inlineUpTo ||
      publicKey.length !== PUBLIC_KEY_BYTES ||
      signature.length !== SIGNATURE_BYTES
    ) {
      if (!verifySignature(publicKey, message, signature)) this.#fail(index, failure);
      return;
    }
    const batch = (this.#batch ??= { first: index, failures: [], parts: [], bytes: 0 });
    const head = new Uint8Array(4);
    new DataView(head.buffer).setUint32(0, message.length, true);
    batch.parts.push(head, publicKey, signature, message);
    batch.failures.push(failure);
    batch.bytes += 4 + PUBLIC_KEY_BYTES + SIGNATURE_BYTES + message.length;
    if (batch.failures.length === BATCH) this.#send();
  }

  /**
   * The earliest failed check, if it is already certain: every check before it is done. Cheap, so
   * a verifier can ask after each checkpoint and stop at a bad signature without reading on.
   */
  settledFailure(): F | undefined {
    const failed = this.#failed;
    if (failed === undefined) return undefined;
    if (this.#batch !== undefined && this.#batch.first < failed.index) return undefined;
    for (const batch of this.#pending.values()) if (batch.first < failed.index) return undefined;
    return failed.failure;
  }

  /** The earliest failed check once every check added so far is done, or undefined. */
  async firstFailure(): Promise<F | undefined> {
    this.#send();
    while (this.#pending.size > 0 && this.settledFailure() === undefined) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    if (this.#broken !== undefined) throw this.#broken;
    return this.#failed?.failure;
  }

  /** Stop the workers; checks not yet answered are dropped. */
  async close(): Promise<void> {
    const pool = this.#pool ?? [];
    this.#pool = undefined;
    await Promise.all(pool.map((worker) => worker.terminate()));
  }

  #fail(index: number, failure: F): void {
    if (this.#failed === undefined || index < this.#failed.index) this.#failed = { index, failure };
  }

  #send(): void {
    const batch = this.#batch;
    if (batch === undefined) return;
    this.#batch = undefined;
    const bytes = new Uint8Array(batch.bytes);
    let offset = 0;
    for (const part of batch.parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    const number = this.#nextBatch++;
    this.#pending.set(number, { first: batch.first, failures: batch.failures });
    const pool = (this.#pool ??= this.#startPool());
    pool[number % pool.length]!.postMessage({ batch: number, bytes }, [bytes.buffer]);
  }

  #startPool(): Worker[] {
    return Array.from({ length: this.#workers }, () => {
      const worker = new Worker(this.#workerFile, {
        workerData: { signatureWorker: true },
        // Not the parent's flags: a TypeScript loader there would cost each worker 90 MiB.
        execArgv: [],
      });
      worker.on('message', ({ batch, failed }: { batch: number; failed: number }) => {
        const sent = this.#pending.get(batch);
        this.#pending.delete(batch);
        if (sent && failed >= 0) this.#fail(sent.first + failed, sent.failures[failed]!);
        this.#wake();
      });
      worker.on('error', (error: Error) => this.#lose(error));
      // A worker that ends with checks unanswered (killed, out of memory) must not leave the
      // verifier waiting for ever, nor pass what it never checked.
      worker.on('exit', () => {
        if (this.#pool !== undefined && this.#pending.size > 0)
          this.#lose(new Error('A signature worker stopped before it answered.'));
      });
      return worker;
    });
  }

  #lose(error: Error): void {
    this.#broken ??= error;
    this.#pending.clear();
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter();
  }
}

const PUBLIC_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
/** Checks a trail may need before a pool is worth its start (about 50 ms a worker, libsodium's). */
const INLINE_UP_TO = 256;
/** Checks a message: enough that posting costs little beside 64 verifies (~10 ms). */
const BATCH = 64;

/** Beside this module in the source tree and in every bundle (build-electron.js copies it). */
const WORKER = new URL('./signature-worker.mjs', import.meta.url);
