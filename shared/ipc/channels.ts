// Electron's IPC channel names, apart from the contract so the preload bundles no schema code.

/** The Electron IPC channel the preload's `invoke` travels on (all requests share it; see the router). */
export const IPC_INVOKE_CHANNEL = 'custodian:invoke';
/** Main tells the window it locked (idle, suspend, screen lock) on this channel. */
export const IPC_LOCKED_CHANNEL = 'custodian:locked';
/** Main forwards a menu command (find, new account, copy username or password) on this channel. */
export const IPC_MENU_CHANNEL = 'custodian:menu';
/**
 * Main tells the window that another workstation may have changed the open vault (ADR 0033). It
 * carries nothing: the window asks `vault.refresh`, through the contract, what to believe.
 */
export const IPC_CHANGED_CHANNEL = 'custodian:changed';
/** Main reports how far a long task (export, verify, import) has got on this channel. */
export const IPC_PROGRESS_CHANNEL = 'custodian:progress';

/**
 * The long tasks that report progress, and what a report carries: entries (export, verify) or CSV
 * rows (import) done of the total.
 */
export const PROGRESS_TASKS = ['export', 'verify', 'import'] as const;
export type ProgressTask = (typeof PROGRESS_TASKS)[number];
export interface TaskProgress {
  readonly task: ProgressTask;
  readonly done: number;
  readonly total: number;
}

/** A progress report as plain data, or undefined if it is anything else (checked where it crosses). */
export function asTaskProgress(value: unknown): TaskProgress | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { task, done, total } = value as Record<string, unknown>;
  if (!PROGRESS_TASKS.includes(task as ProgressTask)) return undefined;
  if (!Number.isSafeInteger(done) || !Number.isSafeInteger(total)) return undefined;
  if ((done as number) < 0 || (done as number) > (total as number)) return undefined;
  return { task: task as ProgressTask, done: done as number, total: total as number };
}

// The DOM events the preload (or the preview) raises in the window for what main tells it; the
// renderer listens by these names only.

/** The window hears that the vault locked (no detail): it drops every view of the vault. */
export const LOCKED_EVENT = 'custodian:locked';
/** The window hears a menu command (its detail is the command's name, e.g. "find"). */
export const MENU_EVENT = 'custodian:menu';
/** The window hears that the vault may have changed (no detail): it asks vault.refresh. */
export const CHANGED_EVENT = 'custodian:changed';
/** The window hears a progress report (its detail is a TaskProgress). */
export const PROGRESS_EVENT = 'custodian:progress';
