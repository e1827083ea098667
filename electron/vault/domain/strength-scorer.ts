import { Worker } from 'node:worker_threads';
import { ErrorCode } from '../../../shared/errors.ts';
import { VaultError } from '../errors.ts';
import { passwordStrength } from './strength.ts';

/** A password to score and the words an attacker of that account would try first. */
export interface StrengthItem {
  readonly password: string;
  readonly context: readonly string[];
}

interface ScorerReply {
  readonly id: number;
  readonly scores?: number[];
  readonly failed?: boolean;
}

/** Beside this module in the source tree and in every bundle (build-electron.js copies it). */
const WORKER = new URL('./strength-worker.mjs', import.meta.url);

/**
 * zxcvbn for a bulk import, on a worker thread (strength-worker.mjs): the scores are computed
 * before the write transaction that stores them, and while the previous batch is written. The
 * worker's heap is capped, since zxcvbn's garbage, not what it keeps, is what grows it (about
 * 30 MiB live, dictionaries included). The passwords cross to the worker by structured clone
 * inside this process; nothing leaves it.
 */
/**
 * A batch this small is scored in this thread: starting the worker costs about half a second,
 * twenty times a one-row import's own work, while the memory it saves matters only in bulk.
 */
const IN_THREAD_MAX = 20;

export class StrengthScorer {
  #worker: Worker | undefined;
  readonly #waiting = new Map<
    number,
    { resolve: (s: number[]) => void; reject: (e: unknown) => void }
  >();
  #next = 0;
  #broken: VaultError | undefined;

  /** The worker, started on the first batch too large to score in this thread. */
  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER, {
      // Not the parent's flags: a TypeScript loader there would cost the worker 90 MiB for nothing.
      execArgv: [],
      // Bench passwords: peak RSS 163-166 MiB at 96/16, 146-151 at 48/8 at the same CPU a password
      // (about 14 ms), 131 at 32/4 but far slower (it collects all the time). 48 leaves room over
      // the live set of about 30 MiB.
      resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 },
    });
    worker.on('message', (reply: ScorerReply) => {
      const waiter = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if (reply.scores) waiter?.resolve(reply.scores);
      else waiter?.reject(this.#failure());
    });
    worker.on('error', () => this.#fail());
    worker.on('exit', () => this.#fail());
    return (this.#worker = worker);
  }

  /** The 0-4 score of each password, in order. */
  score(items: readonly StrengthItem[]): Promise<number[]> {
    if (items.length === 0) return Promise.resolve([]);
    if (this.#broken) return Promise.reject(this.#broken);
    if (!this.#worker && items.length <= IN_THREAD_MAX) {
      return Promise.resolve(items.map((item) => passwordStrength(item.password, item.context)));
    }
    const worker = this.#started();
    const id = this.#next++;
    const scores = new Promise<number[]>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
    });
    worker.postMessage({
      id,
      items: items.map((item) => ({ password: item.password, context: [...item.context] })),
    });
    // A batch is scored ahead of its write: if the import stops first, this must not surface as
    // an unhandled rejection (which ends the process).
    scores.catch(() => undefined);
    return scores;
  }

  async close(): Promise<void> {
    this.#broken ??= this.#failure();
    await this.#worker?.terminate();
  }

  #failure(): VaultError {
    return new VaultError(
      ErrorCode.INTERNAL,
      'The password strength check stopped; the rows it had not scored were not written. Try the import again.',
    );
  }

  #fail(): void {
    this.#broken ??= this.#failure();
    for (const waiter of this.#waiting.values()) waiter.reject(this.#broken);
    this.#waiting.clear();
  }
}
