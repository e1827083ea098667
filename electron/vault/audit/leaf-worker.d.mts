// Types for leaf-worker.mjs (plain JavaScript so that a worker runs it without a loader).
export const BLANK: 0;
export const ENTRY: 1;
export const RAW: 2;

/** A block of bundle lines, checked: see leaf-worker.mjs. */
export interface CheckedBlock {
  /** Lines in the block, blank ones included. */
  readonly count: number;
  /** BLANK, ENTRY or RAW for each line. */
  readonly classes: Uint8Array;
  /** The text of each RAW line, in order. */
  readonly raws: string[];
  /** For each ENTRY line, in order: */
  readonly seqs: Float64Array;
  readonly actors: string[];
  readonly removed: (string | null)[];
  /** Null when no entry of the block has a proof. */
  readonly proofs: (string[] | null)[] | null;
  /** 32 bytes an entry: its leaf, recomputed and equal to the one its line states. */
  readonly leaves: Uint8Array;
}

export function checkBlock(bytes: Uint8Array, kinds: ReadonlySet<string>): CheckedBlock;
