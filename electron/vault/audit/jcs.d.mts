// Types for jcs.mjs (plain JavaScript so that a worker runs it without a loader).
export function canonicalJsonIfWellFormed(value: unknown): string | null | undefined;
export function canonicalJsonLaidOut(
  build: (encode: (value: unknown) => string) => string,
): string | null;
