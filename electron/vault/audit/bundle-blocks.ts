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
  options: {
    inlineUpToBytes?: number;
    workers?: number;
    blockBytes?: number;
    maxLineBytes?: number;
  } = {},
): AsyncGenerator<CheckedBlock> {
  const fd = openSync(path, 'r');
  try {
    const blocks = rawBlocks(fd, options.blockBytes ?? BLOCK_BYTES, {
      maxLineBytes: options.maxLineBytes ?? MAX_LINE_BYTES,
    });
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
/**
 * Bytes read at a time; a block is cut at its last line break. Under V8's large-object size, so a
 * block's text dies young in the worker: at 1 MiB a block the verify's peak was 400 MiB, at 96 KiB
 * about 300 MiB (docs/BENCHMARKS.md).
 */
const BLOCK_BYTES = 96 << 10;
/** Below this a bundle is checked on the verifier's thread (a worker costs ~30 ms to start). */
const INLINE_UP_TO_BYTES = 8 << 20;
/** Blocks being checked at once: enough to keep every worker busy while one is being used. */
const BLOCKS_AHEAD = 8;

/**
 * The longest line a bundle may have. No line Custodian writes comes near it: an entry line's
 * details are bounded text (names and handles of at most a few hundred characters, a reason of
 * 500, notes of 2000) and short lists of changed fields, with an inclusion proof of at most 64
 * hashes; the header, member, checkpoint and seal lines are keys, signatures and a few names.
 * Even with every character written as a six-byte JSON escape that is well under 1 MiB; 16 MiB
 * leaves room for details that grow. A longer line is refused before it is read whole, so a
 * hostile bundle of one endless line costs its reader no more than this much memory.
 */
export const MAX_LINE_BYTES = 16 << 20;

/** A bundle line over `MAX_LINE_BYTES`: verify-export.ts reports it as that line's failure. */
export class LineTooLongError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly limitBytes: number,
  ) {
    super(
      `is longer than ${limitBytes} bytes, far longer than any line Custodian writes: the file is not a bundle Custodian exported, or it was altered. Nothing past the line before it was checked; verify a fresh export (\`custodian audit export\`)`,
    );
  }
}

/**
 * The file in blocks of whole lines: each ends with a line break, but the last. Each block owns
 * its buffer, so it can be handed to a worker whole. A line longer than a block is kept as the
 * blocks it was read in and joined once, when its end is found (re-copying it at every read was
 * quadratic: a 64 MiB line took 22 s); one that runs on past `maxLineBytes` is refused (a line
 * inside one read is shorter than two blocks, so the limit must not be below that). `copied`, if
 * given, counts the bytes copied from one buffer to another (the tests hold it linear).
 */
export function* rawBlocks(
  fd: number,
  blockBytes: number,
  {
    maxLineBytes = MAX_LINE_BYTES,
    copied,
  }: { maxLineBytes?: number; copied?: { bytes: number } } = {},
): Generator<Uint8Array> {
  let carry = new Uint8Array(0); // the start of the next line, shorter than a block
  const long: Uint8Array[] = []; // a line longer than a block, as the buffers it was read in
  let longBytes = 0;
  let longStart = 0; // where in the file that line starts
  let position = 0; // where in the file the next read starts
  const count = (bytes: number) => {
    if (copied) copied.bytes += bytes;
  };
  const refuseIfOver = (bytes: number) => {
    if (bytes > maxLineBytes) throw new LineTooLongError(lineNumberAt(fd, longStart), maxLineBytes);
  };
  const joined = (end: Uint8Array): Uint8Array => {
    if (long.length === 0) return end;
    const whole = new Uint8Array(longBytes + end.length);
    let at = 0;
    for (const piece of [...long, end]) {
      whole.set(piece, at);
      at += piece.length;
    }
    count(whole.length);
    long.length = 0;
    longBytes = 0;
    return whole;
  };
  for (;;) {
    const bufferStart = position - carry.length;
    const buffer = new Uint8Array(carry.length + blockBytes);
    buffer.set(carry);
    count(carry.length);
    const read = readSync(fd, buffer, carry.length, blockBytes, null);
    position += read;
    const filled = carry.length + read;
    if (read === 0) {
      refuseIfOver(longBytes + filled);
      if (longBytes + filled > 0) yield joined(buffer.subarray(0, filled));
      return;
    }
    const cut = lastBreak(buffer, filled);
    if (cut < 0) {
      // A line longer than a block: read on.
      if (long.length === 0) longStart = bufferStart;
      long.push(buffer.subarray(0, filled));
      longBytes += filled;
      carry = new Uint8Array(0);
      refuseIfOver(longBytes);
      continue;
    }
    // The long line ends at the block's first break.
    if (long.length > 0) refuseIfOver(longBytes + firstBreak(buffer) + 1);
    carry = buffer.slice(cut + 1, filled);
    count(carry.length);
    yield joined(buffer.subarray(0, cut + 1));
  }
}

/**
 * The last line break in `buffer`'s first `filled` bytes: a \n, or, in a block without one, a \r
 * that a \n does not follow (the verifier splits lines as node:readline does; a \r at the very
 * end may be the first half of a \r\n, so no cut is made there).
 */
function lastBreak(buffer: Uint8Array, filled: number): number {
  const newline = buffer.lastIndexOf(0x0a, filled - 1);
  if (newline >= 0 || filled < 2) return newline;
  return buffer.lastIndexOf(0x0d, filled - 2);
}

/** The first line break in a block that has one (its \n, or a \r before it). */
function firstBreak(buffer: Uint8Array): number {
  const newline = buffer.indexOf(0x0a);
  const ret = buffer.indexOf(0x0d);
  return ret >= 0 && (newline < 0 || ret < newline) ? ret : newline;
}

/** The number of the line that starts at byte `offset` (read again: only for the error). */
function lineNumberAt(fd: number, offset: number): number {
  const chunk = new Uint8Array(1 << 20);
  let line = 1;
  let previous = 0;
  for (let at = 0; at < offset;) {
    const read = readSync(fd, chunk, 0, Math.min(chunk.length, offset - at), at);
    if (read === 0) break;
    for (let i = 0; i < read; i++) {
      const byte = chunk[i]!;
      if (byte === 0x0a) {
        if (previous !== 0x0d) line += 1;
      } else if (byte === 0x0d) line += 1;
      previous = byte;
    }
    at += read;
  }
  return line;
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
