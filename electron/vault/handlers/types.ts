import type { Channel, RequestOf, ResponseOf } from '../../../shared/ipc/contract.ts';
import type { ClipboardGuard } from '../clipboard-guard.ts';
import type { VaultSession } from '../session.ts';
import type { ProgressTask } from '../../../shared/ipc/channels.ts';
import type { ProgressReporter } from '../progress.ts';
import type { FilePurpose } from '../file-handles.ts';

/** A channel's handler: its request already validated against the contract, its role checked. */
export type Handler<C extends Channel> = (
  request: RequestOf<C>,
) => Promise<ResponseOf<C>> | ResponseOf<C>;

/** The handlers for the channels named `<prefix>.<something>`. */
export type Handlers<Prefix extends string> = {
  [C in Channel as C extends `${Prefix}.${string}` ? C : never]: Handler<C>;
};

/** What a handler may use of the router: the unlocked session, and main's clipboard. */
export interface HandlerContext {
  /** The unlocked session; throws AUTH_FAILED when the vault is locked. */
  session(): VaultSession;
  readonly clipboard: ClipboardGuard;
  /**
   * A reporter for a long task: shows its progress and lets a lock in between its pages. With
   * `letOthersWrite` (a write in batches), a CLI's router also lets other processes write there.
   */
  progress(task: ProgressTask, options?: { letOthersWrite?: boolean }): ProgressReporter;
  /** The path behind a handle `files.choose` issued for this purpose; refuses any other. */
  file(handle: string, purpose: FilePurpose): string;
}

/** Drop the keys a form left empty, so optional fields stay absent (exactOptionalPropertyTypes). */
export function definedOnly<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
