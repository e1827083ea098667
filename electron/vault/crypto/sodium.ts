import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import sodiumModule from 'libsodium-wrappers-sumo';

/** The parts of libsodium's WASM module its JS wrapper allocates with. */
interface SodiumHeap {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
}

let hardened = false;

/**
 * Overwrite the young generation's free memory at lock. A string that died young (a passphrase
 * from the unlock form, a revealed password) stays in the semispace V8 evacuated from until that
 * space is reused, and `--clear-free-memory` does not reach it in release builds. Filling twice
 * the young generation's current size with short-lived arrays makes V8 reuse every byte of both
 * semispaces (a few milliseconds). Best effort, see THREAT-MODEL "Key material in memory".
 */
export function scrubYoungGeneration(): void {
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  const bytes = 2 * (young?.space_size ?? 32 * 1024 * 1024);
  let sink = 0;
  // 64 elements of 8 bytes and a header: about half a KiB an array.
  for (let i = 0; i < bytes / 512; i++) sink += new Array<number>(64).fill(i).length;
  if (sink < 0) throw new Error('unreachable');
}

/**
 * Key material must not outlive its use in memory (issue 13, attack 13). libsodium's JS wrapper
 * copies every argument (keys included) and every result into the WASM heap and frees them
 * without zeroing, so a lock left K_vault and secret keys in freed heap memory. Its allocator is
 * wrapped here so each block is zeroed as it is freed. And V8 is asked to zero the memory it frees
 * (`--clear-free-memory`), so dead strings and buffers do not sit in free heap pages until reuse.
 * THREAT-MODEL "Key material in memory" says what this does not reach.
 */
function hardenMemory(): void {
  if (hardened) return;
  hardened = true;
  setFlagsFromString('--clear-free-memory');
  const heap = (sodiumModule as unknown as { libsodium: SodiumHeap }).libsodium;
  const malloc = heap._malloc.bind(heap);
  const free = heap._free.bind(heap);
  const sizes = new Map<number, number>();
  heap._malloc = (size: number): number => {
    const pointer = malloc(size);
    if (pointer !== 0) sizes.set(pointer, size);
    return pointer;
  };
  heap._free = (pointer: number): void => {
    const size = sizes.get(pointer);
    if (size !== undefined) {
      // HEAPU8 is read here, not kept: the heap's buffer is replaced when it grows.
      heap.HEAPU8.fill(0, pointer, pointer + size);
      sizes.delete(pointer);
    }
    free(pointer);
  };
}

/**
 * libsodium's WASM build must finish loading before its first call. Every crypto module awaits
 * this once, at vault open, so the synchronous functions after it can use `sodium` directly.
 */
export async function readySodium(): Promise<void> {
  await sodiumModule.ready;
  hardenMemory();
}

// As early as the vault core loads: memory freed from now on is zeroed (see hardenMemory).
setFlagsFromString('--clear-free-memory');

export const sodium = sodiumModule;
