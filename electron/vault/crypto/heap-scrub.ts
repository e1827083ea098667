import { getHeapCodeStatistics, getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Overwrite the young generation's free memory. A string that died young (a passphrase from the
 * unlock form, a revealed password) stays in the semispace V8 evacuated from until that space is
 * reused, and `--clear-free-memory` does not reach it in release builds. Filling twice the young
 * generation's current size with short-lived arrays makes V8 reuse every byte of both semispaces
 * (a few milliseconds). Run by every session at close.
 */
export function scrubYoungGeneration(): void {
  const young = heapSpace('new_space');
  const bytes = 2 * (young?.space_size ?? 32 * 1024 * 1024);
  let sink = 0;
  // 64 elements of 8 bytes and a header: about half a KiB an array.
  for (let i = 0; i < bytes / 512; i++) sink += new Array<number>(64).fill(i).length;
  if (sink < 0) throw new Error('unreachable');
}

/**
 * At a lock that does not end the process (issue 13, attack 13): collect, then overwrite every
 * free block of the old generation a secret's text could lie in, then the young generation, so no
 * dead copy of a passphrase or a revealed password is left in the heap. It clears only what
 * nothing references any more: a secret still held when it runs is moved, not cleared.
 *
 * Why this much: a string that is alive during a collection is moved (a scavenge copies it, a full
 * collection promotes it to the old generation), and the place it was moved to outlives it. When
 * it dies there, V8's sweeper puts its memory on a free list without zeroing it (release builds
 * zero only with --verify-heap, which they do not have; `--clear-free-memory` does not reach the
 * sweeper), so the text stays readable until V8 allocates over it. An unlock and a reveal allocate
 * enough for a collection to fall inside them on a busy machine, so this happens, not in theory.
 * 0.2-0.4 s with a 64 MB heap on the two-core development machine under load; the CLI does not
 * need it (its process ends at the lock).
 */
export function scrubFreedHeap(): void {
  const collect = fullCollection();
  // Twice: what was allocated while a marking was under way survives the collection that ends it.
  collect();
  collect();
  overwriteOldGenerationFreeMemory();
  scrubYoungGeneration();
}

let exposedCollection: (() => void) | undefined;

/**
 * V8's full collection: `gc` when the process runs with --expose-gc, else exposed here once (V8
 * defines `gc` in contexts made after the flag is set; the console's own context is not changed).
 */
function fullCollection(): () => void {
  const own = (globalThis as { gc?: () => void }).gc;
  if (own) return own;
  if (!exposedCollection) {
    setFlagsFromString('--expose-gc');
    exposedCollection = runInNewContext('gc') as () => void;
  }
  return exposedCollection;
}

/**
 * Allocate strings in the old generation, as many bytes as it has free and a page more: V8 gives a
 * free block to each allocation there before it adds a page, so every free block the strings fit
 * in is written over. Internalized strings (property names) are allocated in the old generation
 * directly, from its free lists. V8 hands out its largest free blocks first, so long strings take
 * the bulk of the free bytes quickly, then short ones (24 bytes) every block left that could hold
 * a secret's text (32 bytes or more). Counted in bytes, not stopped when the generation grows: a
 * scavenge during the fill may add a page of its own for the objects it promotes.
 */
function overwriteOldGenerationFreeMemory(): void {
  // Finishes the sweeping the collection left to background threads: until a page is swept, its
  // dead objects are not on a free list, and allocation would add a page before reaching them.
  getHeapCodeStatistics();
  fillOldGeneration(1000);
  fillOldGeneration(8);
}

/** A V8 heap page (256 KiB): the margin, for the blocks V8 keeps back as it hands them out. */
const PAGE_BYTES = 256 * 1024;

/** Strings of `characters` one-byte characters (a 16-byte header each), as said above. */
function fillOldGeneration(characters: number): void {
  const free = heapSpace('old_space')?.space_available_size;
  if (free === undefined) return;
  const count = Math.ceil((free + PAGE_BYTES) / (16 + characters));
  // A prefix no other name uses, so each is new to the string table and allocated.
  const prefix = '\u00ff'.repeat(characters - 6);
  for (let made = 0; made < count;) {
    // A small object a batch: one for all would grow into a dictionary rehashed again and again.
    const names: Record<string, number> = Object.create(null) as Record<string, number>;
    for (let i = 0; i < 1024 && made < count; i++, made++) {
      names[`${prefix}${made.toString(36).padStart(6, '0')}`] = 0;
    }
  }
}

function heapSpace(name: string): ReturnType<typeof getHeapSpaceStatistics>[number] | undefined {
  return getHeapSpaceStatistics().find((space) => space.space_name === name);
}
