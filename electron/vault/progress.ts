/**
 * How far a long task (an export, a verify) has got: `done` of `total` entries. The task awaits it
 * after every page, so a host can show the figure and let other work in between pages — a lock
 * on suspend, most of all. A reporter may throw to stop the task (the vault locked meanwhile);
 * the task then abandons what it was writing and lets the error through.
 */
export type ProgressReporter = (done: number, total: number) => void | Promise<void>;
