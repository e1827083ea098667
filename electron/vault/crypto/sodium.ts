import sodiumModule from 'libsodium-wrappers-sumo';

/**
 * libsodium's WASM build must finish loading before its first call. Every crypto module awaits
 * this once, at vault open, so the synchronous functions after it can use `sodium` directly.
 */
export async function readySodium(): Promise<void> {
  await sodiumModule.ready;
}

export const sodium = sodiumModule;
