import { setFlagsFromString } from 'node:v8';
import sodiumModule from 'libsodium-wrappers-sumo';

/** The parts of libsodium's WASM module its JS wrapper allocates with. */
interface SodiumHeap {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
}

let hardened = false;

/**
 * Key material must not outlive its use in memory (issue 13, attack 13). libsodium's JS wrapper
 * copies every argument (keys included) and every result into the WASM heap and frees them
 * without zeroing, so a lock left K_vault and secret keys in freed heap memory. Its allocator is
 * wrapped here so each block is zeroed as it is freed. And V8 is asked to zero the memory it frees
 * where it can (`--clear-free-memory`); in release builds that does not reach what its sweeper
 * frees or the semispaces, which crypto/heap-scrub.ts overwrites at lock. THREAT-MODEL "Key
 * material in memory" says what this does not reach.
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

// As early as the vault core loads (see hardenMemory for what it reaches).
setFlagsFromString('--clear-free-memory');

export const sodium = sodiumModule;
