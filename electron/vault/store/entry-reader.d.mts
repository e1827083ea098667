// Types for entry-reader.mjs (plain JavaScript so that a worker runs it without a loader).
export function openPageReader(
  path: string,
  sql: string,
  params: readonly (string | number)[],
): { page(after: number, upTo: number): string; close(): void };
