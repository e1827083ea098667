/** The associated data of a row of the trail workers' page (trail-worker.mjs), from its fields. */
export function associatedTextOf(fields: readonly string[]): string;
