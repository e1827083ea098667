// Types for signature-worker.mjs (plain JavaScript so that a worker runs it without a loader).
export const PUBLIC_KEY_BYTES: number;
export const SIGNATURE_BYTES: number;
export function firstFailing(bytes: Uint8Array): number;
