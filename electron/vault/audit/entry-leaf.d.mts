// Types for entry-leaf.mjs (plain JavaScript so that a worker runs it without a loader).
import type { AuditDetails, AuditEntry } from '../../../shared/domain/audit.ts';

export const LEAF_FORMAT: 1;
export function isAuditDetails(value: unknown): value is AuditDetails;
export function canonicalEntryTextIfWellFormed(entry: AuditEntry): string | null;
/** The entry line (bundle.ts's EntryLine, kind among `kinds`), or undefined. */
export function quickEntryLine(
  raw: unknown,
  kinds: ReadonlySet<string>,
):
  | {
      type: 'entry';
      seq: number;
      at: string;
      kind: string;
      actor: string;
      account: string | null;
      details: AuditDetails;
      leaf: string;
      proof?: string[];
    }
  | undefined;
