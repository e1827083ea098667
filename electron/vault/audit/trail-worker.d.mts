/**
 * The associated data of a row of the trail workers' page (trail-worker.mjs), from its fields and
 * its leaf hash in lowercase hex.
 */
export function associatedTextOf(fields: readonly string[], leafHex: string): string;
