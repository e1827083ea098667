import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AUDIT_KINDS } from '../../../shared/domain/audit.ts';
import { checkBlock, type CheckedBlock } from './leaf-worker.mjs';

export { BLANK, ENTRY, RAW, type CheckedBlock } from './leaf-worker.mjs';

/**
 * A bundle's lines a block at a time, each block checked on a pool of worker threads
 * (leaf-worker.mjs: JSON, the entry line's shape, its leaf) and handed back in file order
 * (issue 17). A million-entry bundle spent half its verify's main thread on those three; the
 * verifier's thread now only assembles the tree, checks checkpoints and looks at the lines the
 * workers hand back as text. A file of at most `inlineUpToBytes` is checked here by the same
 * function, since starting the workers would cost more than it saves.
 */
export async function* checkedBlocks(
  path: string,
  options: { inlineUpToBytes?: number; workers?: number; blockBytes?: number } = {},
): AsyncGenerator<CheckedBlock> {
  const fd = openSync(path, 'r');
  try {
    const blocks = rawBlocks(fd, options.blockBytes ?? BLOCK_BYTES);
    if (fstatSync(fd).size <= (options.inlineUpToBytes ?? INLINE_UP_TO_BYTES)) {
      for (const bytes of blocks) yield checkBlock(bytes, KINDS);
      return;
    }
    const pool = new LeafPool(Math.max(1, options.workers ?? availableParallelism()));
    try {
      const ahead: Promise<CheckedBlock>[] = [];
      let read = false;
      const askAhead = () => {
        while (!read && ahead.length < BLOCKS_AHEAD) {
          const next = blocks.next();
          if (next.done === true) read = true;
          else ahead.push(pool.check(next.value));
        }
      };
      askAhead();
      while (ahead.length > 0) {
        const block = ahead.shift()!;
        askAhead();
        yield await block;
      }
    } finally {
      await pool.close();
    }
  } finally {
    closeSync(fd);
  }
}

const KINDS: ReadonlySet<string> = new Set(AUDIT_KINDS);
/** Bytes read at a time; a block is cut at its last line break. */
const BLOCK_BYTES = 1 << 20;
/** Below this a bundle is checked on the verifier's thread (a worker costs ~30 ms to start). */
const INLINE_UP_TO_BYTES = 8 << 20;
/** Blocks being checked at once: enough to keep every worker busy while one is being used. */
const BLOCKS_AHEAD = 6;

/**
 * The file in blocks of whole lines: each ends with a line break, but the last. Each block owns
 * its buffer, so it can be handed to a worker whole.
 */
function* rawBlocks(fd: number, blockBytes: number): Generator<Uint8Array> {
  let carry = new Uint8Array(0);
  for (;;) {
    const buffer = new Uint8Array(carry.length + blockBytes);
    buffer.set(carry);
    const read = readSync(fd, buffer, carry.length, blockBytes, null);
    const filled = carry.length + read;
    if (read === 0) {
      if (filled > 0) yield buffer.subarray(0, filled);
      return;
    }
    const cut = buffer.lastIndexOf(0x0a, filled - 1);
    if (cut < 0) {
      carry = buffer.subarray(0, filled); // a line longer than a block: read on
      continue;
    }
    carry = buffer.slice(cut + 1, filled);
    yield buffer.subarray(0, cut + 1);
  }
}

/** The leaf workers, each asked for blocks in turn, answering by the block's number. */
class LeafPool {
  readonly #workers: Worker[];
  readonly #waiting = new Map<
    number,
    { resolve: (block: CheckedBlock) => void; reject: (error: Error) => void }
  >();
  #next = 0;
  #broken: Error | undefined;
  #closing = false;

  constructor(count: number) {
    this.#workers = Array.from({ length: count }, () => {
      const worker = new Worker(WORKER, {
        workerData: { leafWorker: true, kinds: [...KINDS] },
        // Not the parent's flags: a TypeScript loader there would cost each worker 90 MiB.
        execArgv: [],
      });
      worker.on('message', (message: { id: number; block?: CheckedBlock; failure?: string }) => {
        const waiter = this.#waiting.get(message.id);
        this.#waiting.delete(message.id);
        if (message.block) waiter?.resolve(message.block);
        else waiter?.reject(new Error(`A bundle line worker failed: ${message.failure ?? ''}`));
      });
      worker.on('error', (error: Error) => this.#lose(error));
      // A worker that ends with blocks unanswered must not leave the verifier waiting for ever.
      worker.on('exit', () => {
        if (!this.#closing)
          this.#lose(new Error('A bundle line worker stopped before it answered.'));
      });
      return worker;
    });
  }

  check(bytes: Uint8Array): Promise<CheckedBlock> {
    const id = this.#next++;
    const answer =
      this.#broken !== undefined
        ? Promise.reject(this.#broken)
        : new Promise<CheckedBlock>((resolve, reject) => {
            this.#waiting.set(id, { resolve, reject });
            this.#workers[id % this.#workers.length]!.postMessage({ id, bytes }, [
              bytes.buffer as ArrayBuffer,
            ]);
          });
    // Blocks are asked for ahead: if the verifier stops early, the rest must not surface as
    // unhandled rejections (which end the process).
    answer.catch(() => undefined);
    return answer;
  }

  #lose(error: Error): void {
    this.#broken ??= error;
    for (const waiter of this.#waiting.values()) waiter.reject(this.#broken);
    this.#waiting.clear();
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}

/** Beside this module in the source tree and in every bundle (build-electron.js copies it). */
const WORKER = new URL('./leaf-worker.mjs', import.meta.url);
